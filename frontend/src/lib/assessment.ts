/**
 * Assessment: assignments, the work learners hand in, grading and the gradebook. The
 * shapes the API answers with, the calls, and the rules the interface needs to show
 * them (what a learner's assignment stands at, what a rubric adds up to, whether files
 * look acceptable before sending them; the server decides).
 */
import { download, query, request, seg, upload, type UploadProgress } from './api';
import type { MessageKey } from './i18n/catalogues';
import { everyOf, type Page, type Schemas } from './types';
import { utcToZoned, zonedToUtc } from './zoned';

// ---------------------------------------------------------------------------
// Vocabulary

export type LatePolicy = Schemas['LatePolicy'];
export const LATE_POLICIES = everyOf<LatePolicy>()(['accept', 'penalty', 'refuse']);

export type MissingWork = Schemas['MissingWork'];
export const MISSING_WORK = everyOf<MissingWork>()(['zero', 'excluded']);

export type FileKind = Schemas['FileKind'];
export const FILE_KINDS = everyOf<FileKind>()(['pdf', 'png', 'jpeg', 'webp', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'zip']);

export type CellStatus = Schemas['CellStatus'];
export const CELL_STATUSES = everyOf<CellStatus>()(['graded', 'pending', 'open', 'missing', 'excluded']);

/** What a gradebook column is: an assignment or a quiz. */
export type ItemKind = Schemas['ItemKind'];
export const ITEM_KINDS = everyOf<ItemKind>()(['assignment', 'quiz']);

export type GradeImportOutcome = Schemas['GradeImportOutcome'];
export const GRADE_IMPORT_OUTCOMES = everyOf<GradeImportOutcome>()(['graded', 'changed', 'unchanged', 'error']);

// ---------------------------------------------------------------------------
// Shapes

export type Assignment = Schemas['Assignment'];
export type AssignmentInput = Schemas['AssignmentInput'];
export type GradingProgress = Schemas['GradingProgress'];
export type MySubmissions = Schemas['MySubmissions'];
export type Submission = Schemas['Submission'];
export type SubmittedFile = Schemas['SubmittedFile'];
export type RubricCriterion = Schemas['RubricCriterion'];
export type RubricLevel = Schemas['RubricLevel'];
export type RubricInput = Schemas['RubricInput'];
export type Extension = Schemas['Extension'];
export type Grade = Schemas['Grade'];
export type GradeInput = Schemas['GradeInput'];
export type GradeRecord = Schemas['GradeRecord'];
export type GradeEvent = Schemas['GradeEvent'];
export type GradeImportReport = Schemas['GradeImportReport'];
export type QueueItem = Schemas['QueueItem'];
export type Gradebook = Schemas['Gradebook'];
export type GradebookItem = Schemas['GradebookItem'];
export type GradebookRow = Schemas['GradebookRow'];
export type GradebookCell = Schemas['GradebookCell'];
export type FinalGradeRecord = Schemas['FinalGradeRecord'];
export type OverrideEvent = Schemas['OverrideEvent'];
export type MyGrades = Schemas['MyGrades'];

/** A person of an offering who holds a seat, as lists of people show them. */
export interface Person {
  enrolment_id: number;
  full_name: string;
  email: string;
}

// ---------------------------------------------------------------------------
// Files

interface KindInfo {
  /** How people know it: the format's own name, the same in every language. */
  label: string;
  extensions: readonly string[];
  mime: string;
}

export const FILE_KIND_INFO: Record<FileKind, KindInfo> = {
  pdf: { label: 'PDF', extensions: ['.pdf'], mime: 'application/pdf' },
  png: { label: 'PNG', extensions: ['.png'], mime: 'image/png' },
  jpeg: { label: 'JPEG', extensions: ['.jpg', '.jpeg'], mime: 'image/jpeg' },
  webp: { label: 'WebP', extensions: ['.webp'], mime: 'image/webp' },
  docx: {
    label: 'Word (DOCX)',
    extensions: ['.docx'],
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xlsx: {
    label: 'Excel (XLSX)',
    extensions: ['.xlsx'],
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  pptx: {
    label: 'PowerPoint (PPTX)',
    extensions: ['.pptx'],
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  },
  odt: { label: 'ODT', extensions: ['.odt'], mime: 'application/vnd.oasis.opendocument.text' },
  ods: { label: 'ODS', extensions: ['.ods'], mime: 'application/vnd.oasis.opendocument.spreadsheet' },
  zip: { label: 'ZIP', extensions: ['.zip'], mime: 'application/zip' },
};

/** The `accept` attribute of a file input for these kinds. */
export function acceptFor(kinds: readonly FileKind[]): string {
  return kinds.flatMap((kind) => [...FILE_KIND_INFO[kind].extensions, FILE_KIND_INFO[kind].mime]).join(',');
}

/** The kind a chosen file seems to be, from its name or its type; the server reads its content. */
export function kindOfFile(file: { name: string; type: string }): FileKind | null {
  const name = file.name.toLowerCase();
  const byName = FILE_KINDS.find((kind) => FILE_KIND_INFO[kind].extensions.some((ext) => name.endsWith(ext)));
  if (byName) return byName;
  return FILE_KINDS.find((kind) => FILE_KIND_INFO[kind].mime === file.type) ?? null;
}

/** One bundle of chosen files, with a new choice added: the same file twice counts once. */
export function addFiles<F extends { name: string; size: number; lastModified: number }>(
  chosen: readonly F[],
  added: readonly F[],
): F[] {
  const key = (f: F) => `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
  const seen = new Set(chosen.map(key));
  const result = [...chosen];
  for (const file of added) {
    if (seen.has(key(file))) continue;
    seen.add(key(file));
    result.push(file);
  }
  return result;
}

export type FileProblem =
  | { code: 'too_many'; max: number }
  | { code: 'too_large'; name: string; max: number }
  | { code: 'wrong_kind'; name: string }
  | { code: 'empty'; name: string };

export interface FileLimits {
  maxFiles: number;
  maxBytes: number;
  allowed: readonly FileKind[];
}

/**
 * What is wrong with a bundle of files before it is sent: too many of them, one too
 * large, empty, or clearly not of an accepted kind. The server checks again, by content.
 */
export function checkFiles(files: readonly { name: string; size: number; type: string }[], limits: FileLimits): FileProblem[] {
  const problems: FileProblem[] = [];
  if (files.length > limits.maxFiles) problems.push({ code: 'too_many', max: limits.maxFiles });
  for (const file of files) {
    const kind = kindOfFile(file);
    if (kind === null || !limits.allowed.includes(kind)) problems.push({ code: 'wrong_kind', name: file.name });
    else if (file.size === 0) problems.push({ code: 'empty', name: file.name });
    else if (file.size > limits.maxBytes) problems.push({ code: 'too_large', name: file.name, max: limits.maxBytes });
  }
  return problems;
}

/** The form a learner hands in: the text answer when there is one, and each file as a `file` part. */
export function submissionForm(body: string, files: readonly File[]): FormData {
  const form = new FormData();
  const text = body.trim();
  if (text) form.append('body', body);
  for (const file of files) form.append('file', file, file.name);
  return form;
}

/** The limit in bytes from a `file_too_large` problem's detail, if it says one. */
export function limitFromDetail(detail: string): number | null {
  const match = /(\d+)\s*bytes/.exec(detail);
  return match ? Number(match[1]) : null;
}

const MIB = 1024 * 1024;

/** Bytes as the megabytes an instructor types (binary megabytes, like the server's limit). */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

export function mbToBytes(mb: number): number {
  return Math.round(mb * MIB);
}

// ---------------------------------------------------------------------------
// Dates

function instant(timestamp: string): number {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`).getTime();
}

/** The later of two timestamps. */
function later(a: string, b: string): string {
  return instant(a) >= instant(b) ? a : b;
}

/**
 * When work stops being taken, for a person whose due date is `due`: the cut-off (never
 * before their due date), the due date itself under `refuse` without one, else never.
 */
export function closesAt(assignment: Pick<Assignment, 'late_policy' | 'cutoff_at'>, due: string): string | null {
  if (assignment.cutoff_at) return later(assignment.cutoff_at, due);
  return assignment.late_policy === 'refuse' ? due : null;
}

/** The learner's own due date: an extension's, else the assignment's. */
export function personalDue(assignment: Pick<Assignment, 'due_at' | 'mine'>): string {
  return assignment.mine?.due_at ?? assignment.due_at;
}

// ---------------------------------------------------------------------------
// Where a learner stands

/**
 * One assignment as its learner sees it: `graded` (grade released), `late` or
 * `submitted` (handed in), `todo` (open, before the due date), `overdue` (late work is
 * still taken), `not_open` (before it opens), `missed` (nothing handed in, and it is
 * closed).
 */
export type LearnerStatus = 'graded' | 'submitted' | 'late' | 'todo' | 'overdue' | 'not_open' | 'missed';

export function learnerStatus(
  assignment: Pick<Assignment, 'due_at' | 'opens_at' | 'mine'>,
  now: number = Date.now(),
): LearnerStatus {
  const mine = assignment.mine;
  if (mine?.grade) return 'graded';
  const last = mine?.attempts[0];
  if (last) return last.late ? 'late' : 'submitted';
  if (assignment.opens_at && now < instant(assignment.opens_at)) return 'not_open';
  if (mine && !mine.can_submit) return 'missed';
  return now > instant(personalDue(assignment)) ? 'overdue' : 'todo';
}

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'off';

export function learnerStatusTone(status: LearnerStatus): Tone {
  switch (status) {
    case 'graded':
    case 'submitted':
      return 'ok';
    case 'late':
    case 'overdue':
      return 'warn';
    case 'todo':
      return 'info';
    case 'not_open':
      return 'off';
    case 'missed':
      return 'bad';
  }
}

export function cellTone(status: CellStatus): Tone {
  switch (status) {
    case 'graded':
      return 'ok';
    case 'pending':
      return 'info';
    case 'open':
    case 'excluded':
      return 'off';
    case 'missing':
      return 'bad';
  }
}

// ---------------------------------------------------------------------------
// The gradebook

/** A gradebook column's key, unique across kinds (an assignment and a quiz may share an id). */
export function itemKey(item: Pick<GradebookItem, 'kind' | 'id'>): string {
  return `${item.kind}-${item.id}`;
}

/** One learner's cell in a column. */
export function cellOf(row: Pick<GradebookRow, 'cells'>, item: Pick<GradebookItem, 'kind' | 'id'>): GradebookCell | undefined {
  return row.cells.find((cell) => cell.kind === item.kind && cell.id === item.id);
}

/** Where an item is read: an assignment's own page; quizzes have none here. */
export function itemHref(item: Pick<GradebookItem, 'kind' | 'id'>): string | null {
  return item.kind === 'assignment' ? `/assignments/${encodeURIComponent(String(item.id))}` : null;
}

// ---------------------------------------------------------------------------
// Rubrics

/** What a rubric is worth: the best level of each criterion, added up. */
export function rubricMax(criteria: readonly { levels: readonly { points: number }[] }[]): number {
  return round2(criteria.reduce((sum, c) => sum + c.levels.reduce((best, l) => Math.max(best, l.points), 0), 0));
}

/** Points to two decimals, as the server keeps them. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The score of the levels chosen (criterion id → level id) and whether every
 * criterion has one.
 */
export function rubricScore(
  rubric: readonly RubricCriterion[],
  chosen: Readonly<Record<number, number | undefined>>,
): { total: number; complete: boolean } {
  let total = 0;
  let complete = true;
  for (const criterion of rubric) {
    const level = criterion.levels.find((l) => l.id === chosen[criterion.id]);
    if (level) total += level.points;
    else complete = false;
  }
  return { total: round2(total), complete };
}

/** A grade's levels (ids) as criterion id → level id. */
export function chosenLevels(rubric: readonly RubricCriterion[], levels: readonly number[]): Record<number, number> {
  const chosen: Record<number, number> = {};
  for (const criterion of rubric) {
    const level = criterion.levels.find((l) => levels.includes(l.id));
    if (level) chosen[criterion.id] = level.id;
  }
  return chosen;
}

/** A rubric as its editor holds it: points as typed. */
export interface RubricDraft {
  title: string;
  description: string;
  levels: { title: string; points: string }[];
}

export function rubricDraft(rubric: readonly RubricCriterion[]): RubricDraft[] {
  return rubric.map((c) => ({
    title: c.title,
    description: c.description,
    levels: c.levels.map((l) => ({ title: l.title, points: String(l.points) })),
  }));
}

/** A number typed by a person, with a decimal point or comma; `null` when it is none. */
export function parseDecimal(text: string): number | null {
  const value = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  return Number(value);
}

/** A whole number typed by a person; `null` when it is none. */
export function parseWhole(text: string): number | null {
  const value = text.trim();
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** The rubric draft's total so far (levels with unreadable points count nothing). */
export function draftTotal(draft: readonly RubricDraft[]): number {
  return rubricMax(draft.map((c) => ({ levels: c.levels.map((l) => ({ points: parseDecimal(l.points) ?? 0 })) })));
}

/** The body of `PUT /assignments/{id}/rubric`; `null` when a level's points are unreadable. */
export function rubricInput(draft: readonly RubricDraft[]): RubricInput | null {
  const criteria: RubricInput['criteria'] = [];
  for (const c of draft) {
    const levels = [];
    for (const l of c.levels) {
      const points = parseDecimal(l.points);
      if (points === null) return null;
      levels.push({ title: l.title.trim(), points });
    }
    criteria.push({ title: c.title.trim(), description: c.description.trim(), levels });
  }
  return { criteria };
}

// ---------------------------------------------------------------------------
// The assignment form

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

// ---------------------------------------------------------------------------
// Grading: keyboard

export type QueueShortcut = 'next' | 'prev' | 'save';

/** Whether keys typed now go into a field (where letters and arrows are the field's own). */
export function isTypingTarget(target: { tagName?: string; type?: string; isContentEditable?: boolean } | null): boolean {
  if (!target?.tagName) return false;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes((target.type ?? 'text').toLowerCase());
}

/**
 * The grading page's shortcuts: `j` / Alt+↓ next, `k` / Alt+↑ previous (never while
 * typing in a field), Ctrl/⌘+Enter save (also from a field).
 */
export function queueShortcut(
  event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean },
  typing: boolean,
): QueueShortcut | null {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey) return 'save';
  if (typing || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  if (event.altKey) {
    if (event.key === 'ArrowDown') return 'next';
    if (event.key === 'ArrowUp') return 'prev';
    return null;
  }
  if (event.key === 'j' || event.key === 'J') return 'next';
  if (event.key === 'k' || event.key === 'K') return 'prev';
  return null;
}

// ---------------------------------------------------------------------------
// Numbers

/** Points or a grade as the locale writes them, with at most two decimals (`17,5`). */
export function formatScore(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

// ---------------------------------------------------------------------------
// Filters in the page URL

export interface GradebookFilters {
  q: string;
  page: number;
}

export function gradebookFiltersFromQuery(search: URLSearchParams): GradebookFilters {
  const page = Number(search.get('page'));
  return { q: (search.get('q') ?? '').trim(), page: Number.isInteger(page) && page > 1 ? page : 1 };
}

export function queryFromGradebookFilters(filters: GradebookFilters): string {
  return query({ q: filters.q.trim(), page: filters.page > 1 ? filters.page : undefined });
}

/** The grading queue's assignment filter (`?assignment=`) and page. */
export interface QueueFilters {
  assignment: number | null;
  page: number;
}

export function queueFiltersFromQuery(search: URLSearchParams): QueueFilters {
  const id = Number(search.get('assignment'));
  const page = Number(search.get('page'));
  return {
    assignment: Number.isInteger(id) && id > 0 ? id : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function queryFromQueueFilters(filters: QueueFilters): string {
  return query({ assignment: filters.assignment, page: filters.page > 1 ? filters.page : undefined });
}

// ---------------------------------------------------------------------------
// Problems: the interface's own words for the codes of this part of the API

export const ASSESSMENT_PROBLEMS: Record<string, MessageKey> = {
  assignment_not_found: 'problem.assignment_not_found',
  submission_not_found: 'problem.submission_not_found',
  submission_closed: 'problem.submission_closed',
  duplicate_submission: 'problem.duplicate_submission',
  rubric_in_use: 'problem.rubric_in_use',
  assignment_in_use: 'problem.assignment_in_use',
  offering_not_found: 'problem.offering_not_found',
  enrolment_not_found: 'problem.enrolment_not_found',
  service_unavailable: 'problem.service_unavailable',
  forbidden: 'problem.forbidden',
  invalid_csv: 'problem.invalid_grades_csv',
};

// ---------------------------------------------------------------------------
// Calls

/** `POST /assignments/{id}/grades/import` with the dry-run switch always stated. */
export function gradeImportPath(assignmentId: number, options: { dryRun: boolean; reason: string }): string {
  const params = new URLSearchParams({ dry_run: String(options.dryRun) });
  const reason = options.reason.trim();
  if (reason) params.set('reason', reason);
  return `/assignments/${seg(assignmentId)}/grades/import?${params}`;
}

export const assessmentApi = {
  // Assignments
  list: (offeringId: number) => request<Assignment[]>('GET', `/offerings/${seg(offeringId)}/assignments`, { auth: true }),
  get: (id: number) => request<Assignment>('GET', `/assignments/${seg(id)}`, { auth: true }),
  create: (offeringId: number, body: AssignmentInput) =>
    request<Assignment>('POST', `/offerings/${seg(offeringId)}/assignments`, { body, auth: true }),
  update: (id: number, body: AssignmentInput) => request<Assignment>('PATCH', `/assignments/${seg(id)}`, { body, auth: true }),
  remove: (id: number) => request<null>('DELETE', `/assignments/${seg(id)}`, { auth: true }),
  putRubric: (id: number, body: RubricInput) => request<Assignment>('PUT', `/assignments/${seg(id)}/rubric`, { body, auth: true }),
  release: (id: number) => request<Assignment>('POST', `/assignments/${seg(id)}/release`, { auth: true }),

  // Extensions
  extensions: (id: number) => request<Extension[]>('GET', `/assignments/${seg(id)}/extensions`, { auth: true }),
  grantExtension: (id: number, enrolmentId: number, body: Schemas['ExtensionInput']) =>
    request<Extension>('PUT', `/assignments/${seg(id)}/extensions/${seg(enrolmentId)}`, { body, auth: true }),
  revokeExtension: (id: number, enrolmentId: number) =>
    request<null>('DELETE', `/assignments/${seg(id)}/extensions/${seg(enrolmentId)}`, { auth: true }),

  // Work handed in
  submit: (id: number, body: string, files: readonly File[], onProgress?: UploadProgress) =>
    upload<Submission>(`/assignments/${seg(id)}/submissions`, submissionForm(body, files), { onProgress }),
  submissions: (id: number, enrolmentId?: number) =>
    request<Submission[]>('GET', `/assignments/${seg(id)}/submissions${query({ enrolment_id: enrolmentId })}`, { auth: true }),
  file: (submissionId: number, fileId: number) => download(`/submissions/${seg(submissionId)}/files/${seg(fileId)}`),

  // Grading
  queue: (offeringId: number, filters: QueueFilters, perPage: number) =>
    request<Page<QueueItem>>(
      'GET',
      `/offerings/${seg(offeringId)}/grading-queue${query({ assignment_id: filters.assignment, page: filters.page, per_page: perPage })}`,
      { auth: true },
    ),
  grade: (id: number, enrolmentId: number) =>
    request<GradeRecord>('GET', `/assignments/${seg(id)}/grades/${seg(enrolmentId)}`, { auth: true }),
  putGrade: (id: number, enrolmentId: number, body: GradeInput) =>
    request<Grade>('PUT', `/assignments/${seg(id)}/grades/${seg(enrolmentId)}`, { body, auth: true }),
  importGrades: (id: number, file: File, options: { dryRun: boolean; reason: string }, onProgress?: UploadProgress) =>
    upload<GradeImportReport>(gradeImportPath(id, options), file, { headers: { 'Content-Type': 'text/csv' }, onProgress }),

  // Gradebook and final grades
  gradebook: (offeringId: number, filters: GradebookFilters, perPage: number) =>
    request<Gradebook>(
      'GET',
      `/offerings/${seg(offeringId)}/gradebook${query({ q: filters.q.trim(), page: filters.page, per_page: perPage })}`,
      { auth: true },
    ),
  gradebookCsv: (offeringId: number) => download(`/offerings/${seg(offeringId)}/gradebook.csv`),
  finalGrade: (enrolmentId: number) =>
    request<FinalGradeRecord>('GET', `/enrolments/${seg(enrolmentId)}/final-grade`, { auth: true }),
  overrideFinalGrade: (enrolmentId: number, grade: number | null, reason: string) =>
    request<FinalGradeRecord>('PUT', `/enrolments/${seg(enrolmentId)}/final-grade`, {
      body: { grade, reason: reason.trim() },
      auth: true,
    }),
  myGrades: () => request<MyGrades[]>('GET', '/me/grades', { auth: true }),
};
