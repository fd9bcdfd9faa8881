import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, configureApi } from './api';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

let token: string | null;
let refreshes: number;

beforeEach(() => {
  refreshes = 0;
  configureApi({
    locale: () => 'fr',
    accessToken: () => token,
    refresh: async () => {
      refreshes += 1;
      token = 'new-access';
      return true;
    },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('catalog reads', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => vi.stubGlobal('fetch', fetchMock));
  afterEach(() => fetchMock.mockReset());

  it('sends the search as query parameters, leaving out what is empty', async () => {
    token = null;
    fetchMock.mockResolvedValueOnce(json(200, { items: [], total: 0, page: 1, per_page: 12 }));
    await api.courses({ q: 'pensión', topic: '', modality: 'online', open_now: false, page: 2, lang: 'fr' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/courses?q=pensi%C3%B3n&modality=online&page=2&lang=fr');
    expect((init?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('goes anonymous without a session, and never tries to refresh one', async () => {
    token = null;
    fetchMock.mockResolvedValueOnce(json(404, { code: 'course_not_found', title: 'Cours introuvable' }));
    await expect(api.course('NOPE-01')).rejects.toMatchObject({ status: 404, code: 'course_not_found' });
    expect(refreshes).toBe(0);
  });

  it('sends the token when signed in (editors see drafts), refreshing it once if it expired', async () => {
    token = 'old-access';
    fetchMock.mockResolvedValueOnce(json(401, { code: 'invalid_token' })).mockResolvedValueOnce(json(200, { code: 'PEN-201' }));
    await expect(api.course('PEN-201', 'es')).resolves.toEqual({ code: 'PEN-201' });
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/courses/PEN-201?lang=es');
    expect((fetchMock.mock.calls[1][1]?.headers as Record<string, string>).Authorization).toBe('Bearer new-access');
    expect(refreshes).toBe(1);
  });

  it('sends new orders as the list of ids', async () => {
    token = 'old-access';
    fetchMock.mockResolvedValueOnce(json(200, []));
    await api.reorderModules('PEN-201', [3, 1, 2]);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/courses/PEN-201/modules/order');
    expect(init?.method).toBe('PUT');
    expect(JSON.parse(String(init?.body))).toEqual({ ids: [3, 1, 2] });
  });
});

/** Just enough of XMLHttpRequest to answer uploads in order. */
class FakeXhr {
  static answers: { status: number; body: unknown }[] = [];
  static sent: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  #url = '';
  #headers: Record<string, string> = {};

  open(_method: string, url: string) {
    this.#url = url;
  }

  setRequestHeader(name: string, value: string) {
    this.#headers[name] = value;
  }

  getResponseHeader() {
    return null;
  }

  send(body: unknown) {
    FakeXhr.sent.push({ url: this.#url, headers: this.#headers, body });
    const answer = FakeXhr.answers.shift() ?? { status: 500, body: null };
    setTimeout(() => {
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      this.upload.onprogress?.({ lengthComputable: true, loaded: 100, total: 100 });
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
    token = 'old-access';
  });

  it('report their progress and send the file as multipart form data with the token', async () => {
    FakeXhr.answers.push({ status: 200, body: { id: 7, kind: 'file' } });
    const progress: number[] = [];
    const file = new File(['%PDF-1.4'], 'guia.pdf', { type: 'application/pdf' });
    await expect(api.uploadLessonFile(7, file, (sent, total) => progress.push(sent / total))).resolves.toEqual({
      id: 7,
      kind: 'file',
    });
    expect(progress).toEqual([0.5, 1]);
    const [request] = FakeXhr.sent;
    expect(request.url).toBe('/api/v1/lessons/7/file');
    expect(request.headers.Authorization).toBe('Bearer old-access');
    expect(request.headers['Accept-Language']).toBe('fr');
    expect((request.body as FormData).get('file')).toBeInstanceOf(File);
  });

  it('retry once with a fresh token after 401', async () => {
    FakeXhr.answers.push({ status: 401, body: { code: 'invalid_token' } }, { status: 200, body: { id: 7 } });
    await api.uploadLessonFile(7, new File(['x'], 'a.pdf'));
    expect(refreshes).toBe(1);
    expect(FakeXhr.sent[1].headers.Authorization).toBe('Bearer new-access');
  });

  it('turn refusals into problems', async () => {
    FakeXhr.answers.push({
      status: 413,
      body: { code: 'file_too_large', title: 'Le fichier est trop volumineux', detail: 'the file is larger than 20971520 bytes' },
    });
    await expect(api.uploadLessonFile(7, new File(['x'], 'a.pdf'))).rejects.toMatchObject({
      status: 413,
      code: 'file_too_large',
      title: 'Le fichier est trop volumineux',
    });
  });
});
