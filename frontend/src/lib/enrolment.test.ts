import { describe, expect, it } from 'vitest';
import {
  actionKey,
  attendanceCounts,
  buttonActions,
  attendancePayload,
  clampPercent,
  documentAccepted,
  EMPTY_PEOPLE_FILTERS,
  EMPTY_ROSTER_FILTERS,
  ENROLMENT_STATES,
  enrolmentForCourse,
  fileNameHeader,
  formatPercent,
  importPath,
  isActive,
  isSeatHolding,
  limitFromDetail,
  missingDocuments,
  offeringChoice,
  paymentTone,
  peopleCsvPath,
  peopleFiltersFromQuery,
  peoplePath,
  queryFromPeopleFilters,
  queryFromRosterFilters,
  readAttendance,
  reasonRequired,
  rosterCsvPath,
  rosterFiltersFromQuery,
  rosterPath,
  stateFromQuery,
  stateTone,
  uploadPercent,
  type Enrolment,
} from './enrolment';

/** ICU puts narrow and no-break spaces in places; tests compare plain text. */
const plain = (text: string | null) => text?.replace(/[\u00a0\u2009\u202f]/g, ' ') ?? null;

function enrolment(change: Partial<Enrolment> = {}): Enrolment {
  return {
    id: 12,
    offering_id: 3,
    course_code: 'PEN-201',
    course_title: 'Sistemas de pensiones',
    start_date: '2026-12-01',
    end_date: '2027-01-30',
    time_zone: 'America/Mexico_City',
    admission_policy: 'institution_endorsed',
    learner: { id: 7, full_name: 'Ana Pérez', email: 'ana@imss.gob.mx', institution: { id: 2, acronym: 'IMSS', name: 'IMSS' } },
    state: 'enrolled',
    waitlist_position: null,
    fee: 15000,
    currency: 'USD',
    payment_status: 'unpaid',
    payment_reference: null,
    payments: [],
    nominated_by: null,
    documents: [],
    documents_complete: false,
    progress: 40,
    completed_lessons: [31, 32],
    attendance_rate: 75,
    next_session: null,
    last_activity_at: null,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
    actions: [],
    ...change,
  };
}

describe('the states', () => {
  it('tell seats, activity and withdrawal apart', () => {
    expect(ENROLMENT_STATES.filter(isSeatHolding)).toEqual(['enrolled', 'completed', 'failed']);
    expect(ENROLMENT_STATES.filter((s) => !isActive(s))).toEqual(['rejected', 'withdrawn']);
  });

  it('have a badge tone each', () => {
    const tones = Object.fromEntries(ENROLMENT_STATES.map((s) => [s, stateTone(s)]));
    expect(tones).toEqual({
      pending_endorsement: 'warn',
      pending_approval: 'warn',
      waitlisted: 'warn',
      enrolled: 'info',
      completed: 'ok',
      failed: 'bad',
      rejected: 'bad',
      withdrawn: 'off',
    });
    expect(paymentTone('unpaid')).toBe('warn');
    expect(paymentTone('scholarship')).toBe('ok');
  });
});

describe('the actions offered', () => {
  it('are the ones the server lists, in its order, but giving documents', () => {
    const listed = enrolment({ actions: ['admit', 'reject', 'withdraw', 'record_payment', 'upload_documents'] });
    expect(buttonActions(listed)).toEqual(['admit', 'reject', 'withdraw', 'record_payment']);
    expect(buttonActions(enrolment({ actions: [] }))).toEqual([]);
  });

  it("leave the learner's own withdrawal to its card where there is one", () => {
    const own = enrolment({ actions: ['withdraw', 'upload_documents'] });
    expect(buttonActions(own, { learnerWithdraws: true })).toEqual([]);
    expect(buttonActions(own)).toEqual(['withdraw']);
  });

  it('are worded as staff see them: withdrawing someone is a removal', () => {
    expect(actionKey('withdraw')).toBe('remove');
    expect(actionKey('record_payment')).toBe('payment');
    expect(actionKey('admit')).toBe('admit');
  });

  it('need a reason only to decline or reject', () => {
    expect(reasonRequired('decline')).toBe(true);
    expect(reasonRequired('reject')).toBe(true);
    expect(reasonRequired('admit')).toBe(false);
    expect(reasonRequired('withdraw')).toBe(false);
  });
});

describe('offeringChoice', () => {
  const open = { enrolment_open: true, admission_policy: 'open' as const };
  const endorsed = { enrolment_open: true, admission_policy: 'institution_endorsed' as const };
  const member = { institution: { id: 1, name: 'IMSS', acronym: 'IMSS', country: 'MX', membership_category: 'titular' as const } };

  it('shows an active enrolment, whatever the window', () => {
    expect(offeringChoice({ ...open, enrolment_open: false }, member, { state: 'waitlisted' })).toBe('status');
  });

  it('offers to apply again after a rejection or a withdrawal', () => {
    expect(offeringChoice(open, member, { state: 'rejected' })).toBe('apply');
    expect(offeringChoice(open, member, { state: 'withdrawn' })).toBe('apply');
    expect(offeringChoice(open, member, null)).toBe('apply');
  });

  it('asks visitors to sign in, and explains the missing institution', () => {
    expect(offeringChoice(open, null, null)).toBe('sign_in');
    expect(offeringChoice(endorsed, { institution: null }, null)).toBe('needs_institution');
    expect(offeringChoice(endorsed, member, null)).toBe('apply');
    expect(offeringChoice({ ...open, admission_policy: 'approval' }, { institution: null }, null)).toBe('apply');
  });

  it('offers nothing outside the window', () => {
    expect(offeringChoice({ ...open, enrolment_open: false }, member, null)).toBe('closed');
    expect(offeringChoice({ ...open, enrolment_open: false }, null, null)).toBe('closed');
  });
});

describe('documents', () => {
  it('lists the kinds still missing', () => {
    const doc = { kind: 'cv' as const, file_name: 'cv.pdf', content_type: 'application/pdf', size: 1, uploaded_at: '' };
    expect(missingDocuments(enrolment({ documents: [doc] }))).toEqual(['application_letter', 'transcript']);
    expect(missingDocuments(enrolment())).toEqual(['application_letter', 'cv', 'transcript']);
  });

  it('accepts PDFs and images by type or name', () => {
    expect(documentAccepted({ name: 'Carta.PDF', type: '' })).toBe(true);
    expect(documentAccepted({ name: 'scan', type: 'image/webp' })).toBe(true);
    expect(documentAccepted({ name: 'notas.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBe(false);
  });

  it('reads the limit from a refusal', () => {
    expect(limitFromDetail('the file is larger than 20971520 bytes')).toBe(20971520);
    expect(limitFromDetail('')).toBeNull();
  });

  it('sends names as percent-encoded UTF-8', () => {
    expect(fileNameHeader('cv.pdf')).toBe('cv.pdf');
    expect(fileNameHeader('Carta de postulación.pdf')).toBe('Carta%20de%20postulaci%C3%B3n.pdf');
  });
});

describe('numbers', () => {
  it('write percentages as the locale does', () => {
    expect(plain(formatPercent(75, 'en'))).toBe('75%');
    expect(plain(formatPercent(40, 'es'))).toBe('40 %');
    expect(plain(formatPercent(0, 'fr'))).toBe('0 %');
    expect(formatPercent(null, 'es')).toBeNull();
  });

  it('keep progress and uploads within 0–100', () => {
    expect(clampPercent(140)).toBe(100);
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(undefined)).toBe(0);
    expect(uploadPercent(1, 3)).toBe(33);
    expect(uploadPercent(5, 0)).toBe(0);
  });
});

describe('enrolmentForCourse', () => {
  it('finds the seat in the course, an enrolled one first', () => {
    const list = [
      enrolment({ id: 1, course_code: 'ACT-301', state: 'enrolled' }),
      enrolment({ id: 2, course_code: 'PEN-201', state: 'completed' }),
      enrolment({ id: 3, course_code: 'PEN-201', state: 'enrolled' }),
      enrolment({ id: 4, course_code: 'SEG-101', state: 'waitlisted' }),
    ];
    expect(enrolmentForCourse(list, 'pen-201')?.id).toBe(3);
    expect(enrolmentForCourse(list.slice(0, 2), 'PEN-201')?.id).toBe(2);
    expect(enrolmentForCourse(list, 'SEG-101')).toBeNull();
  });
});

describe('attendance', () => {
  it('reads the sheet the server sends, a line not yet marked as null', () => {
    const marked = { enrolment_id: 12, learner_id: 7, full_name: 'Ana Pérez', institution: 'IMSS', status: 'present' as const, attendance_rate: 80 };
    const unmarked = { enrolment_id: 13, learner_id: 8, full_name: 'Luis Soto', institution: null, status: null, attendance_rate: null };
    expect(readAttendance({ session_id: 4, offering_id: 3, lines: [marked, unmarked] })).toEqual({
      session_id: 4,
      offering_id: 3,
      records: [
        { enrolment_id: 12, full_name: 'Ana Pérez', institution: 'IMSS', status: 'present', attendance_rate: 80 },
        { enrolment_id: 13, full_name: 'Luis Soto', institution: null, status: null, attendance_rate: null },
      ],
    });
  });

  it('sends every marked row in one body, and counts', () => {
    const rows = [
      { enrolment_id: 1, status: 'present' as const },
      { enrolment_id: 2, status: null },
      { enrolment_id: 3, status: 'excused' as const },
    ];
    expect(attendancePayload(rows)).toEqual({
      records: [
        { enrolment_id: 1, status: 'present' },
        { enrolment_id: 3, status: 'excused' },
      ],
    });
    expect(attendanceCounts(rows)).toEqual({ present: 1, absent: 0, excused: 1, unset: 1 });
  });
});

describe('filters in the URL and the API paths', () => {
  it('read the roster filters and ignore what they do not know', () => {
    expect(rosterFiltersFromQuery(new URLSearchParams('state=waitlisted&institution_id=2&q=%20ana%20&page=3'))).toEqual({
      state: 'waitlisted',
      institution_id: 2,
      q: 'ana',
      page: 3,
    });
    expect(rosterFiltersFromQuery(new URLSearchParams('state=lost&institution_id=x&page=-1'))).toEqual(EMPTY_ROSTER_FILTERS);
    expect(stateFromQuery(new URLSearchParams('state=enrolled'))).toBe('enrolled');
  });

  it('write only what narrows, and read back the same', () => {
    expect(queryFromRosterFilters(EMPTY_ROSTER_FILTERS)).toBe('');
    const filters = { state: 'enrolled' as const, institution_id: 2, q: 'pérez', page: 2 };
    const query = queryFromRosterFilters(filters);
    expect(query).toBe('?state=enrolled&institution_id=2&q=p%C3%A9rez&page=2');
    expect(rosterFiltersFromQuery(new URLSearchParams(query))).toEqual(filters);
    const people = { state: '' as const, offering_id: 5, q: '', page: 1 };
    expect(queryFromPeopleFilters(people)).toBe('?offering_id=5');
    expect(peopleFiltersFromQuery(new URLSearchParams('?offering_id=5'))).toEqual(people);
    expect(peopleFiltersFromQuery(new URLSearchParams(''))).toEqual(EMPTY_PEOPLE_FILTERS);
  });

  it('build the roster, CSV and people paths', () => {
    const filters = { state: 'enrolled' as const, institution_id: null, q: 'ana', page: 2 };
    expect(rosterPath(3, filters, 20)).toBe('/offerings/3/roster?state=enrolled&q=ana&page=2&per_page=20');
    expect(rosterCsvPath(3, filters)).toBe('/offerings/3/roster.csv?state=enrolled&q=ana');
    expect(rosterCsvPath(3, EMPTY_ROSTER_FILTERS)).toBe('/offerings/3/roster.csv');
    expect(peoplePath({ ...EMPTY_PEOPLE_FILTERS, offering_id: 4 }, 20)).toBe('/coordinator/people?offering_id=4&page=1&per_page=20');
    expect(peopleCsvPath(EMPTY_PEOPLE_FILTERS)).toBe('/coordinator/people.csv');
  });

  it('state both import switches', () => {
    expect(importPath(3, { dryRun: true, allOrNothing: false })).toBe(
      '/offerings/3/enrolments/import?dry_run=true&all_or_nothing=false',
    );
  });
});
