/**
 * Enrolment and admission (docs/enrolment.md): the shapes the API answers with,
 * the calls that learners, staff and coordinators make, and what the interface needs to
 * show them (how a state and an action are shown, the roster's filters in the page URL).
 * Which actions an enrolment allows is the server's to say: each enrolment carries its
 * reader's `actions`, and the interface offers exactly those.
 */
import { download, query, request, seg, upload, type UploadProgress } from './api';
import type { Offering } from './catalog';
import type { MessageKey } from './i18n/catalogues';
import { everyOf, type Page, type QueryOf, type Schemas, type User } from './types';

// ---------------------------------------------------------------------------
// Vocabulary

export type EnrolmentState = Schemas['State'];
export const ENROLMENT_STATES = everyOf<EnrolmentState>()([
  'pending_endorsement',
  'pending_approval',
  'waitlisted',
  'enrolled',
  'completed',
  'failed',
  'rejected',
  'withdrawn',
]);

/** States that hold a seat: `offerings.seats_taken` counts exactly these. */
export const SEAT_STATES: readonly EnrolmentState[] = ['enrolled', 'completed', 'failed'];

export type PaymentStatus = Schemas['PaymentStatus'];
export const PAYMENT_STATUSES = everyOf<PaymentStatus>()(['unpaid', 'paid', 'scholarship', 'waived']);

export type DocumentKind = Schemas['DocumentKind'];
export const DOCUMENT_KINDS = everyOf<DocumentKind>()(['application_letter', 'cv', 'transcript']);

/** Decisions made with `POST /enrolments/{id}/{action}`. */
export type Decision = Schemas['Action'];
export const DECISIONS = everyOf<Decision>()(['endorse', 'decline', 'admit', 'reject', 'complete', 'fail']);

/**
 * What a person may do to an enrolment, as the server lists it in `actions`: a decision,
 * `withdraw` (the learner leaving, or staff removing them), `record_payment`,
 * `upload_documents`.
 */
export type EnrolmentAction = Schemas['EnrolmentAction'];

export function isDecision(action: EnrolmentAction): action is Decision {
  return (DECISIONS as readonly string[]).includes(action);
}

export type AttendanceStatus = Schemas['AttendanceStatus'];
export const ATTENDANCE_STATUSES = everyOf<AttendanceStatus>()(['present', 'absent', 'excused']);

/** Document types accepted for applications (recognised by content on the server). */
export const DOCUMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.webp,application/pdf,image/png,image/jpeg,image/webp';
const DOCUMENT_EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.webp'];
const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/webp'];

/** The server's default `AULA_MAX_UPLOAD_MB` (20 MiB), until a refusal tells the real limit. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Shapes

export type Enrolment = Schemas['Enrolment'];
export type EnrolmentDocument = Schemas['DocumentInfo'];
export type Learner = Schemas['Learner'];
export type NextSession = Schemas['NextSession'];
/** One payment status as staff recorded it. */
export type PaymentRecord = Schemas['PaymentRecord'];
export type HistoryEntry = Schemas['Event'];

export type ImportOutcome = Schemas['Outcome'];
export const IMPORT_OUTCOMES = everyOf<ImportOutcome>()(['enrolled', 'waitlisted', 'already_enrolled', 'error']);
/** One problem of a CSV row; the interface words it from its code. */
export type RowError = Schemas['FieldError'];
export type ImportRow = Schemas['RowReport'];
export type ImportReport = Schemas['ImportReport'];
export type NominationResult = Schemas['Nominations'];

/** One line of a session's attendance sheet, as the page edits it. */
export type AttendanceRow = Pick<Schemas['SheetLine'], 'enrolment_id' | 'full_name'> & {
  /** The learner's institution, by acronym. */
  institution: string | null;
  status: AttendanceStatus | null;
  /** The learner's rate over the offering's recorded sessions. */
  attendance_rate: number | null;
};

export interface AttendanceSheet {
  session_id: number;
  offering_id: number;
  records: AttendanceRow[];
}

// ---------------------------------------------------------------------------
// Rules

export function isSeatHolding(state: EnrolmentState): boolean {
  return SEAT_STATES.includes(state);
}

/** Every state but `rejected` and `withdrawn`: at most one per person and offering. */
export function isActive(state: EnrolmentState): boolean {
  return state !== 'rejected' && state !== 'withdrawn';
}

/** An action offered as a button; giving documents has the documents panel instead. */
export type ButtonAction = Exclude<EnrolmentAction, 'upload_documents'>;

/**
 * The actions shown as buttons for an enrolment, in the server's order: everything its
 * reader may do but giving documents, and, where the learner's leaving has a card of
 * its own (`learnerWithdraws`), but that.
 */
export function buttonActions(
  enrolment: Pick<Enrolment, 'actions'>,
  options: { learnerWithdraws?: boolean } = {},
): ButtonAction[] {
  return enrolment.actions.filter(
    (action): action is ButtonAction =>
      action !== 'upload_documents' && !(options.learnerWithdraws && action === 'withdraw'),
  );
}

/** `decline` and `reject` need a reason (at most 1000 characters); the others take one optionally. */
export function reasonRequired(action: EnrolmentAction): boolean {
  return action === 'decline' || action === 'reject';
}

export const MAX_REASON_LENGTH = 1000;

/** Actions that end or refuse a place, shown with a warning colour. */
export function isDestructive(action: EnrolmentAction): boolean {
  return action === 'decline' || action === 'reject' || action === 'withdraw' || action === 'fail';
}

/** The word of an action in the catalogues: staff withdrawing someone is a removal. */
export function actionKey(action: Decision | 'withdraw'): Decision | 'remove';
export function actionKey(action: ButtonAction): Decision | 'remove' | 'payment';
export function actionKey(action: ButtonAction): Decision | 'remove' | 'payment' {
  if (action === 'withdraw') return 'remove';
  if (action === 'record_payment') return 'payment';
  return action;
}

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'off';

/** The colour of a state's badge. */
export function stateTone(state: EnrolmentState): Tone {
  switch (state) {
    case 'completed':
      return 'ok';
    case 'enrolled':
      return 'info';
    case 'pending_endorsement':
    case 'pending_approval':
    case 'waitlisted':
      return 'warn';
    case 'failed':
    case 'rejected':
      return 'bad';
    case 'withdrawn':
      return 'off';
  }
}

export function paymentTone(status: PaymentStatus): Tone {
  return status === 'unpaid' ? 'warn' : 'ok';
}

/** The document kinds still missing from an application. */
export function missingDocuments(enrolment: Pick<Enrolment, 'documents'>): DocumentKind[] {
  return DOCUMENT_KINDS.filter((kind) => !enrolment.documents.some((d) => d.kind === kind));
}

export function documentOf(enrolment: Pick<Enrolment, 'documents'>, kind: DocumentKind): EnrolmentDocument | null {
  return enrolment.documents.find((d) => d.kind === kind) ?? null;
}

/** Whether a chosen file looks like an accepted document (the server has the last word). */
export function documentAccepted(file: { name: string; type: string }): boolean {
  const name = file.name.toLowerCase();
  return DOCUMENT_TYPES.includes(file.type) || DOCUMENT_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/** The limit in bytes from a `file_too_large` problem's detail, if it says one. */
export function limitFromDetail(detail: string): number | null {
  const match = /(\d+)\s*bytes/.exec(detail);
  return match ? Number(match[1]) : null;
}

/** Share of an upload sent, in whole percent. */
export function uploadPercent(sent: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((sent / total) * 100)));
}

/** A percentage within 0–100, whole. */
export function clampPercent(value: number | null | undefined): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** A whole percentage as the locale writes it (`75 %`, `75%`); `null` stays `null`. */
export function formatPercent(value: number | null | undefined, locale: string): string | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);
}

/**
 * What the course page offers a person for one offering:
 * - `status`: they have an active enrolment; show it;
 * - `sign_in`: signed out, and the window is open;
 * - `needs_institution`: endorsement is required and they belong to no institution;
 * - `apply`: they may apply (again, after a rejection or withdrawal);
 * - `closed`: nothing to do now.
 */
export type OfferingChoice = 'status' | 'sign_in' | 'needs_institution' | 'apply' | 'closed';

export function offeringChoice(
  offering: Pick<Offering, 'enrolment_open' | 'admission_policy'>,
  user: Pick<User, 'institution'> | null,
  enrolment: Pick<Enrolment, 'state'> | null,
): OfferingChoice {
  if (enrolment && isActive(enrolment.state)) return 'status';
  if (!offering.enrolment_open) return 'closed';
  if (!user) return 'sign_in';
  if (offering.admission_policy === 'institution_endorsed' && !user.institution) return 'needs_institution';
  return 'apply';
}

/**
 * The learner's enrolment in a course to record lesson completions against:
 * the seat-holding one for that course, an `enrolled` one first.
 */
export function enrolmentForCourse(enrolments: readonly Enrolment[], courseCode: string): Enrolment | null {
  const code = courseCode.toUpperCase();
  const mine = enrolments.filter((e) => e.course_code.toUpperCase() === code && isSeatHolding(e.state));
  return mine.find((e) => e.state === 'enrolled') ?? mine[0] ?? null;
}

// ---------------------------------------------------------------------------
// Attendance

/** The sheet as the page edits it: one row per seat-holder, in the server's order (by name). */
export function readAttendance(sheet: Schemas['Sheet']): AttendanceSheet {
  return {
    session_id: sheet.session_id,
    offering_id: sheet.offering_id,
    records: sheet.lines.map((line) => ({
      enrolment_id: line.enrolment_id,
      full_name: line.full_name,
      institution: line.institution ?? null,
      status: line.status ?? null,
      attendance_rate: line.attendance_rate ?? null,
    })),
  };
}

/** The body of `PUT /sessions/{id}/attendance`: every row that has a status. */
export function attendancePayload(rows: readonly Pick<AttendanceRow, 'enrolment_id' | 'status'>[]): Schemas['SheetInput'] {
  return {
    records: rows
      .filter((row): row is { enrolment_id: number; status: AttendanceStatus } => row.status !== null)
      .map((row) => ({ enrolment_id: row.enrolment_id, status: row.status })),
  };
}

/** How many rows have each status (and none yet). */
export function attendanceCounts(rows: readonly Pick<AttendanceRow, 'status'>[]): Record<AttendanceStatus | 'unset', number> {
  const counts = { present: 0, absent: 0, excused: 0, unset: 0 };
  for (const row of rows) counts[row.status ?? 'unset'] += 1;
  return counts;
}

// ---------------------------------------------------------------------------
// Filters in the page URL

export interface RosterFilters {
  state: EnrolmentState | '';
  institution_id: number | null;
  q: string;
  page: number;
}

export const EMPTY_ROSTER_FILTERS: RosterFilters = { state: '', institution_id: null, q: '', page: 1 };

export interface PeopleFilters {
  state: EnrolmentState | '';
  offering_id: number | null;
  q: string;
  page: number;
}

export const EMPTY_PEOPLE_FILTERS: PeopleFilters = { state: '', offering_id: null, q: '', page: 1 };

function readState(value: string | null): EnrolmentState | '' {
  return value !== null && (ENROLMENT_STATES as readonly string[]).includes(value) ? (value as EnrolmentState) : '';
}

function readId(value: string | null): number | null {
  const n = Number(value);
  return value !== null && value !== '' && Number.isInteger(n) && n > 0 ? n : null;
}

function readPage(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 1 ? n : 1;
}

/** Reads a state filter (as in `/learning?state=`); unknown values mean "any". */
export function stateFromQuery(search: URLSearchParams): EnrolmentState | '' {
  return readState(search.get('state'));
}

export function pageFromQuery(search: URLSearchParams): number {
  return readPage(search.get('page'));
}

export function rosterFiltersFromQuery(search: URLSearchParams): RosterFilters {
  return {
    state: readState(search.get('state')),
    institution_id: readId(search.get('institution_id')),
    q: (search.get('q') ?? '').trim(),
    page: readPage(search.get('page')),
  };
}

/** The query string (with `?`, or empty) that shares `filters`; the first page is left out. */
export function queryFromRosterFilters(filters: RosterFilters): string {
  return query({
    state: filters.state,
    institution_id: filters.institution_id,
    q: filters.q.trim(),
    page: filters.page > 1 ? filters.page : undefined,
  });
}

export function peopleFiltersFromQuery(search: URLSearchParams): PeopleFilters {
  return {
    state: readState(search.get('state')),
    offering_id: readId(search.get('offering_id')),
    q: (search.get('q') ?? '').trim(),
    page: readPage(search.get('page')),
  };
}

export function queryFromPeopleFilters(filters: PeopleFilters): string {
  return query({
    state: filters.state,
    offering_id: filters.offering_id,
    q: filters.q.trim(),
    page: filters.page > 1 ? filters.page : undefined,
  });
}

/** `GET /offerings/{id}/roster` with the filters and paging. */
export function rosterPath(offeringId: number, filters: RosterFilters, perPage: number): string {
  return `/offerings/${seg(offeringId)}/roster${query({
    state: filters.state,
    institution_id: filters.institution_id,
    q: filters.q.trim(),
    page: filters.page,
    per_page: perPage,
  })}`;
}

/** `GET /offerings/{id}/roster.csv`: the same filters, every page. */
export function rosterCsvPath(offeringId: number, filters: RosterFilters): string {
  return `/offerings/${seg(offeringId)}/roster.csv${query({
    state: filters.state,
    institution_id: filters.institution_id,
    q: filters.q.trim(),
  })}`;
}

export function peoplePath(filters: PeopleFilters, perPage: number): string {
  return `/coordinator/people${query({
    state: filters.state,
    offering_id: filters.offering_id,
    q: filters.q.trim(),
    page: filters.page,
    per_page: perPage,
  })}`;
}

export function peopleCsvPath(filters: PeopleFilters): string {
  return `/coordinator/people.csv${query({ state: filters.state, offering_id: filters.offering_id, q: filters.q.trim() })}`;
}

/** `POST /offerings/{id}/enrolments/import` with both switches always stated. */
export function importPath(offeringId: number, options: { dryRun: boolean; allOrNothing: boolean }): string {
  return `/offerings/${seg(offeringId)}/enrolments/import?dry_run=${options.dryRun}&all_or_nothing=${options.allOrNothing}`;
}

// ---------------------------------------------------------------------------
// Problems: the interface's own words for the codes of this part of the API

/** Problem codes of enrolment calls, with the message the interface shows for each. */
export const ENROLMENT_PROBLEMS: Record<string, MessageKey> = {
  already_enrolled: 'problem.already_enrolled',
  enrolment_closed: 'problem.enrolment_closed',
  institution_required: 'problem.institution_required',
  documents_missing: 'problem.documents_missing',
  invalid_transition: 'problem.invalid_transition',
  payment_outstanding: 'problem.payment_outstanding',
  file_too_large: 'problem.file_too_large',
  file_type_not_allowed: 'problem.file_type_not_allowed',
  enrolment_not_found: 'problem.enrolment_not_found',
  offering_not_found: 'problem.offering_not_found',
  session_not_found: 'problem.session_not_found',
  not_enrolled: 'problem.not_enrolled',
  email_not_verified: 'problem.email_not_verified',
  forbidden: 'problem.forbidden',
  user_not_found: 'problem.user_not_found',
  document_not_found: 'problem.document_not_found',
  invalid_csv: 'problem.invalid_csv',
  // Why a nomination was skipped.
  not_in_your_institution: 'problem.not_in_your_institution',
};

// ---------------------------------------------------------------------------
// Calls

function decisionBody(reason?: string): { reason?: string } {
  const text = reason?.trim();
  return text ? { reason: text } : {};
}

/**
 * The file name for `X-File-Name`: header values must be Latin-1, so the name is sent
 * percent-encoded as UTF-8 (`encodeURIComponent`); plain ASCII names read the same.
 */
export function fileNameHeader(name: string): string {
  return encodeURIComponent(name);
}

export const enrolmentApi = {
  // Learners
  apply: (offeringId: number) =>
    request<Enrolment>('POST', `/offerings/${seg(offeringId)}/enrolments`, { body: {}, auth: true }),
  mine: (params: QueryOf<'list_my_enrolments'> = {}) =>
    request<Page<Enrolment>>('GET', `/me/enrolments${query(params)}`, { auth: true }),
  get: (id: number) => request<Enrolment>('GET', `/enrolments/${seg(id)}`, { auth: true }),
  history: (id: number) => request<HistoryEntry[]>('GET', `/enrolments/${seg(id)}/history`, { auth: true }),
  withdraw: (id: number, reason?: string) =>
    request<Enrolment>('POST', `/enrolments/${seg(id)}/withdraw`, { body: decisionBody(reason), auth: true }),
  uploadDocument: (id: number, kind: DocumentKind, file: File, onProgress?: UploadProgress) =>
    upload<Enrolment>(`/enrolments/${seg(id)}/documents/${seg(kind)}`, file, {
      method: 'PUT',
      headers: {
        'Content-Type': file.type || 'application/octet-stream',
        'X-File-Name': fileNameHeader(file.name),
      },
      onProgress,
    }),
  document: (id: number, kind: DocumentKind) => download(`/enrolments/${seg(id)}/documents/${seg(kind)}`),
  completeLesson: (lessonId: number) =>
    request<Enrolment>('POST', `/lessons/${seg(lessonId)}/completion`, { auth: true }),

  // Decisions (staff, coordinators)
  decide: (id: number, action: Decision, reason?: string) =>
    request<Enrolment>('POST', `/enrolments/${seg(id)}/${seg(action)}`, { body: decisionBody(reason), auth: true }),
  setPayment: (id: number, status: PaymentStatus, reference: string) =>
    request<Enrolment>('PUT', `/enrolments/${seg(id)}/payment`, {
      body: { status, reference: reference.trim() || null },
      auth: true,
    }),

  // Staff
  enrolPerson: (offeringId: number, userId: number) =>
    request<Enrolment>('POST', `/offerings/${seg(offeringId)}/enrolments`, { body: { user_id: userId }, auth: true }),
  roster: (offeringId: number, filters: RosterFilters, perPage: number) =>
    request<Page<Enrolment>>('GET', rosterPath(offeringId, filters, perPage), { auth: true }),
  rosterCsv: (offeringId: number, filters: RosterFilters) => download(rosterCsvPath(offeringId, filters)),
  approvals: (page: number, perPage: number) =>
    request<Page<Enrolment>>('GET', `/staff/approvals${query({ page, per_page: perPage })}`, { auth: true }),
  importCsv: (
    offeringId: number,
    file: File,
    options: { dryRun: boolean; allOrNothing: boolean },
    onProgress?: UploadProgress,
  ) =>
    upload<ImportReport>(importPath(offeringId, options), file, {
      headers: { 'Content-Type': 'text/csv' },
      onProgress,
    }),
  async attendance(sessionId: number): Promise<AttendanceSheet> {
    return readAttendance(await request<Schemas['Sheet']>('GET', `/sessions/${seg(sessionId)}/attendance`, { auth: true }));
  },
  async saveAttendance(
    sessionId: number,
    rows: readonly Pick<AttendanceRow, 'enrolment_id' | 'status'>[],
  ): Promise<AttendanceSheet> {
    return readAttendance(
      await request<Schemas['Sheet']>('PUT', `/sessions/${seg(sessionId)}/attendance`, {
        body: attendancePayload(rows),
        auth: true,
      }),
    );
  },

  // Coordinators
  people: (filters: PeopleFilters, perPage: number) =>
    request<Page<Enrolment>>('GET', peoplePath(filters, perPage), { auth: true }),
  peopleCsv: (filters: PeopleFilters) => download(peopleCsvPath(filters)),
  endorsements: (page: number, perPage: number) =>
    request<Page<Enrolment>>('GET', `/coordinator/endorsements${query({ page, per_page: perPage })}`, { auth: true }),
  members: (params: QueryOf<'list_coordinator_members'>) =>
    request<Page<User>>('GET', `/coordinator/members${query(params)}`, { auth: true }),
  nominate: (offeringId: number, userIds: number[]) =>
    request<NominationResult>('POST', `/offerings/${seg(offeringId)}/nominations`, {
      body: { user_ids: userIds },
      auth: true,
    }),
};

