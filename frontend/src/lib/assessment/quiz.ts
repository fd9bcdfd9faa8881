/**
 * Quizzes as a learner takes them: answers as the API writes them, the countdown to an
 * attempt's deadline, and where a learner stands on a quiz. The server keeps the time,
 * the answers and the score; these only show them.
 */
import { instant } from './dates';
import type { Attempt, AttemptQuestion, AttemptSummary, Quiz } from './types';

// ---------------------------------------------------------------------------
// Answers (`response`): choice positions (`"0 2"`), `"1"`/`"0"` for true/false, a text
// or a number as typed.

/** The choice positions of a response, in order, each once (`"2, 0 2"` → `[0, 2]`). */
export function choicesOf(response: string | null | undefined): number[] {
  if (!response) return [];
  const positions = response
    .split(/[\s,]+/)
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
  return [...new Set(positions)].sort((a, b) => a - b);
}

/** The response naming these choices; `null` (no answer) when none is marked. */
export function choiceResponse(positions: readonly number[]): string | null {
  const unique = [...new Set(positions)].sort((a, b) => a - b);
  return unique.length > 0 ? unique.join(' ') : null;
}

/** A multiple-choice response with one choice marked or unmarked. */
export function toggleChoice(response: string | null | undefined, position: number, marked: boolean): string | null {
  const positions = choicesOf(response).filter((p) => p !== position);
  return choiceResponse(marked ? [...positions, position] : positions);
}

/** A true/false response read back: `true`, `false`, or `null` when unanswered. */
export function trueFalseOf(response: string | null | undefined): boolean | null {
  const value = response?.trim();
  return value === '1' ? true : value === '0' ? false : null;
}

export function trueFalseResponse(value: boolean | null): string | null {
  return value === null ? null : value ? '1' : '0';
}

/** A text or number as sent: trimmed; `null` (no answer) when empty. */
export function textResponse(text: string): string | null {
  const value = text.trim();
  return value ? value : null;
}

/** Whether a typed number reads as one (`12`, `-3,5`, `0.25`): the server takes a comma or a point. */
export function looksNumeric(text: string): boolean {
  return /^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text.trim());
}

/** A number of the bank (a numeric answer, a tolerance) as typed; `null` when it is none. */
export function parseSignedDecimal(text: string): number | null {
  const value = text.trim().replace(',', '.');
  return looksNumeric(value) ? Number(value) : null;
}

export function isAnswered(question: Pick<AttemptQuestion, 'response'>): boolean {
  return (question.response ?? '').trim() !== '';
}

/** How many questions have no answer yet. */
export function unansweredCount(questions: readonly Pick<AttemptQuestion, 'response'>[]): number {
  return questions.filter((q) => !isAnswered(q)).length;
}

/** Whether the learner's answer to a question in review was right (all its points), partly right or wrong. */
export function answerOutcome(question: Pick<AttemptQuestion, 'points' | 'max_points'>): 'right' | 'partial' | 'wrong' | null {
  if (question.points === null || question.points === undefined) return null;
  if (question.points >= question.max_points) return 'right';
  return question.points > 0 ? 'partial' : 'wrong';
}

// ---------------------------------------------------------------------------
// Time

/**
 * The moment an attempt ends on this device's clock: `seconds_left` counts on the
 * server's, so a device whose clock is wrong still counts down the right time.
 */
export function localDeadline(attempt: Pick<Attempt, 'seconds_left'>, receivedAt: number = Date.now()): number {
  return receivedAt + Math.max(0, attempt.seconds_left) * 1000;
}

/** Whole seconds left until `deadline` (a device time), never below 0. */
export function secondsUntil(deadline: number, now: number = Date.now()): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** A countdown as a clock reads: `4:05`, `19:59`, `1:02:03`. */
export function formatCountdown(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** The minutes left that are announced to screen readers as the time runs out. */
export const ANNOUNCED_MINUTES = [5, 1] as const;

/**
 * The announcement due when the countdown goes from `before` to `now` seconds: the
 * minutes of {@link ANNOUNCED_MINUTES} just reached, `0` when the time is up, else `null`.
 * A countdown that starts below a mark does not announce it.
 */
export function countdownMark(before: number, now: number): number | null {
  if (now >= before) return null;
  if (now <= 0) return 0;
  for (const minutes of ANNOUNCED_MINUTES) {
    const mark = minutes * 60;
    if (before > mark && now <= mark) return minutes;
  }
  return null;
}

/** Whether an attempt still takes answers: not handed in, and time left. */
export function isAttemptOpen(attempt: Pick<Attempt, 'submitted_at' | 'seconds_left'>): boolean {
  return !attempt.submitted_at && attempt.seconds_left > 0;
}

// ---------------------------------------------------------------------------
// Where a learner stands

/**
 * One quiz as its learner sees it: `in_progress` (an attempt still open), `not_open`
 * (before it opens), `todo` (may start, none taken), `scored` (attempts handed in; more
 * may be left), `missed` (closed, none taken).
 */
export type QuizStatus = 'in_progress' | 'not_open' | 'todo' | 'scored' | 'missed';

/** The learner's attempt still open at `now`, if any. */
export function openAttempt(attempts: readonly AttemptSummary[], now: number = Date.now()): AttemptSummary | null {
  return attempts.find((a) => !a.submitted_at && instant(a.deadline_at) > now) ?? null;
}

/** Attempts that count: handed in, or ended at their deadline (scored then). */
export function finishedAttempts(attempts: readonly AttemptSummary[], now: number = Date.now()): AttemptSummary[] {
  return attempts.filter((a) => a.submitted_at || instant(a.deadline_at) <= now);
}

export function quizStatus(quiz: Pick<Quiz, 'opens_at' | 'mine'>, now: number = Date.now()): QuizStatus {
  const mine = quiz.mine;
  const attempts = mine?.attempts ?? [];
  if (openAttempt(attempts, now)) return 'in_progress';
  if (finishedAttempts(attempts, now).length > 0) return 'scored';
  if (quiz.opens_at && now < instant(quiz.opens_at)) return 'not_open';
  if (mine && !mine.can_start) return 'missed';
  return 'todo';
}

export function quizStatusTone(status: QuizStatus): 'ok' | 'info' | 'warn' | 'bad' | 'off' {
  switch (status) {
    case 'scored':
      return 'ok';
    case 'in_progress':
      return 'warn';
    case 'todo':
      return 'info';
    case 'not_open':
      return 'off';
    case 'missed':
      return 'bad';
  }
}

/** Attempts the learner may still start (an open one resumes instead). */
export function attemptsLeft(mine: Pick<NonNullable<Quiz['mine']>, 'attempts' | 'attempts_allowed'>): number {
  return Math.max(0, mine.attempts_allowed - mine.attempts.length);
}

/** Where a quiz is read. */
export function quizHref(id: number): string {
  return `/quizzes/${encodeURIComponent(String(id))}`;
}

export function attemptHref(id: number): string {
  return `/quiz-attempts/${encodeURIComponent(String(id))}`;
}
