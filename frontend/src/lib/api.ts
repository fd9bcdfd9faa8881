/**
 * Client for the Aula API at `/api/v1`.
 *
 * Every request carries `Accept-Language` so the server localizes its error
 * titles and messages. Failed requests throw an {@link ApiError} built from the
 * server's `application/problem+json` body. Authenticated requests that come
 * back 401 get one token refresh and one retry, through the hooks the session
 * store installs with {@link configureApi}.
 */
import type {
  Institution,
  Page,
  ProfileUpdate,
  RegisterRequest,
  TokenResponse,
  User,
  UserUpdate,
} from './types';

export const API_BASE = '/api/v1';

/** One invalid field as reported by the server; `field` is the request JSON key. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** A failed API call: the server's problem details, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** Seconds to wait before trying again, from `Retry-After`; `null` when absent. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    title?: string;
    detail?: string;
    errors?: FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.detail || init.title || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The server's message for one field, if it reported one. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

/** Code given to errors where no response arrived at all. */
export const NETWORK_ERROR = 'network_error';

/**
 * Reads `Retry-After` (delta-seconds or an HTTP date) as whole seconds from `now`.
 * Returns `null` when the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const errors: FieldError[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    const field = asString(record.field);
    if (!field) continue;
    const code = asString(record.code) ?? 'invalid';
    errors.push({ field, code, message: asString(record.message) ?? code });
  }
  return errors;
}

/**
 * Builds an {@link ApiError} from a failed response's status, body and `Retry-After`.
 * Bodies that are not problem documents still give an error with the HTTP status.
 */
export function parseProblem(
  status: number,
  body: unknown,
  retryAfterHeader: string | null = null,
  now: number = Date.now(),
): ApiError {
  const problem = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return new ApiError({
    status,
    code: asString(problem.code) ?? `http_${status}`,
    title: asString(problem.title),
    detail: asString(problem.detail),
    errors: parseFieldErrors(problem.errors),
    retryAfter: parseRetryAfter(retryAfterHeader, now),
  });
}

/** What the API client needs from the rest of the app. */
export interface ApiHooks {
  locale(): string;
  accessToken(): string | null;
  /** Obtains a fresh access token; resolves `false` when the session is gone. */
  refresh(): Promise<boolean>;
}

let hooks: ApiHooks = {
  locale: () => 'es',
  accessToken: () => null,
  refresh: async () => false,
};

export function configureApi(next: ApiHooks): void {
  hooks = next;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  /** Send the access token, refreshing it once on 401. */
  auth?: boolean;
}

async function send(method: Method, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': hooks.locale(),
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, code: NETWORK_ERROR });
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const { body, auth = false } = options;
  let token = auth ? hooks.accessToken() : null;
  if (auth && !token && (await hooks.refresh())) token = hooks.accessToken();

  let response = await send(method, path, body, token);
  if (auth && response.status === 401) {
    const current = hooks.accessToken();
    // Another request may already have refreshed the token meanwhile.
    const renewed = current !== null && current !== token ? true : await hooks.refresh();
    if (renewed) response = await send(method, path, body, hooks.accessToken());
  }

  const data = await readBody(response);
  if (!response.ok) {
    throw parseProblem(response.status, data, response.headers.get('Retry-After'));
  }
  return data as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  institutions: (params: { q?: string; page?: number; per_page?: number } = {}) =>
    request<Page<Institution>>('GET', `/institutions${query(params)}`),

  register: (body: RegisterRequest) => request<User>('POST', '/auth/register', { body }),
  verifyEmail: (token: string) => request<User>('POST', '/auth/verify-email', { body: { token } }),
  resendVerification: (email: string) =>
    request<null>('POST', '/auth/resend-verification', { body: { email } }),

  login: (email: string, password: string) =>
    request<TokenResponse>('POST', '/auth/login', { body: { email, password } }),
  refresh: (refreshToken: string) =>
    request<TokenResponse>('POST', '/auth/refresh', { body: { refresh_token: refreshToken } }),
  logout: (refreshToken: string) =>
    request<null>('POST', '/auth/logout', { body: { refresh_token: refreshToken } }),

  requestPasswordReset: (email: string) => request<null>('POST', '/auth/password-reset', { body: { email } }),
  confirmPasswordReset: (token: string, password: string) =>
    request<null>('POST', '/auth/password-reset/confirm', { body: { token, password } }),

  me: () => request<User>('GET', '/me', { auth: true }),
  updateMe: (body: ProfileUpdate) => request<User>('PATCH', '/me', { body, auth: true }),

  users: (params: { q?: string; page?: number; per_page?: number }) =>
    request<Page<User>>('GET', `/users${query(params)}`, { auth: true }),
  updateUser: (id: User['id'], body: UserUpdate) =>
    request<User>('PATCH', `/users/${encodeURIComponent(String(id))}`, { body, auth: true }),
};
