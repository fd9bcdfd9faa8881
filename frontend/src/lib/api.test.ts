import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, configureApi, NETWORK_ERROR, parseProblem, parseRetryAfter } from './api';

describe('parseProblem', () => {
  it('reads a problem document with field errors', () => {
    const error = parseProblem(422, {
      type: 'about:blank',
      title: 'Los datos no son válidos',
      status: 422,
      detail: 'Revise los campos.',
      code: 'validation_failed',
      errors: [
        { field: 'email', code: 'taken', message: 'Ya existe una cuenta con este correo.' },
        { field: 'password', code: 'too_short', message: 'Al menos 10 caracteres.' },
      ],
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.title).toBe('Los datos no son válidos');
    expect(error.detail).toBe('Revise los campos.');
    expect(error.fieldMessage('email')).toBe('Ya existe una cuenta con este correo.');
    expect(error.fieldMessage('password')).toBe('Al menos 10 caracteres.');
    expect(error.fieldMessage('full_name')).toBeUndefined();
  });

  it('keeps only well-formed field errors', () => {
    const error = parseProblem(422, {
      code: 'validation_failed',
      errors: [null, 'oops', { code: 'x' }, { field: 'email', code: 'invalid' }],
    });
    expect(error.errors).toEqual([{ field: 'email', code: 'invalid', message: 'invalid' }]);
  });

  it('gives bodies that are not problems an HTTP code', () => {
    const error = parseProblem(502, null);
    expect(error.code).toBe('http_502');
    expect(error.title).toBe('');
    expect(error.errors).toEqual([]);
  });

  it('reads Retry-After for rate limiting', () => {
    const error = parseProblem(429, { code: 'rate_limited', title: 'Too many attempts' }, '120');
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfter).toBe(120);
  });
});

describe('parseRetryAfter', () => {
  it('accepts seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('90', now)).toBe(90);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>();
  let token: string | null;
  let refreshes: number;

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    token = 'old-access';
    refreshes = 0;
    configureApi({
      locale: () => 'pt',
      accessToken: () => token,
      refresh: async () => {
        refreshes += 1;
        token = 'new-access';
        return true;
      },
    });
  });

  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  it('sends Accept-Language and the bearer token', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { id: 1 }));
    await api.me();
    const [url, init] = fetchMock.mock.calls[0];
    const headers = init?.headers as Record<string, string>;
    expect(url).toBe('/api/v1/me');
    expect(headers['Accept-Language']).toBe('pt');
    expect(headers.Authorization).toBe('Bearer old-access');
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { code: 'unauthorized' })).mockResolvedValueOnce(json(200, { id: 1 }));
    await expect(api.me()).resolves.toEqual({ id: 1 });
    expect(refreshes).toBe(1);
    const retried = fetchMock.mock.calls[1][1]?.headers as Record<string, string>;
    expect(retried.Authorization).toBe('Bearer new-access');
  });

  it('gives up after one retry', async () => {
    fetchMock.mockResolvedValue(json(401, { code: 'unauthorized', title: 'Não autorizado' }));
    await expect(api.me()).rejects.toMatchObject({ status: 401, title: 'Não autorizado' });
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(refreshes).toBe(1);
  });

  it('does not refresh for calls made without a session', async () => {
    fetchMock.mockResolvedValueOnce(json(401, { code: 'invalid_credentials', title: 'Credenciais inválidas' }));
    await expect(api.login('a@b.org', 'wrong-password')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(refreshes).toBe(0);
    const headers = fetchMock.mock.calls[0][1]?.headers as Record<string, string>;
    expect(headers.Authorization).toBeUndefined();
  });

  it('reports network failures with their own code', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api.institutions()).rejects.toMatchObject({ status: 0, code: NETWORK_ERROR });
  });
});
