import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureApi, parseProblem } from './api';
import { enrolmentApi, ENROLMENT_PROBLEMS, EMPTY_ROSTER_FILTERS } from './enrolment';
import { codeMessage, rowErrorMessage, stateHelp } from './enrolment-text';
import { describeError } from './errors';
import { i18n } from './i18n/index.svelte';

function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

let token: string | null = 'access';

beforeEach(() => {
  token = 'access';
  configureApi({ locale: () => 'es', accessToken: () => token, refresh: async () => false });
});

describe('enrolment calls', () => {
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

  it('apply with an empty body and the token', async () => {
    fetchMock.mockResolvedValueOnce(json(201, { id: 12, state: 'pending_approval' }));
    await expect(enrolmentApi.apply(3)).resolves.toMatchObject({ state: 'pending_approval' });
    expect(sent()).toMatchObject({ url: '/api/v1/offerings/3/enrolments', method: 'POST', body: {} });
    expect(sent().headers.Authorization).toBe('Bearer access');
  });

  it('ask for the reader\'s enrolments in one course with one request', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { items: [], total: 0, page: 1, per_page: 100 }));
    await enrolmentApi.mine({ course: 'PEN-201', per_page: 100 });
    expect(sent().url).toBe('/api/v1/me/enrolments?course=PEN-201&per_page=100');
  });

  it('send a decision with its reason, and none when blank', async () => {
    fetchMock.mockResolvedValue(json(200, { id: 12 }));
    await enrolmentApi.decide(12, 'reject', '  Cupo institucional agotado ');
    expect(sent(0)).toMatchObject({ url: '/api/v1/enrolments/12/reject', method: 'POST', body: { reason: 'Cupo institucional agotado' } });
    await enrolmentApi.decide(12, 'admit');
    expect(sent(1)).toMatchObject({ url: '/api/v1/enrolments/12/admit', body: {} });
    await enrolmentApi.withdraw(12, '');
    expect(sent(2)).toMatchObject({ url: '/api/v1/enrolments/12/withdraw', body: {} });
    await enrolmentApi.setPayment(12, 'paid', ' TRX-001 ');
    expect(sent(3)).toMatchObject({ url: '/api/v1/enrolments/12/payment', method: 'PUT', body: { status: 'paid', reference: 'TRX-001' } });
  });

  it('list with filters and paging', async () => {
    fetchMock.mockResolvedValue(json(200, { items: [], total: 0, page: 1, per_page: 20 }));
    await enrolmentApi.mine({ state: 'enrolled', per_page: 100 });
    expect(sent(0).url).toBe('/api/v1/me/enrolments?state=enrolled&per_page=100');
    await enrolmentApi.roster(3, { ...EMPTY_ROSTER_FILTERS, institution_id: 2 }, 20);
    expect(sent(1).url).toBe('/api/v1/offerings/3/roster?institution_id=2&page=1&per_page=20');
    await enrolmentApi.approvals(2, 20);
    expect(sent(2).url).toBe('/api/v1/staff/approvals?page=2&per_page=20');
    await enrolmentApi.members({ q: 'ana' });
    expect(sent(3).url).toBe('/api/v1/coordinator/members?q=ana');
  });

  it('nominate by user ids, and save the whole attendance sheet at once', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { created: [], skipped: [{ user_id: 8, code: 'already_enrolled' }] }));
    await enrolmentApi.nominate(3, [7, 8]);
    expect(sent(0)).toMatchObject({ url: '/api/v1/offerings/3/nominations', method: 'POST', body: { user_ids: [7, 8] } });
    fetchMock.mockResolvedValueOnce(
      json(200, { session_id: 4, offering_id: 3, lines: [{ enrolment_id: 12, learner_id: 7, full_name: 'Ana', institution: null, status: 'absent', attendance_rate: 0 }] }),
    );
    const sheet = await enrolmentApi.saveAttendance(4, [
      { enrolment_id: 12, status: 'absent' },
      { enrolment_id: 13, status: null },
    ]);
    expect(sent(1)).toMatchObject({ url: '/api/v1/sessions/4/attendance', method: 'PUT', body: { records: [{ enrolment_id: 12, status: 'absent' }] } });
    expect(sheet.records[0].status).toBe('absent');
  });

  it('download CSV exports with the token', async () => {
    fetchMock.mockResolvedValueOnce(new Response('\ufeffemail\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }));
    const blob = await enrolmentApi.rosterCsv(3, { ...EMPTY_ROSTER_FILTERS, state: 'enrolled' });
    expect(await blob.text()).toContain('email');
    expect(sent().url).toBe('/api/v1/offerings/3/roster.csv?state=enrolled');
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
      this.upload.onprogress?.({ lengthComputable: true, loaded: 1, total: 4 });
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

  it('put a document as the raw file, with its type and name', async () => {
    FakeXhr.answers.push({ status: 200, body: { id: 12, documents: [{ kind: 'cv' }] } });
    const file = new File(['%PDF-1.4'], 'Currículum.pdf', { type: 'application/pdf' });
    const progress: number[] = [];
    await enrolmentApi.uploadDocument(12, 'cv', file, (sent, total) => progress.push(sent / total));
    const [request] = FakeXhr.sent;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe('/api/v1/enrolments/12/documents/cv');
    expect(request.headers['Content-Type']).toBe('application/pdf');
    expect(request.headers['X-File-Name']).toBe('Curr%C3%ADculum.pdf');
    expect(request.headers.Authorization).toBe('Bearer access');
    expect(request.body).toBe(file);
    expect(progress).toEqual([0.25]);
  });

  it('turn a refused document into its problem', async () => {
    FakeXhr.answers.push({ status: 415, body: { code: 'file_type_not_allowed', title: 'Tipo no permitido' } });
    await expect(enrolmentApi.uploadDocument(12, 'cv', new File(['x'], 'a.pdf'))).rejects.toMatchObject({
      status: 415,
      code: 'file_type_not_allowed',
    });
    expect(FakeXhr.sent[0].headers['Content-Type']).toBe('application/octet-stream');
  });

  it('post a CSV file for import with both switches', async () => {
    FakeXhr.answers.push({ status: 200, body: { dry_run: true, applied: false, rows: [], summary: {} } });
    const file = new File(['email,full_name,institution\n'], 'gente.csv', { type: 'text/csv' });
    await enrolmentApi.importCsv(3, file, { dryRun: true, allOrNothing: true });
    expect(FakeXhr.sent[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/offerings/3/enrolments/import?dry_run=true&all_or_nothing=true',
      body: file,
    });
    expect(FakeXhr.sent[0].headers['Content-Type']).toBe('text/csv');
  });
});

describe('the wording of enrolment problems', () => {
  afterEach(() => {
    i18n.locale = 'es';
  });

  it('uses the interface words for known codes, keeping the server title as detail', () => {
    i18n.locale = 'en';
    const error = parseProblem(409, { code: 'payment_outstanding', title: 'Pago pendiente' });
    expect(describeError(error, [], ENROLMENT_PROBLEMS)).toEqual({
      title: 'The fee is not settled: record the payment, scholarship or waiver before admitting.',
      detail: 'Pago pendiente',
      items: undefined,
    });
    // Elsewhere the same code keeps the server's title.
    expect(describeError(parseProblem(409, { code: 'invalid_transition', title: 'Not allowed' })).title).toBe('Not allowed');
  });

  it('explains states, row errors and skipped nominations', () => {
    i18n.locale = 'pt';
    const learner = { id: 7, full_name: 'Ana', email: 'a@b.c', institution: { id: 1, acronym: 'IMSS', name: 'IMSS' } };
    expect(stateHelp({ state: 'waitlisted', waitlist_position: 3, learner })).toContain('posição 3');
    expect(stateHelp({ state: 'pending_endorsement', waitlist_position: null, learner })).toContain('(IMSS)');
    expect(codeMessage('already_enrolled')).toBe('Já existe uma inscrição ativa nesta edição.');
    expect(codeMessage('something_new')).toBe('something_new');
    expect(rowErrorMessage({ field: 'email', code: 'invalid_email' })).toBe('E-mail: não é um endereço de e-mail válido');
    expect(rowErrorMessage({ field: 'phone', code: 'duplicate_in_file' })).toMatch(/^phone: /);
  });
});
