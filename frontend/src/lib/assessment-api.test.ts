import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureApi, parseProblem } from './api';
import { assessmentApi } from './assessment';
import { cellText, fileProblemText, lateRuleText, passedText, rubricProblem, submitProblem } from './assessment-text';
import { i18n } from './i18n/index.svelte';

const MB = 1024 * 1024;

/** ICU puts narrow and no-break spaces in places; tests compare plain text. */
const plain = (text: string) => text.replace(/[\u00a0\u2009\u202f]/g, ' ');

function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

beforeEach(() => {
  configureApi({ locale: () => 'es', accessToken: () => 'access', refresh: async () => false });
});

describe('assessment calls', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => vi.stubGlobal('fetch', fetchMock));
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  function sent(n = 0) {
    const [url, init] = fetchMock.mock.calls[n];
    const headers = init?.headers as Record<string, string>;
    return { url, method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined, headers };
  }

  it('grade with levels or a score, and a reason only when given', async () => {
    fetchMock.mockResolvedValue(json(200, { score: 16 }));
    await assessmentApi.putGrade(7, 3, { levels: [12, 22], feedback: 'Bien', reason: null });
    expect(sent(0)).toMatchObject({
      url: '/api/v1/assignments/7/grades/3',
      method: 'PUT',
      body: { levels: [12, 22], feedback: 'Bien', reason: null },
    });
    expect(sent(0).headers.Authorization).toBe('Bearer access');
  });

  it('ask for the queue and the gradebook with their filters and paging', async () => {
    fetchMock.mockResolvedValue(json(200, { items: [], total: 0, page: 1, per_page: 25 }));
    await assessmentApi.queue(2, { assignment: 7, page: 1 }, 25);
    expect(sent(0).url).toBe('/api/v1/offerings/2/grading-queue?assignment_id=7&page=1&per_page=25');
    await assessmentApi.queue(2, { assignment: null, page: 2 }, 25);
    expect(sent(1).url).toBe('/api/v1/offerings/2/grading-queue?page=2&per_page=25');
    await assessmentApi.gradebook(2, { q: ' ana ', page: 1 }, 25);
    expect(sent(2).url).toBe('/api/v1/offerings/2/gradebook?q=ana&page=1&per_page=25');
  });

  it('set and lift a final grade with the reason', async () => {
    fetchMock.mockResolvedValue(json(200, { history: [] }));
    await assessmentApi.overrideFinalGrade(12, 75.5, ' Revisión del examen ');
    expect(sent(0)).toMatchObject({ url: '/api/v1/enrolments/12/final-grade', method: 'PUT', body: { grade: 75.5, reason: 'Revisión del examen' } });
    await assessmentApi.overrideFinalGrade(12, null, 'Error');
    expect(sent(1).body).toEqual({ grade: null, reason: 'Error' });
  });

  it('download a handed-in file with the token', async () => {
    fetchMock.mockResolvedValueOnce(new Response('%PDF-1.4', { status: 200, headers: { 'Content-Type': 'application/pdf' } }));
    const blob = await assessmentApi.file(5, 9);
    expect(blob.type).toBe('application/pdf');
    expect(sent().url).toBe('/api/v1/submissions/5/files/9');
    expect(sent().headers.Authorization).toBe('Bearer access');
  });
});

/** Just enough of XMLHttpRequest to answer uploads. */
class FakeXhr {
  static answers: { status: number; body: unknown }[] = [];
  static sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  #method = '';
  #url = '';
  #headers: Record<string, string> = {};

  open(method: string, url: string) {
    this.#method = method;
    this.#url = url;
  }

  setRequestHeader(name: string, value: string) {
    this.#headers[name] = value;
  }

  getResponseHeader() {
    return null;
  }

  send(body: unknown) {
    FakeXhr.sent.push({ method: this.#method, url: this.#url, headers: this.#headers, body });
    const answer = FakeXhr.answers.shift() ?? { status: 500, body: null };
    setTimeout(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 3, total: 4 });
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    }, 0);
  }
}

describe('uploads', () => {
  beforeEach(() => {
    FakeXhr.answers = [];
    FakeXhr.sent = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('hand in a form of the answer and the files, reporting progress', async () => {
    FakeXhr.answers.push({ status: 201, body: { id: 4, attempt: 1, files: [] } });
    const file = new File(['%PDF-1.4'], 'informe.pdf', { type: 'application/pdf' });
    const progress: number[] = [];
    const receipt = await assessmentApi.submit(7, 'Respuesta', [file], (sent, total) => progress.push(sent / total));
    expect(receipt).toMatchObject({ attempt: 1 });
    const [request] = FakeXhr.sent;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/assignments/7/submissions' });
    expect(request.body).toBeInstanceOf(FormData);
    expect((request.body as FormData).get('body')).toBe('Respuesta');
    expect(request.headers['Content-Type']).toBeUndefined();
    expect(progress).toEqual([0.75]);
  });

  it('post grades as CSV for a dry run', async () => {
    FakeXhr.answers.push({ status: 200, body: { dry_run: true, applied: false, rows: [], summary: {} } });
    const file = new File(['email,score\n'], 'notas.csv', { type: 'text/csv' });
    await assessmentApi.importGrades(7, file, { dryRun: true, reason: '' });
    expect(FakeXhr.sent[0]).toMatchObject({ method: 'POST', url: '/api/v1/assignments/7/grades/import?dry_run=true', body: file });
    expect(FakeXhr.sent[0].headers['Content-Type']).toBe('text/csv');
  });
});

describe('the wording of assessment', () => {
  afterEach(() => {
    i18n.locale = 'es';
  });

  const assignment = {
    max_files: 2,
    accepts_text: true,
    allowed_types: ['pdf', 'docx'] as ('pdf' | 'docx')[],
    max_file_bytes: 5 * MB,
  };

  it('words every refusal of handed-in work', () => {
    i18n.locale = 'en';
    const closed = submitProblem(parseProblem(409, { code: 'submission_closed', title: 'Closed' }), assignment);
    expect(closed.title).toMatch(/^This assignment is not taking submissions now/);
    expect(submitProblem(parseProblem(409, { code: 'duplicate_submission' }), assignment).title).toMatch(/same as the previous one/);
    expect(plain(submitProblem(parseProblem(413, { code: 'file_too_large', detail: 'the file is larger than 1048576 bytes' }), assignment).title)).toBe(
      'A file is larger than the 1 MB limit. Choose a smaller one or compress it.',
    );
    expect(submitProblem(parseProblem(415, { code: 'file_type_not_allowed' }), assignment).title).toMatch(/Accepted: PDF and Word \(DOCX\)\.$/);
    expect(submitProblem(parseProblem(503, { code: 'service_unavailable' }), assignment).title).toMatch(/^The server is receiving many files/);
    const invalid = parseProblem(422, {
      code: 'validation_failed',
      errors: [{ field: 'body', code: 'empty', message: 'vacío' }],
    });
    expect(submitProblem(invalid, assignment).title).toBe('Write an answer or attach at least one file.');
    const several = parseProblem(422, {
      code: 'validation_failed',
      errors: [
        { field: 'files', code: 'too_many', message: 'x' },
        { field: 'body', code: 'something_new', message: 'Server words' },
      ],
    });
    expect(submitProblem(several, assignment)).toEqual({
      title: 'Your work could not be taken:',
      items: ['You can attach at most 2 files.', 'Server words'],
    });
  });

  it('explains the late policy in a sentence, with the cut-off in the offering\'s zone', () => {
    i18n.locale = 'es';
    const base = { late_policy: 'accept' as const, late_penalty_percent: 0, cutoff_at: null, time_zone: 'America/Mexico_City' };
    const due = '2027-03-15T04:59:00Z';
    expect(lateRuleText(base, due)).toBe('Se aceptan entregas después de la fecha límite; quedan marcadas como tardías.');
    expect(lateRuleText({ ...base, late_policy: 'refuse' }, due)).toBe('No se aceptan entregas después de la fecha límite.');
    const penalty = lateRuleText({ ...base, late_policy: 'penalty', late_penalty_percent: 10, cutoff_at: '2027-03-18T04:59:00Z' }, due);
    expect(penalty).toMatch(/descuento del 10 % sobre el puntaje\. A partir del 17 de marzo de 2027.+22:59.+ ya no se recibe nada\.$/);
  });

  it('words file problems and cells', () => {
    i18n.locale = 'pt';
    expect(fileProblemText({ code: 'too_many', max: 1 }, ['pdf'])).toBe('Você pode anexar no máximo 1 arquivo.');
    expect(fileProblemText({ code: 'wrong_kind', name: 'a.exe' }, ['pdf', 'png'])).toBe('“a.exe” não é de um tipo aceito. São aceitos PDF e PNG.');
    expect(cellText({ kind: 'assignment', id: 1, status: 'graded', score: 17.5, late: false }, 20)).toBe('17,5 / 20');
    expect(cellText({ kind: 'quiz', id: 1, status: 'missing', late: false }, 20)).toBe('Não entregue');
    i18n.locale = 'fr';
    expect(passedText(true)).toBe('Réussi');
    expect(passedText(null)).toBe('Pas encore de résultat');
  });

  it('places each rubric problem on its criterion and level', () => {
    i18n.locale = 'es';
    const refused = parseProblem(422, {
      code: 'validation_failed',
      errors: [
        { field: 'criteria[1].levels[0].points', code: 'out_of_range', message: 'fuera de rango' },
        { field: 'criteria[0].title', code: 'required', message: 'obligatorio' },
        { field: 'criteria', code: 'total_mismatch', message: 'no suman' },
      ],
    });
    expect(rubricProblem(refused)).toEqual({
      title: 'Corrija los campos señalados.',
      items: [
        'Puntos del nivel 1 del criterio 2: fuera de rango',
        'Criterio 1 · Título del criterio: obligatorio',
        'Rúbrica: no suman',
      ],
    });
    expect(rubricProblem(parseProblem(409, { code: 'rubric_in_use' })).title).toMatch(/^La calificación ya comenzó: la rúbrica y el puntaje máximo quedaron fijos/);
  });
});
