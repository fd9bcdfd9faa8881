/**
 * Quiz wording that depends on the interface language: the time limit, the scoring rule
 * and attempts in a sentence, points with decimals, and the problems of the quiz API.
 */
import { ApiError } from './api';
import { formatScore, QUIZ_PROBLEMS, type AttemptQuestion, type Quiz } from './assessment';
import { describeError, type AlertContent } from './errors';
import { languageLabel } from './format';
import { i18n, t, tn } from './i18n/index.svelte';
import type { Locale } from './types';

/** Points as the locale writes them, counted: `1 punto`, `2,5 puntos`. */
export function pointsText(points: number): string {
  return tn('quiz.points', points, { count: formatScore(points, i18n.locale) });
}

/** Points out of a maximum: `1,5 / 2`. */
export function pointsOf(points: number, max: number): string {
  return t('grade.points', { score: formatScore(points, i18n.locale), max: formatScore(max, i18n.locale) });
}

/** How long an attempt lasts: `20 minutos por intento`, or until the quiz closes. */
export function timeLimitText(quiz: Pick<Quiz, 'time_limit_minutes'>): string {
  return quiz.time_limit_minutes ? tn('quiz.minutesPerAttempt', quiz.time_limit_minutes) : t('quiz.noTimeLimit');
}

/** The scoring rule in a sentence: which attempts make the score. */
export function scoringText(quiz: Pick<Quiz, 'scoring'>): string {
  return t(`scoring.${quiz.scoring}`);
}

/** The learner's answer in words, for review: the choices' texts, true or false, or as typed. */
export function responseText(question: Pick<AttemptQuestion, 'kind' | 'response' | 'choices'>): string {
  const response = question.response?.trim() ?? '';
  if (!response) return t('player.noAnswer');
  switch (question.kind) {
    case 'true_false':
      return response === '1' ? t('player.true') : t('player.false');
    case 'single_choice':
    case 'multiple_choice': {
      const marked = response.split(/[\s,]+/).map(Number);
      return question.choices
        .filter((choice) => marked.includes(choice.position))
        .map((choice) => choice.text)
        .join(' · ');
    }
    default:
      return response;
  }
}

/** What to tell about a refused answer, start, submission or override of a quiz. */
export function quizProblem(error: unknown, shownFields: readonly string[] = []): AlertContent {
  if (error instanceof ApiError && error.code === 'validation_failed') {
    const response = error.errors.find((e) => e.field === 'response');
    if (response) return { title: response.code === 'too_long' ? t('player.answerTooLong') : t('player.answerInvalid') };
  }
  return describeError(error, shownFields, QUIZ_PROBLEMS);
}

/**
 * Where a problem of the question form is, from the field the server names: the texts
 * are sent in `languages` order (`texts[1].choices` → `Português · Opciones`).
 */
export function questionFieldLabel(field: string, languages: readonly Locale[]): string {
  const text = /^texts\[(\d+)\]\.(prompt|choices|locale)$/.exec(field);
  if (text) {
    const locale = languages[Number(text[1])];
    const language = locale ? languageLabel(locale, i18n.locale) : `#${Number(text[1]) + 1}`;
    const part = text[2] === 'choices' ? t('questionForm.choices') : t('questionForm.prompt');
    return `${language} · ${part}`;
  }
  switch (field) {
    case 'points':
      return t('questionForm.points');
    case 'tags':
      return t('questionForm.tags');
    case 'correct':
      return t('questionForm.right');
    case 'accepted_answers':
      return t('questionForm.accepted');
    case 'numeric_answer':
      return t('questionForm.numericAnswer');
    case 'numeric_tolerance':
      return t('questionForm.tolerance');
    case 'kind':
      return t('questionForm.kind');
    default:
      return t('questionForm.texts');
  }
}

/** A refused question's problems, each after the place it is about. */
export function questionProblem(error: unknown, languages: readonly Locale[]): AlertContent {
  if (error instanceof ApiError && error.errors.length > 0) {
    return {
      title: t('form.fixErrors'),
      items: error.errors.map((e) => `${questionFieldLabel(e.field, languages)}: ${e.message}`),
    };
  }
  return describeError(error, [], QUIZ_PROBLEMS);
}

/** Where a problem of a quiz's parts is: `parts[1].count` → `Parte 2`. */
export function partLabel(field: string): string | null {
  const part = /^parts\[(\d+)\]/.exec(field);
  return part ? t('quizForm.partN', { n: Number(part[1]) + 1 }) : null;
}
