/**
 * Assessment wording that depends on the interface language: the late policy in a
 * sentence, what is wrong with chosen files, and the problems of handing work in.
 */
import { ApiError } from './api';
import {
  ASSESSMENT_PROBLEMS,
  closesAt,
  FILE_KIND_INFO,
  formatScore,
  limitFromDetail,
  MAX_FEEDBACK_FILES,
  type Assignment,
  type FileKind,
  type FileProblem,
  type GradebookCell,
} from './assessment';
import { describeError, type AlertContent } from './errors';
import { formatBytes, formatList, formatMoment } from './format';
import { i18n, t, tn } from './i18n/index.svelte';

/** The accepted kinds of file, named as people know them: `PDF, PNG y Word (DOCX)`. */
export function kindsText(kinds: readonly FileKind[]): string {
  return formatList(
    kinds.map((kind) => FILE_KIND_INFO[kind].label),
    i18n.locale,
  );
}

/**
 * The late policy in words for a person whose due date is `due`: whether late work is
 * taken, what it costs, and when nothing is taken any more.
 */
export function lateRuleText(assignment: Pick<Assignment, 'late_policy' | 'late_penalty_percent' | 'cutoff_at' | 'time_zone'>, due: string): string {
  const closes = closesAt(assignment, due);
  if (closes === due) return t('lateRule.refuse');
  const first =
    assignment.late_policy === 'penalty' && assignment.late_penalty_percent > 0
      ? t('lateRule.penalty', { percent: assignment.late_penalty_percent })
      : t('lateRule.accept');
  if (!closes) return first;
  return `${first} ${t('lateRule.cutoff', { date: formatMoment(closes, i18n.locale, assignment.time_zone) })}`;
}

/** One problem of the chosen files, in a sentence. */
export function fileProblemText(problem: FileProblem, allowed: readonly FileKind[]): string {
  switch (problem.code) {
    case 'too_many':
      return tn('submit.tooManyFiles', problem.max);
    case 'too_large':
      return t('submit.fileTooLarge', { name: problem.name, size: formatBytes(problem.max, i18n.locale) });
    case 'wrong_kind':
      return t('submit.wrongKind', { name: problem.name, kinds: kindsText(allowed) });
    case 'empty':
      return t('submit.emptyFile', { name: problem.name });
  }
}

/** Field problems of a submission (`body`, `files`) by their code. */
function submissionFieldText(field: string, code: string, assignment: Pick<Assignment, 'max_files' | 'accepts_text'>): string | null {
  if (code === 'empty') return assignment.accepts_text ? t('submit.nothingToSend') : t('submit.noFiles');
  if (field === 'files' && code === 'too_many') return tn('submit.tooManyFiles', assignment.max_files);
  if (field === 'files' && code === 'invalid') return t('submit.filesNotTaken');
  if (field === 'body' && code === 'too_long') return t('submit.answerTooLong');
  if (field === 'body' && code === 'invalid') return t('submit.textNotTaken');
  return null;
}

/** What to tell a learner whose work was refused, for every problem the server may answer with. */
export function submitProblem(
  error: unknown,
  assignment: Pick<Assignment, 'max_files' | 'accepts_text' | 'allowed_types' | 'max_file_bytes'>,
): AlertContent {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'file_too_large': {
        const limit = limitFromDetail(error.detail) ?? assignment.max_file_bytes;
        return { title: t('submit.tooLargeOnServer', { size: formatBytes(limit, i18n.locale) }) };
      }
      case 'file_type_not_allowed':
        return { title: t('submit.typeRefused', { kinds: kindsText(assignment.allowed_types) }) };
      case 'payload_too_large':
        return { title: t('submit.tooLargeOnServer', { size: formatBytes(assignment.max_file_bytes, i18n.locale) }) };
      case 'validation_failed': {
        const items = error.errors.map((e) => submissionFieldText(e.field, e.code, assignment) ?? e.message);
        return items.length === 1 ? { title: items[0] } : { title: t('submit.refused'), items };
      }
    }
  }
  return describeError(error, [], ASSESSMENT_PROBLEMS);
}

/** What to tell staff whose feedback file was refused, or anyone whose download failed. */
export function feedbackFileProblem(error: unknown): AlertContent {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'file_too_large':
      case 'payload_too_large': {
        const limit = limitFromDetail(error.detail);
        return { title: limit ? t('problem.file_too_large_limit', { size: formatBytes(limit, i18n.locale) }) : t('problem.file_too_large') };
      }
      case 'file_type_not_allowed':
        return { title: t('feedbackFiles.typeRefused') };
      case 'validation_failed':
        if (error.errors.some((e) => e.code === 'too_many')) return { title: t('feedbackFiles.tooMany', { max: MAX_FEEDBACK_FILES }) };
    }
  }
  return describeError(error, [], ASSESSMENT_PROBLEMS);
}

/**
 * Where a rubric problem is, in words (`Criterio 2 · Título del criterio`, `Puntos del
 * nivel 1 del criterio 2`), from the field the server names (`criteria[1].levels[0].points`).
 */
export function rubricFieldLabel(field: string): string {
  const level = /^criteria\[(\d+)\]\.levels\[(\d+)\]\.(title|points)$/.exec(field);
  if (level) {
    const params = { n: Number(level[1]) + 1, level: Number(level[2]) + 1 };
    return level[3] === 'title' ? t('rubric.levelTitleOf', params) : t('rubric.pointsOf', params);
  }
  const criterion = /^criteria\[(\d+)\]\.(title|description|levels)$/.exec(field);
  if (criterion) {
    const n = Number(criterion[1]) + 1;
    if (criterion[2] === 'levels') return t('rubric.levelsOf', { n });
    const part = criterion[2] === 'title' ? t('rubric.criterionTitle') : t('rubric.criterionDescription');
    return `${t('rubric.criterion', { n })} · ${part}`;
  }
  return t('rubric.title');
}

/** A refused rubric's problems, each after the place it is about. */
export function rubricProblem(error: unknown): AlertContent {
  if (error instanceof ApiError && error.errors.length > 0) {
    return { title: t('form.fixErrors'), items: error.errors.map((e) => `${rubricFieldLabel(e.field)}: ${e.message}`) };
  }
  return describeError(error, [], ASSESSMENT_PROBLEMS);
}

/** A grade as points out of the maximum: `17,5 / 20`. */
export function scoreText(score: number, max: number): string {
  return t('grade.points', { score: formatScore(score, i18n.locale), max: formatScore(max, i18n.locale) });
}

/** A gradebook cell in words, for the grid and for the learner's grades. */
export function cellText(cell: GradebookCell, max: number): string {
  if (cell.status === 'graded' && cell.score !== null && cell.score !== undefined) return scoreText(cell.score, max);
  return t(`cellStatus.${cell.status}`);
}

/** A final grade (out of 100) as the locale writes it, or a dash. */
export function finalText(grade: number | null | undefined): string {
  return grade === null || grade === undefined ? '—' : formatScore(grade, i18n.locale);
}

/** Whether a person passed, in words: approved, not approved, or not yet known. */
export function passedText(passed: boolean | null | undefined): string {
  if (passed === true) return t('grade.passed');
  if (passed === false) return t('grade.notPassed');
  return t('grade.undecided');
}

export function passedTone(passed: boolean | null | undefined): 'ok' | 'bad' | 'off' {
  return passed === true ? 'ok' : passed === false ? 'bad' : 'off';
}
