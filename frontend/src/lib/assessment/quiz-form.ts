/** The quiz form: a quiz as its editor holds it, what it draws, and the body it sends. */
import type { MessageKey } from '../i18n/catalogues';
import { utcToZoned, zonedToUtc } from '../zoned';
import { instant } from './dates';
import { parseWhole } from './numbers';
import { parseTags } from './bank';
import type { MissingWork, PartInput, Quiz, QuizInput, Scoring } from './types';

/** What a quiz draws: one question of the bank, or `count` at random from a tag. */
export type PartDraft = { question_id: number } | { tag: string; count: string };

/** A quiz as its form holds it: moments as wall-clock times in the offering's zone. */
export interface QuizDraft {
  title: string;
  description: string;
  opens: string;
  closes: string;
  /** Minutes per attempt; empty: until the quiz closes. */
  time_limit: string;
  max_attempts: string;
  scoring: Scoring;
  shuffle_choices: boolean;
  max_score: string;
  weight: string;
  missing_work: MissingWork;
  parts: PartDraft[];
}

export type QuizField =
  | 'title'
  | 'description'
  | 'opens_at'
  | 'closes_at'
  | 'time_limit_minutes'
  | 'max_attempts'
  | 'scoring'
  | 'max_score'
  | 'weight'
  | 'missing_work'
  | 'parts';

export const QUIZ_FIELDS: readonly QuizField[] = [
  'title',
  'description',
  'opens_at',
  'closes_at',
  'time_limit_minutes',
  'max_attempts',
  'scoring',
  'max_score',
  'weight',
  'missing_work',
  'parts',
];

export const MAX_ATTEMPTS = 20;
export const MAX_TIME_LIMIT = 1440;
export const MAX_DRAW = 100;

function partDraft(part: PartInput): PartDraft | null {
  if (part.question_id !== null && part.question_id !== undefined) return { question_id: part.question_id };
  if (part.tag) return { tag: part.tag, count: String(part.count ?? 1) };
  return null;
}

/** The form of a new quiz or of an existing one. */
export function quizDraft(quiz: Quiz | null, timeZone: string): QuizDraft {
  if (!quiz) {
    return {
      title: '',
      description: '',
      opens: '',
      closes: '',
      time_limit: '',
      max_attempts: '1',
      scoring: 'highest',
      shuffle_choices: true,
      max_score: '10',
      weight: '0',
      missing_work: 'zero',
      parts: [],
    };
  }
  const local = (at: string | null | undefined) => (at ? utcToZoned(at, timeZone) : '');
  return {
    title: quiz.title,
    description: quiz.description,
    opens: local(quiz.opens_at),
    closes: local(quiz.closes_at),
    time_limit: quiz.time_limit_minutes ? String(quiz.time_limit_minutes) : '',
    max_attempts: String(quiz.max_attempts),
    scoring: quiz.scoring,
    shuffle_choices: quiz.shuffle_choices,
    max_score: String(quiz.max_score),
    weight: String(quiz.weight),
    missing_work: quiz.missing_work,
    parts: (quiz.parts ?? []).map(partDraft).filter((p): p is PartDraft => p !== null),
  };
}

/** How many questions an attempt draws with these parts (unreadable counts count one). */
export function drawCount(parts: readonly PartDraft[]): number {
  return parts.reduce((sum, part) => sum + ('question_id' in part ? 1 : Math.max(1, parseWhole(part.count) ?? 1)), 0);
}

/**
 * The body of a create or an edit, or the fields the form must fix first (a message key
 * each). An empty opening time is sent as `null`, which removes it; so is an empty time
 * limit (the attempt lasts until the quiz closes).
 */
export function quizInput(draft: QuizDraft, timeZone: string): { input: QuizInput; problems: Partial<Record<QuizField, MessageKey>> } {
  const problems: Partial<Record<QuizField, MessageKey>> = {};
  const moment = (text: string, field: QuizField, required: boolean): string | null => {
    if (!text) {
      if (required) problems[field] = 'validation.required';
      return null;
    }
    const at = zonedToUtc(text, timeZone);
    if (!at) problems[field] = 'offeringForm.invalidMoment';
    return at;
  };
  const whole = (text: string, field: QuizField, min: number, max: number, key: MessageKey): number => {
    const n = parseWhole(text);
    if (n === null || n < min || n > max) {
      problems[field] = key;
      return min;
    }
    return n;
  };
  const title = draft.title.trim();
  if (!title) problems.title = 'validation.required';
  const opens = moment(draft.opens, 'opens_at', false);
  const closes = moment(draft.closes, 'closes_at', true);
  if (opens && closes && instant(opens) >= instant(closes) && !problems.closes_at) problems.closes_at = 'quizForm.closesBeforeOpens';
  const limit = draft.time_limit.trim() ? whole(draft.time_limit, 'time_limit_minutes', 1, MAX_TIME_LIMIT, 'quizForm.timeLimitRange') : null;
  const attempts = whole(draft.max_attempts, 'max_attempts', 1, MAX_ATTEMPTS, 'quizForm.attemptsRange');
  const maxScore = whole(draft.max_score, 'max_score', 1, 1000, 'assignmentForm.maxScoreRange');
  const weight = whole(draft.weight, 'weight', 0, 100, 'offeringForm.percent');
  const parts: PartInput[] = [];
  for (const part of draft.parts) {
    if ('question_id' in part) {
      parts.push({ question_id: part.question_id });
      continue;
    }
    const tag = parseTags(part.tag)[0] ?? '';
    const count = parseWhole(part.count);
    if (!tag || count === null || count < 1 || count > MAX_DRAW) problems.parts = 'quizForm.partInvalid';
    parts.push({ tag, count: count ?? 1 });
  }
  if (parts.length === 0) problems.parts = 'quizForm.partsRequired';
  const input: QuizInput = {
    title,
    description: draft.description,
    opens_at: opens,
    closes_at: closes,
    time_limit_minutes: limit,
    max_attempts: attempts,
    scoring: draft.scoring,
    shuffle_choices: draft.shuffle_choices,
    max_score: maxScore,
    weight,
    missing_work: draft.missing_work,
    parts,
  };
  return { input, problems };
}

/**
 * The offering's weights added up, assignments and quizzes together, with `weight` in
 * place of the item being edited (if any).
 */
export function offeringWeights(
  items: { assignments: readonly { id: number; weight: number }[]; quizzes: readonly { id: number; weight: number }[] },
  editing: { kind: 'assignment' | 'quiz'; id: number | null } | null,
  weight: number,
): number {
  const sum = (list: readonly { id: number; weight: number }[], kind: 'assignment' | 'quiz') =>
    list.reduce((total, item) => total + (editing?.kind === kind && editing.id === item.id ? 0 : item.weight), 0);
  return sum(items.assignments, 'assignment') + sum(items.quizzes, 'quiz') + (editing ? weight : 0);
}
