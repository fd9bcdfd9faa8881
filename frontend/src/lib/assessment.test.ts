import { describe, expect, it } from 'vitest';
import {
  acceptFor,
  addFiles,
  assignmentDraft,
  assignmentInput,
  bytesToMb,
  cellOf,
  checkFiles,
  chosenLevels,
  closesAt,
  draftTotal,
  feedbackFileForm,
  gradebookFiltersFromQuery,
  gradeImportPath,
  isTypingTarget,
  itemHref,
  itemKey,
  kindOfFile,
  learnerStatus,
  learnerStatusTone,
  mbToBytes,
  parseDecimal,
  queryFromGradebookFilters,
  queryFromQueueFilters,
  queueFiltersFromQuery,
  queueShortcut,
  rubricInput,
  rubricMax,
  rubricScore,
  submissionForm,
  weightsTotal,
  type Assignment,
  type RubricCriterion,
  type Submission,
} from './assessment';

const MB = 1024 * 1024;

function submission(overrides: Partial<Submission> = {}): Submission {
  return {
    id: 1,
    assignment_id: 7,
    enrolment_id: 3,
    attempt: 1,
    submitted_at: '2027-03-10T15:00:00Z',
    late: false,
    penalty_percent: 0,
    files: [],
    ...overrides,
  };
}

function assignment(overrides: Partial<Assignment> = {}): Assignment {
  return {
    id: 7,
    offering_id: 2,
    title: 'Informe de caso',
    instructions: '',
    instructions_html: '',
    opens_at: null,
    due_at: '2027-03-15T04:59:00Z',
    cutoff_at: null,
    time_zone: 'America/Mexico_City',
    late_policy: 'accept',
    late_penalty_percent: 0,
    max_score: 20,
    weight: 40,
    missing_work: 'zero',
    accepts_text: true,
    accepts_files: true,
    max_files: 2,
    max_file_bytes: 5 * MB,
    allowed_types: ['pdf'],
    grades_released_at: null,
    rubric: [],
    created_at: '2027-03-01T00:00:00Z',
    updated_at: '2027-03-01T00:00:00Z',
    ...overrides,
  };
}

const RUBRIC: RubricCriterion[] = [
  {
    id: 1,
    title: 'Análisis',
    description: '',
    levels: [
      { id: 11, title: 'Insuficiente', points: 2 },
      { id: 12, title: 'Bueno', points: 8 },
      { id: 13, title: 'Excelente', points: 12 },
    ],
  },
  {
    id: 2,
    title: 'Redacción',
    description: '',
    levels: [
      { id: 21, title: 'Mejorable', points: 3 },
      { id: 22, title: 'Clara', points: 8 },
    ],
  },
];

describe('files before they are sent', () => {
  const limits = { maxFiles: 2, maxBytes: 5 * MB, allowed: ['pdf', 'docx'] as const };

  it('knows a kind by its name first, then by its type', () => {
    expect(kindOfFile({ name: 'Informe.PDF', type: '' })).toBe('pdf');
    expect(kindOfFile({ name: 'foto.jpg', type: 'image/jpeg' })).toBe('jpeg');
    expect(kindOfFile({ name: 'sin-extension', type: 'application/pdf' })).toBe('pdf');
    expect(kindOfFile({ name: 'script.exe', type: 'application/octet-stream' })).toBeNull();
  });

  it('offers the file chooser exactly the accepted kinds', () => {
    expect(acceptFor(['pdf', 'jpeg'])).toBe('.pdf,application/pdf,.jpg,.jpeg,image/jpeg');
  });

  it('passes files within the limits', () => {
    expect(checkFiles([{ name: 'a.pdf', size: MB, type: 'application/pdf' }], { ...limits, allowed: [...limits.allowed] })).toEqual([]);
  });

  it('names each problem: too many, too large, empty, of the wrong kind', () => {
    const problems = checkFiles(
      [
        { name: 'a.pdf', size: 6 * MB, type: 'application/pdf' },
        { name: 'b.docx', size: 0, type: '' },
        { name: 'c.png', size: 10, type: 'image/png' },
      ],
      { ...limits, allowed: [...limits.allowed] },
    );
    expect(problems).toEqual([
      { code: 'too_many', max: 2 },
      { code: 'too_large', name: 'a.pdf', max: 5 * MB },
      { code: 'empty', name: 'b.docx' },
      { code: 'wrong_kind', name: 'c.png' },
    ]);
  });

  it('counts the same file chosen twice once', () => {
    const a = { name: 'a.pdf', size: 3, lastModified: 1 };
    const b = { name: 'b.pdf', size: 3, lastModified: 1 };
    expect(addFiles([a], [a, b, { ...b }])).toEqual([a, b]);
  });

  it('sends the answer and every file under their part names', () => {
    const one = new File(['%PDF-1.4'], 'uno.pdf', { type: 'application/pdf' });
    const two = new File(['%PDF-1.4'], 'dos.pdf', { type: 'application/pdf' });
    const form = submissionForm('  Mi respuesta  ', [one, two]);
    expect(form.get('body')).toBe('  Mi respuesta  ');
    expect(form.getAll('file').map((f) => (f as File).name)).toEqual(['uno.pdf', 'dos.pdf']);
    expect(submissionForm('   ', [one]).has('body')).toBe(false);
  });

  it('sends a feedback file as the single `file` part', () => {
    const form = feedbackFileForm(new File(['%PDF-1.4'], 'comentarios.pdf', { type: 'application/pdf' }));
    expect([...form.keys()]).toEqual(['file']);
    expect((form.get('file') as File).name).toBe('comentarios.pdf');
  });

  it('turns megabytes into bytes and back', () => {
    expect(mbToBytes(2.5)).toBe(2.5 * MB);
    expect(bytesToMb(20 * MB)).toBe(20);
    expect(bytesToMb(1_500_000)).toBe(1.4);
  });
});

describe('where a learner stands', () => {
  const before = Date.parse('2027-03-14T12:00:00Z');
  const after = Date.parse('2027-03-16T12:00:00Z');
  const mine = { due_at: '2027-03-15T04:59:00Z', extended: false, can_submit: true, attempts: [] as Submission[] };

  it('is to do before the due date, overdue after it while late work is taken', () => {
    expect(learnerStatus(assignment({ mine }), before)).toBe('todo');
    expect(learnerStatus(assignment({ mine }), after)).toBe('overdue');
  });

  it('follows the personal due date of an extension', () => {
    const extended = { ...mine, due_at: '2027-03-20T04:59:00Z', extended: true };
    expect(learnerStatus(assignment({ mine: extended }), after)).toBe('todo');
  });

  it('is handed in (late or not) once an attempt exists, and graded once released', () => {
    expect(learnerStatus(assignment({ mine: { ...mine, attempts: [submission()] } }), after)).toBe('submitted');
    expect(learnerStatus(assignment({ mine: { ...mine, attempts: [submission({ late: true })] } }), after)).toBe('late');
    const grade = {
      assignment_id: 7,
      enrolment_id: 3,
      score: 16,
      penalty_percent: 0,
      final_score: 16,
      max_score: 20,
      feedback: '',
      feedback_html: '',
      levels: [],
      files: [],
      graded_at: '2027-03-20T00:00:00Z',
    };
    expect(learnerStatus(assignment({ mine: { ...mine, attempts: [submission()], grade } }), after)).toBe('graded');
  });

  it('is not open before it opens, and missed when closed with nothing handed in', () => {
    expect(learnerStatus(assignment({ opens_at: '2027-03-15T00:00:00Z', mine }), before)).toBe('not_open');
    expect(learnerStatus(assignment({ mine: { ...mine, can_submit: false } }), after)).toBe('missed');
  });

  it('colours each status', () => {
    expect(learnerStatusTone('graded')).toBe('ok');
    expect(learnerStatusTone('late')).toBe('warn');
    expect(learnerStatusTone('missed')).toBe('bad');
  });

  it('closes at the cut-off (never before the due date), or at the due date when refusing late work', () => {
    const due = '2027-03-15T04:59:00Z';
    expect(closesAt({ late_policy: 'accept', cutoff_at: null }, due)).toBeNull();
    expect(closesAt({ late_policy: 'refuse', cutoff_at: null }, due)).toBe(due);
    expect(closesAt({ late_policy: 'penalty', cutoff_at: '2027-03-18T04:59:00Z' }, due)).toBe('2027-03-18T04:59:00Z');
    // An extension past the cut-off moves it.
    expect(closesAt({ late_policy: 'accept', cutoff_at: '2027-03-18T04:59:00Z' }, '2027-03-20T04:59:00Z')).toBe('2027-03-20T04:59:00Z');
  });
});

describe('rubrics', () => {
  it('are worth their best levels added up', () => {
    expect(rubricMax(RUBRIC)).toBe(20);
    expect(rubricMax([])).toBe(0);
  });

  it('add up the levels chosen, and say when a criterion has none', () => {
    expect(rubricScore(RUBRIC, { 1: 12, 2: 22 })).toEqual({ total: 16, complete: true });
    expect(rubricScore(RUBRIC, { 1: 13 })).toEqual({ total: 12, complete: false });
  });

  it('read a grade\'s levels back per criterion', () => {
    expect(chosenLevels(RUBRIC, [22, 11])).toEqual({ 1: 11, 2: 22 });
  });

  it('add up a draft as it is typed, with decimal commas', () => {
    const draft = [
      { title: 'A', description: '', levels: [{ title: 'x', points: '0' }, { title: 'y', points: '12,5' }] },
      { title: 'B', description: '', levels: [{ title: 'x', points: '7.5' }, { title: 'y', points: 'abc' }] },
    ];
    expect(draftTotal(draft)).toBe(20);
    expect(rubricInput(draft)).toBeNull();
    draft[1].levels[1].points = '2';
    expect(rubricInput(draft)).toEqual({
      criteria: [
        { title: 'A', description: '', levels: [{ title: 'x', points: 0 }, { title: 'y', points: 12.5 }] },
        { title: 'B', description: '', levels: [{ title: 'x', points: 7.5 }, { title: 'y', points: 2 }] },
      ],
    });
  });

  it('read typed numbers', () => {
    expect(parseDecimal(' 17,5 ')).toBe(17.5);
    expect(parseDecimal('-1')).toBeNull();
    expect(parseDecimal('')).toBeNull();
  });
});

describe('the assignment form', () => {
  const zone = 'America/Mexico_City';

  it('shows moments in the offering\'s zone and sizes in megabytes', () => {
    const draft = assignmentDraft(assignment({ max_file_bytes: 5 * MB }), zone);
    expect(draft.due).toBe('2027-03-14T22:59');
    expect(draft.opens).toBe('');
    expect(draft.max_mb).toBe('5');
  });

  it('sends wall-clock times as UTC, clearing empty optional moments', () => {
    const draft = { ...assignmentDraft(null, zone), title: ' Ensayo ', due: '2027-03-14T22:59', weight: '30', allowed_types: ['docx' as const, 'pdf' as const] };
    const { input, problems } = assignmentInput(draft, zone);
    expect(problems).toEqual({});
    expect(input).toMatchObject({
      title: 'Ensayo',
      due_at: '2027-03-15T04:59:00Z',
      opens_at: null,
      cutoff_at: null,
      weight: 30,
      max_score: 100,
      max_file_bytes: 10 * MB,
      allowed_types: ['pdf', 'docx'],
    });
  });

  it('finds what must be fixed before sending', () => {
    const draft = {
      ...assignmentDraft(null, zone),
      due: '2027-03-14T22:59',
      opens: '2027-03-15T10:00',
      cutoff: '2027-03-10T10:00',
      max_score: '0',
      weight: '120',
      late_policy: 'penalty' as const,
      penalty: 'x',
      accepts_text: false,
      allowed_types: [],
    };
    expect(assignmentInput(draft, zone).problems).toEqual({
      title: 'validation.required',
      due_at: 'assignmentForm.dueBeforeOpens',
      cutoff_at: 'assignmentForm.cutoffBeforeDue',
      late_penalty_percent: 'offeringForm.percent',
      max_score: 'assignmentForm.maxScoreRange',
      weight: 'offeringForm.percent',
      allowed_types: 'assignmentForm.kindsRequired',
    });
    expect(assignmentInput({ ...draft, accepts_files: false }, zone).problems.accepts_files).toBe('assignmentForm.acceptSomething');
  });

  it('adds up the offering\'s weights with the one being edited', () => {
    const all = [{ id: 1, weight: 30 }, { id: 2, weight: 40 }];
    expect(weightsTotal(all, null, 20)).toBe(90);
    expect(weightsTotal(all, 2, 60)).toBe(90);
  });
});

describe('grading shortcuts', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });

  it('move with j and k, or Alt and the arrows', () => {
    expect(queueShortcut(key('j'), false)).toBe('next');
    expect(queueShortcut(key('k'), false)).toBe('prev');
    expect(queueShortcut(key('ArrowDown', { altKey: true }), false)).toBe('next');
    expect(queueShortcut(key('ArrowUp', { altKey: true }), false)).toBe('prev');
    expect(queueShortcut(key('ArrowDown'), false)).toBeNull();
  });

  it('save with Ctrl or ⌘ and Enter, even while typing', () => {
    expect(queueShortcut(key('Enter', { ctrlKey: true }), true)).toBe('save');
    expect(queueShortcut(key('Enter', { metaKey: true }), false)).toBe('save');
    expect(queueShortcut(key('Enter'), false)).toBeNull();
  });

  it('leave letters and arrows to the field being typed in', () => {
    expect(queueShortcut(key('j'), true)).toBeNull();
    expect(queueShortcut(key('ArrowDown', { altKey: true }), true)).toBeNull();
    expect(queueShortcut(key('j', { ctrlKey: true }), false)).toBeNull();
  });

  it('tell typing fields from choices', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'radio' })).toBe(false);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('filters in the page URL', () => {
  it('round-trip the gradebook search and page', () => {
    const filters = gradebookFiltersFromQuery(new URLSearchParams('q=%20ana%20&page=3'));
    expect(filters).toEqual({ q: 'ana', page: 3 });
    expect(queryFromGradebookFilters(filters)).toBe('?q=ana&page=3');
    expect(queryFromGradebookFilters({ q: '', page: 1 })).toBe('');
  });

  it('round-trip the grading queue\'s assignment', () => {
    expect(queueFiltersFromQuery(new URLSearchParams('assignment=12'))).toEqual({ assignment: 12, page: 1 });
    expect(queueFiltersFromQuery(new URLSearchParams('assignment=x&page=0'))).toEqual({ assignment: null, page: 1 });
    expect(queryFromQueueFilters({ assignment: 12, page: 2 })).toBe('?assignment=12&page=2');
  });

  it('state the dry run of a grade import always, and the reason when given', () => {
    expect(gradeImportPath(7, { dryRun: true, reason: ' ' })).toBe('/assignments/7/grades/import?dry_run=true');
    expect(gradeImportPath(7, { dryRun: false, reason: 'Recorrección' })).toBe(
      '/assignments/7/grades/import?dry_run=false&reason=Recorrecci%C3%B3n',
    );
  });
});

describe('gradebook columns', () => {
  const row = {
    cells: [
      { kind: 'assignment' as const, id: 1, status: 'graded' as const, score: 8, late: false },
      { kind: 'quiz' as const, id: 1, status: 'open' as const, late: false },
    ],
  };

  it('tell an assignment from a quiz of the same id', () => {
    expect(itemKey({ kind: 'quiz', id: 1 })).toBe('quiz-1');
    expect(cellOf(row, { kind: 'quiz', id: 1 })?.status).toBe('open');
    expect(cellOf(row, { kind: 'assignment', id: 1 })?.score).toBe(8);
    expect(cellOf(row, { kind: 'assignment', id: 2 })).toBeUndefined();
  });

  it('link assignments and quizzes to their pages', () => {
    expect(itemHref({ kind: 'assignment', id: 7 })).toBe('/assignments/7');
    expect(itemHref({ kind: 'quiz', id: 7 })).toBe('/quizzes/7');
  });
});
