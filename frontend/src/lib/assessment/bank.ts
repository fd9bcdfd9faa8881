/**
 * The question bank: a question as its form holds it (texts per language, choices in
 * the same order in every language), what the form must fix before sending, and the
 * bank's filters in the page URL.
 */
import { query } from '../api';
import type { MessageKey } from '../i18n/catalogues';
import { LOCALES } from '../i18n/negotiate';
import type { Locale } from '../types';
import { parseDecimal } from './numbers';
import { parseSignedDecimal } from './quiz';
import type { PartialCredit, Question, QuestionInput, QuestionKind, QuestionText } from './types';

/** Whether a kind of question lists choices. */
export function hasChoices(kind: QuestionKind): boolean {
  return kind === 'single_choice' || kind === 'multiple_choice';
}

/** One language's text of a question. */
export interface TextDraft {
  prompt: string;
  explanation: string;
  /** As many as the question has choices, in the same order in every language. */
  choices: string[];
}

/** A question as its form holds it: numbers as typed, every language's text. */
export interface QuestionDraft {
  kind: QuestionKind;
  points: string;
  tags: string;
  partial_credit: PartialCredit;
  /** Positions of the right choices; true/false: `[1]` true, `[0]` false. */
  correct: number[];
  /** Short answer: one accepted answer per line. */
  accepted: string;
  accent_insensitive: boolean;
  numeric_answer: string;
  numeric_tolerance: string;
  texts: Record<Locale, TextDraft>;
}

export type QuestionField =
  | 'kind'
  | 'points'
  | 'tags'
  | 'texts'
  | 'choices'
  | 'correct'
  | 'accepted_answers'
  | 'numeric_answer'
  | 'numeric_tolerance';

export const QUESTION_FIELDS: readonly QuestionField[] = [
  'kind',
  'points',
  'tags',
  'texts',
  'choices',
  'correct',
  'accepted_answers',
  'numeric_answer',
  'numeric_tolerance',
];

export const MIN_CHOICES = 2;

/** A number as a person types it in their language (`0,5`). */
function typed(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 6, useGrouping: false }).format(value);
}

function emptyTexts(choices: number): Record<Locale, TextDraft> {
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, { prompt: '', explanation: '', choices: Array.from({ length: choices }, () => '') }]),
  ) as Record<Locale, TextDraft>;
}

/** The form of a new question of `kind`, or of an existing one (`locale`: how numbers are typed). */
export function questionDraft(question: Question | null, kind: QuestionKind = 'single_choice', locale = 'es'): QuestionDraft {
  if (!question) {
    return {
      kind,
      points: '1',
      tags: '',
      partial_credit: 'all_or_nothing',
      correct: kind === 'true_false' ? [1] : [],
      accepted: '',
      accent_insensitive: true,
      numeric_answer: '',
      numeric_tolerance: '0',
      texts: emptyTexts(hasChoices(kind) ? 4 : 0),
    };
  }
  const count = Math.max(0, ...question.texts.map((text) => text.choices?.length ?? 0));
  const texts = emptyTexts(count);
  for (const text of question.texts) {
    texts[text.locale] = {
      prompt: text.prompt,
      explanation: text.explanation ?? '',
      choices: Array.from({ length: count }, (_, i) => text.choices?.[i] ?? ''),
    };
  }
  return {
    kind: question.kind,
    points: typed(question.points, locale),
    tags: question.tags.join(', '),
    partial_credit: question.partial_credit,
    correct: [...question.correct],
    accepted: question.accepted_answers.join('\n'),
    accent_insensitive: question.accent_insensitive,
    numeric_answer: question.numeric_answer === null || question.numeric_answer === undefined ? '' : typed(question.numeric_answer, locale),
    numeric_tolerance: typed(question.numeric_tolerance, locale),
    texts,
  };
}

/** A new kind for a question being written: keeps its texts, gives choices to choice kinds. */
export function changeKind(draft: QuestionDraft, kind: QuestionKind): QuestionDraft {
  const next = { ...draft, kind, texts: { ...draft.texts } };
  if (hasChoices(kind) && choiceCount(draft) < MIN_CHOICES) {
    for (const locale of LOCALES) next.texts[locale] = { ...draft.texts[locale], choices: ['', '', '', ''] };
  }
  if (kind === 'true_false') next.correct = draft.correct.length === 1 && draft.correct[0] <= 1 ? [...draft.correct] : [1];
  else if (kind === 'single_choice') next.correct = draft.correct.slice(0, 1);
  else if (!hasChoices(kind)) next.correct = [];
  return next;
}

export function choiceCount(draft: Pick<QuestionDraft, 'texts'>): number {
  return draft.texts[LOCALES[0]].choices.length;
}

/** A choice added at the end, in every language. */
export function addChoice(draft: QuestionDraft): QuestionDraft {
  const texts = { ...draft.texts };
  for (const locale of LOCALES) texts[locale] = { ...texts[locale], choices: [...texts[locale].choices, ''] };
  return { ...draft, texts };
}

/** The choice at `index` taken out of every language; right answers after it move up. */
export function removeChoice(draft: QuestionDraft, index: number): QuestionDraft {
  const texts = { ...draft.texts };
  for (const locale of LOCALES) texts[locale] = { ...texts[locale], choices: texts[locale].choices.filter((_, i) => i !== index) };
  const correct = draft.correct.filter((p) => p !== index).map((p) => (p > index ? p - 1 : p));
  return { ...draft, texts, correct };
}

/** The choice at `index` moved by `by` (−1 up, +1 down) in every language, its rightness with it. */
export function moveChoice(draft: QuestionDraft, index: number, by: -1 | 1): QuestionDraft {
  const target = index + by;
  if (target < 0 || target >= choiceCount(draft)) return draft;
  const swap = <T>(list: readonly T[]): T[] => {
    const copy = [...list];
    [copy[index], copy[target]] = [copy[target], copy[index]];
    return copy;
  };
  const texts = { ...draft.texts };
  for (const locale of LOCALES) texts[locale] = { ...texts[locale], choices: swap(texts[locale].choices) };
  const correct = draft.correct.map((p) => (p === index ? target : p === target ? index : p)).sort((a, b) => a - b);
  return { ...draft, texts, correct };
}

/** Marks choice `index` right or not: a single-choice question has one right choice. */
export function markRight(draft: QuestionDraft, index: number, right: boolean): QuestionDraft {
  if (draft.kind === 'single_choice' || draft.kind === 'true_false') return { ...draft, correct: right ? [index] : [] };
  const others = draft.correct.filter((p) => p !== index);
  return { ...draft, correct: (right ? [...others, index] : others).sort((a, b) => a - b) };
}

/**
 * Tags as the server keeps them: lower-case words of `a-z 0-9 -`, accents dropped,
 * separated by commas or spaces, each once.
 */
export function parseTags(text: string): string[] {
  const tags = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[\s,;]+/)
    .map((tag) => tag.replace(/[^a-z0-9-]/g, ''))
    .filter(Boolean);
  return [...new Set(tags)];
}

/** The languages a draft has a text in: a prompt, or any choice or explanation written. */
export function languagesWritten(draft: Pick<QuestionDraft, 'texts'>): Locale[] {
  return LOCALES.filter((locale) => {
    const text = draft.texts[locale];
    return text.prompt.trim() !== '' || text.explanation.trim() !== '' || text.choices.some((c) => c.trim() !== '');
  });
}

/** Problems per field (a message key each) and, per language, which of its parts are missing. */
export interface QuestionProblems {
  fields: Partial<Record<QuestionField, MessageKey>>;
  /** Languages started but not finished: the prompt or a choice left empty. */
  incomplete: Locale[];
}

/**
 * The body of a create or an edit, and what the form must fix first. A language counts
 * once anything is written in it; each such language needs its prompt and every choice.
 * A choice left empty in every language is left out (the right ones after it move up).
 */
export function questionInput(draft: QuestionDraft, isNew: boolean): { input: QuestionInput; problems: QuestionProblems } {
  const fields: Partial<Record<QuestionField, MessageKey>> = {};
  const incomplete: Locale[] = [];
  const choices = hasChoices(draft.kind);
  const written = languagesWritten(draft);
  if (written.length === 0) fields.texts = 'questionForm.textRequired';
  const kept = Array.from({ length: choiceCount(draft) }, (_, i) => i).filter((i) =>
    written.some((locale) => draft.texts[locale].choices[i].trim() !== ''),
  );
  const texts: QuestionText[] = [];
  for (const locale of written) {
    const text = draft.texts[locale];
    const prompt = text.prompt.trim();
    const shown = choices ? kept.map((i) => text.choices[i].trim()) : [];
    if (!prompt || shown.some((c) => !c)) incomplete.push(locale);
    const entry: QuestionText = { locale, prompt };
    if (text.explanation.trim()) entry.explanation = text.explanation.trim();
    if (choices) entry.choices = shown;
    texts.push(entry);
  }
  if (incomplete.length > 0 && !fields.texts) fields.texts = 'questionForm.textIncomplete';

  const points = parseDecimal(draft.points);
  if (points === null || points <= 0 || points > 100) fields.points = 'questionForm.pointsRange';
  const tags = parseTags(draft.tags);

  const input: QuestionInput = { points: points ?? 1, tags, texts };
  if (isNew) input.kind = draft.kind;
  switch (draft.kind) {
    case 'single_choice':
    case 'multiple_choice': {
      if (kept.length < MIN_CHOICES) fields.choices = 'questionForm.choicesMin';
      const correct = draft.correct.filter((p) => kept.includes(p)).map((p) => kept.indexOf(p));
      if (draft.kind === 'single_choice' && correct.length !== 1) fields.correct = 'questionForm.oneRight';
      if (draft.kind === 'multiple_choice' && correct.length === 0) fields.correct = 'questionForm.someRight';
      input.correct = correct;
      if (draft.kind === 'multiple_choice') input.partial_credit = draft.partial_credit;
      break;
    }
    case 'true_false':
      if (draft.correct.length !== 1) fields.correct = 'questionForm.trueOrFalse';
      input.correct = draft.correct.slice(0, 1);
      break;
    case 'short_answer': {
      const accepted = [...new Set(draft.accepted.split('\n').map((a) => a.trim()).filter(Boolean))];
      if (accepted.length === 0) fields.accepted_answers = 'questionForm.acceptedRequired';
      input.accepted_answers = accepted;
      input.accent_insensitive = draft.accent_insensitive;
      break;
    }
    case 'numeric': {
      const answer = parseSignedDecimal(draft.numeric_answer);
      const tolerance = parseDecimal(draft.numeric_tolerance.trim() || '0');
      if (answer === null) fields.numeric_answer = 'questionForm.numberRequired';
      if (tolerance === null) fields.numeric_tolerance = 'questionForm.toleranceInvalid';
      input.numeric_answer = answer ?? 0;
      input.numeric_tolerance = tolerance ?? 0;
      break;
    }
  }
  return { input, problems: { fields, incomplete } };
}

/** A question's text in `locale`, else in the first language it has. */
export function textIn(question: Pick<Question, 'texts'>, locale: Locale): QuestionText | undefined {
  return question.texts.find((text) => text.locale === locale) ?? question.texts[0];
}

// ---------------------------------------------------------------------------
// The bank's list in the page URL: `?tag=&archived=1&page=`

export interface BankFilters {
  tag: string;
  archived: boolean;
  page: number;
}

export const EMPTY_BANK_FILTERS: BankFilters = { tag: '', archived: false, page: 1 };

export function bankFiltersFromQuery(search: URLSearchParams): BankFilters {
  const page = Number(search.get('page'));
  return {
    tag: parseTags(search.get('tag') ?? '')[0] ?? '',
    archived: search.get('archived') === '1',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function queryFromBankFilters(filters: BankFilters): string {
  return query({ tag: filters.tag, archived: filters.archived ? 1 : undefined, page: filters.page > 1 ? filters.page : undefined });
}
