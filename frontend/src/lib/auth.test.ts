import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TokenResponse, User } from './types';

const user: User = {
  id: 7,
  email: 'ana@example.org',
  full_name: 'Ana Lúcia',
  locale: 'pt',
  institution: null,
  roles: ['student'],
  status: 'active',
  email_verified: true,
  created_at: '2026-01-15T12:00:00Z',
  time_zone: null,
  mail_preferences: { enrolment_updates: true, endorsement_requests: true },
};

function tokens(n: number): TokenResponse {
  return {
    access_token: `access-${n}`,
    refresh_token: `refresh-${n}`,
    token_type: 'Bearer',
    expires_in: 900,
    user,
  };
}

class MemoryStorage {
  #items = new Map<string, string>();
  getItem(key: string) {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.#items.set(key, value);
  }
  removeItem(key: string) {
    this.#items.delete(key);
  }
}

describe('session refresh', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.resetModules();
    vi.stubGlobal('fetch', fetchMock);
    vi.stubGlobal('localStorage', new MemoryStorage());
  });

  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  it('sends one refresh for parallel requests and stores the rotated token', async () => {
    localStorage.setItem('aula.refreshToken', 'refresh-0');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    fetchMock.mockImplementation(async (input, init) => {
      if (String(input).endsWith('/auth/refresh')) {
        await gate;
        return new Response(JSON.stringify(tokens(1)), { status: 200 });
      }
      const auth = (init?.headers as Record<string, string>).Authorization;
      return auth === 'Bearer access-1'
        ? new Response(JSON.stringify(user), { status: 200 })
        : new Response(null, { status: 401 });
    });

    const { session } = await import('./auth.svelte');
    const { api } = await import('./api');
    const calls = Promise.all([api.me(), api.me(), api.me()]);
    release();
    await calls;

    const refreshCalls = fetchMock.mock.calls.filter(([url]) => String(url).endsWith('/auth/refresh'));
    expect(refreshCalls).toHaveLength(1);
    expect(JSON.parse(String(refreshCalls[0][1]?.body))).toEqual({ refresh_token: 'refresh-0' });
    expect(localStorage.getItem('aula.refreshToken')).toBe('refresh-1');
    expect(session.user?.full_name).toBe('Ana Lúcia');
  });

  it('signs out locally when the refresh token is refused', async () => {
    localStorage.setItem('aula.refreshToken', 'refresh-reused');
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ code: 'invalid_token' }), { status: 401 }));

    const { session } = await import('./auth.svelte');
    await session.restore();

    expect(session.ready).toBe(true);
    expect(session.user).toBeNull();
    expect(localStorage.getItem('aula.refreshToken')).toBeNull();
  });

  it('keeps the stored session when the server cannot be reached', async () => {
    localStorage.setItem('aula.refreshToken', 'refresh-0');
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));

    const { session } = await import('./auth.svelte');
    await session.restore();

    expect(session.user).toBeNull();
    expect(localStorage.getItem('aula.refreshToken')).toBe('refresh-0');
  });
});
