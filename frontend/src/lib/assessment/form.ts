/** The assignment form: an assignment as its editor holds it, and the body it sends. */
import type { MessageKey } from '../i18n/catalogues';
import { utcToZoned, zonedToUtc } from '../zoned';
import { instant } from './dates';
import { bytesToMb, mbToBytes } from './files';
import { parseDecimal, parseWhole } from './numbers';
import { FILE_KINDS, type Assignment, type AssignmentInput, type FileKind, type LatePolicy, type MissingWork } from './types';

/** An assignment as its form holds it: moments as wall-clock times in the offering's zone. */
export interface AssignmentDraft {
  title: string;
  instructions: string;
  opens: string;
  due: string;
  cutoff: string;
  late_policy: LatePolicy;
  penalty: string;
  max_score: string;
  weight: string;
  missing_work: MissingWork;
  accepts_text: boolean;
  accepts_files: boolean;
  max_files: string;
  max_mb: string;
  allowed_types: FileKind[];
}

export type AssignmentField =
  | 'title'
  | 'instructions'
  | 'opens_at'
  | 'due_at'
  | 'cutoff_at'
  | 'late_policy'
  | 'late_penalty_percent'
  | 'max_score'
  | 'weight'
  | 'missing_work'
  | 'accepts_files'
  | 'max_files'
  | 'max_file_bytes'
  | 'allowed_types';

export const ASSIGNMENT_FIELDS: readonly AssignmentField[] = [
  'title',
  'instructions',
  'opens_at',
  'due_at',
  'cutoff_at',
  'late_policy',
  'late_penalty_percent',
  'max_score',
  'weight',
  'missing_work',
  'accepts_files',
  'max_files',
  'max_file_bytes',
  'allowed_types',
];

/** The form of a new assignment (`maxMb`: the server's largest file) or of an existing one. */
export function assignmentDraft(assignment: Assignment | null, timeZone: string, maxMb = 10): AssignmentDraft {
  if (!assignment) {
    return {
      title: '',
      instructions: '',
      opens: '',
      due: '',
      cutoff: '',
      late_policy: 'accept',
      penalty: '0',
      max_score: '100',
      weight: '0',
      missing_work: 'zero',
      accepts_text: true,
      accepts_files: true,
      max_files: '3',
      max_mb: String(maxMb),
      allowed_types: ['pdf'],
    };
  }
  const local = (at: string | null | undefined) => (at ? utcToZoned(at, timeZone) : '');
  return {
    title: assignment.title,
    instructions: assignment.instructions,
    opens: local(assignment.opens_at),
    due: local(assignment.due_at),
    cutoff: local(assignment.cutoff_at),
    late_policy: assignment.late_policy,
    penalty: String(assignment.late_penalty_percent),
    max_score: String(assignment.max_score),
    weight: String(assignment.weight),
    missing_work: assignment.missing_work,
    accepts_text: assignment.accepts_text,
    accepts_files: assignment.accepts_files,
    max_files: String(assignment.max_files),
    max_mb: String(bytesToMb(assignment.max_file_bytes)),
    allowed_types: [...assignment.allowed_types],
  };
}

/**
 * The body of a create or an edit, or the fields the form must fix first (a message key
 * each). Empty optional moments are sent as `null`, which removes them.
 */
export function assignmentInput(
  draft: AssignmentDraft,
  timeZone: string,
): { input: AssignmentInput; problems: Partial<Record<AssignmentField, MessageKey>> } {
  const problems: Partial<Record<AssignmentField, MessageKey>> = {};
  const moment = (text: string, field: AssignmentField, required: boolean): string | null => {
    if (!text) {
      if (required) problems[field] = 'validation.required';
      return null;
    }
    const at = zonedToUtc(text, timeZone);
    if (!at) problems[field] = 'offeringForm.invalidMoment';
    return at;
  };
  const whole = (text: string, field: AssignmentField, min: number, max: number, key: MessageKey): number => {
    const n = parseWhole(text);
    if (n === null || n < min || n > max) {
      problems[field] = key;
      return 0;
    }
    return n;
  };
  const title = draft.title.trim();
  if (!title) problems.title = 'validation.required';
  const opens = moment(draft.opens, 'opens_at', false);
  const due = moment(draft.due, 'due_at', true);
  const cutoff = moment(draft.cutoff, 'cutoff_at', false);
  if (opens && due && instant(opens) >= instant(due) && !problems.due_at) problems.due_at = 'assignmentForm.dueBeforeOpens';
  if (cutoff && due && instant(cutoff) < instant(due) && !problems.cutoff_at) problems.cutoff_at = 'assignmentForm.cutoffBeforeDue';
  const penalty = draft.late_policy === 'penalty' ? whole(draft.penalty, 'late_penalty_percent', 0, 100, 'offeringForm.percent') : 0;
  const maxScore = whole(draft.max_score, 'max_score', 1, 1000, 'assignmentForm.maxScoreRange');
  const weight = whole(draft.weight, 'weight', 0, 100, 'offeringForm.percent');
  if (!draft.accepts_text && !draft.accepts_files) problems.accepts_files = 'assignmentForm.acceptSomething';
  let maxFiles = 1;
  let maxBytes = mbToBytes(1);
  if (draft.accepts_files) {
    maxFiles = whole(draft.max_files, 'max_files', 1, 10, 'assignmentForm.maxFilesRange');
    const mb = parseDecimal(draft.max_mb);
    if (mb === null || mb <= 0) problems.max_file_bytes = 'assignmentForm.sizePositive';
    else maxBytes = mbToBytes(mb);
    if (draft.allowed_types.length === 0) problems.allowed_types = 'assignmentForm.kindsRequired';
  }
  const input: AssignmentInput = {
    title,
    instructions: draft.instructions,
    opens_at: opens,
    due_at: due,
    cutoff_at: cutoff,
    late_policy: draft.late_policy,
    late_penalty_percent: penalty,
    max_score: maxScore,
    weight,
    missing_work: draft.missing_work,
    accepts_text: draft.accepts_text,
    accepts_files: draft.accepts_files,
  };
  if (draft.accepts_files) {
    input.max_files = maxFiles;
    input.max_file_bytes = maxBytes;
    input.allowed_types = FILE_KINDS.filter((kind) => draft.allowed_types.includes(kind));
  }
  return { input, problems };
}

/** The offering's weights added up, with `weight` in place of the one being edited (if any). */
export function weightsTotal(assignments: readonly Pick<Assignment, 'id' | 'weight'>[], editing: number | null, weight: number): number {
  return assignments.reduce((sum, a) => sum + (a.id === editing ? 0 : a.weight), 0) + weight;
}
