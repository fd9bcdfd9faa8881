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
  CalendarFeed,
  CalendarFeedAddress,
  ContentTranslationInput,
  Course,
  CourseInput,
  CourseModule,
  CourseSummary,
  Lesson,
  LessonInput,
  ModuleInput,
  Offering,
  OfferingInput,
  OfferingSession,
  ReviewRequest,
  SessionInput,
  Topic,
  Translation,
} from './catalog';
import type {
  AccountInput,
  Institution,
  Locale,
  Page,
  PasswordChange,
  ProfileUpdate,
  QueryOf,
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
  /**
   * `true`: send the access token, refreshing it once on 401. `'optional'`: send it
   * when signed in (public pages that show more to some people), else go anonymous.
   */
  auth?: boolean | 'optional';
}

async function send(
  method: Method,
  path: string,
  body: unknown,
  token: string | null,
  accept = 'application/json, application/problem+json',
): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: accept,
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
  if (auth === true && !token && (await hooks.refresh())) token = hooks.accessToken();

  let response = await send(method, path, body, token);
  if ((auth === true || (auth === 'optional' && token !== null)) && response.status === 401) {
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

/**
 * Downloads a file that needs the access token (a plain link cannot send it).
 * Failures arrive as an {@link ApiError} like any other call.
 */
export async function download(path: string): Promise<Blob> {
  // Files come in their own type; failures still as problem documents.
  const accept = '*/*';
  let token = hooks.accessToken();
  let response = await send('GET', path, undefined, token, accept);
  if (response.status === 401 && (await hooks.refresh())) {
    token = hooks.accessToken();
    response = await send('GET', path, undefined, token, accept);
  }
  if (!response.ok) {
    throw parseProblem(response.status, await readBody(response), response.headers.get('Retry-After'));
  }
  return response.blob();
}

/** Progress of an upload: bytes sent so far out of the total. */
export type UploadProgress = (sent: number, total: number) => void;

export interface UploadOptions {
  /** `POST` unless told otherwise. */
  method?: 'POST' | 'PUT';
  /** Extra headers, such as the `Content-Type` of a raw body (a form sets its own). */
  headers?: Record<string, string>;
  onProgress?: UploadProgress;
  /** `true` (the default): send the access token, refreshing it once on 401; `false`: anonymous. */
  auth?: boolean;
}

function sendBody(
  path: string,
  body: XMLHttpRequestBodyInit,
  token: string | null,
  options: UploadOptions,
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method ?? 'POST', API_BASE + path);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', hooks.locale());
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    const onProgress = options.onProgress;
    if (onProgress) {
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded, event.total);
      };
    }
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new ApiError({ status: 0, code: NETWORK_ERROR }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: NETWORK_ERROR }));
    xhr.send(body);
  });
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Sends a file (a multipart form, or a raw body with its `Content-Type` in
 * `options.headers`) with the access token, reporting upload progress (which
 * `fetch` cannot). A 401 gets one token refresh and one retry, like {@link request}.
 * Public endpoints (`auth: false`) are sent without any token.
 */
export async function upload<T>(path: string, body: XMLHttpRequestBodyInit, options: UploadOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  let token = auth ? hooks.accessToken() : null;
  if (auth && !token && (await hooks.refresh())) token = hooks.accessToken();
  let xhr = await sendBody(path, body, token, options);
  if (auth && xhr.status === 401) {
    const current = hooks.accessToken();
    const renewed = current !== null && current !== token ? true : await hooks.refresh();
    if (renewed) xhr = await sendBody(path, body, hooks.accessToken(), options);
  }
  const data = parseJson(xhr.responseText);
  if (xhr.status < 200 || xhr.status >= 300) {
    throw parseProblem(xhr.status, data, xhr.getResponseHeader('Retry-After'));
  }
  return data as T;
}

/**
 * A query string (with `?`, or empty) of the parameters that say something:
 * `undefined`, `null`, empty strings and `false` are left out.
 */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '' && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  institutions: (params: QueryOf<'list_institutions'> = {}) =>
    request<Page<Institution>>('GET', `/institutions${query(params)}`),

  register: (body: RegisterRequest) => request<null>('POST', '/auth/register', { body }),
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
  changePassword: (body: PasswordChange) =>
    request<TokenResponse>('POST', '/me/password', { body, auth: true }),

  users: (params: QueryOf<'list_users'>) =>
    request<Page<User>>('GET', `/users${query(params)}`, { auth: true }),
  createUser: (body: AccountInput) => request<User>('POST', '/users', { body, auth: true }),
  updateUser: (id: User['id'], body: UserUpdate) =>
    request<User>('PATCH', `/users/${encodeURIComponent(String(id))}`, { body, auth: true }),

  // Catalog: reading (public; signed-in editors also see their drafts)
  topics: () => request<Topic[]>('GET', '/topics'),
  courses: (params: CourseQuery) =>
    request<Page<CourseSummary>>('GET', `/courses${query({ ...params })}`, { auth: 'optional' }),
  course: (code: string, lang?: Locale) =>
    request<Course>('GET', `/courses/${seg(code)}${query({ lang })}`, { auth: 'optional' }),
  courseOfferings: (code: string) =>
    request<Offering[]>('GET', `/courses/${seg(code)}/offerings`, { auth: 'optional' }),
  offering: (id: number, lang?: Locale) =>
    request<Offering>('GET', `/offerings/${seg(id)}${query({ lang })}`, { auth: 'optional' }),
  calendarUrl: (offeringId: number) => `${API_BASE}/offerings/${seg(offeringId)}/calendar.ics`,

  // Catalog: authoring (instructors of the course, administrators)
  createOffering: (code: string, body: OfferingInput) =>
    request<Offering>('POST', `/courses/${seg(code)}/offerings`, { body, auth: true }),
  updateOffering: (id: number, body: OfferingInput) =>
    request<Offering>('PATCH', `/offerings/${seg(id)}`, { body, auth: true }),
  deleteOffering: (id: number) => request<null>('DELETE', `/offerings/${seg(id)}`, { auth: true }),
  createSession: (offeringId: number, body: SessionInput) =>
    request<OfferingSession>('POST', `/offerings/${seg(offeringId)}/sessions`, { body, auth: true }),
  updateSession: (id: number, body: SessionInput) =>
    request<OfferingSession>('PATCH', `/sessions/${seg(id)}`, { body, auth: true }),
  deleteSession: (id: number) => request<null>('DELETE', `/sessions/${seg(id)}`, { auth: true }),

  createCourse: (body: CourseInput) => request<Course>('POST', '/courses', { body, auth: true }),
  updateCourse: (code: string, body: CourseInput) =>
    request<Course>('PATCH', `/courses/${seg(code)}`, { body, auth: true }),
  putTranslation: (code: string, locale: Locale, body: Translation) =>
    request<Course>('PUT', `/courses/${seg(code)}/translations/${locale}`, { body, auth: true }),
  publishCourse: (code: string) => request<Course>('POST', `/courses/${seg(code)}/publish`, { auth: true }),
  archiveCourse: (code: string) => request<Course>('POST', `/courses/${seg(code)}/archive`, { auth: true }),
  requestReview: (code: string) =>
    request<Course>('POST', `/courses/${seg(code)}/review-request`, { auth: true }),
  sendBackCourse: (code: string, note: string) =>
    request<Course>('POST', `/courses/${seg(code)}/send-back`, { body: { note }, auth: true }),
  courseReviews: () => request<ReviewRequest[]>('GET', '/course-reviews', { auth: true }),

  createModule: (code: string, body: ModuleInput) =>
    request<CourseModule>('POST', `/courses/${seg(code)}/modules`, { body, auth: true }),
  updateModule: (id: number, body: ModuleInput) =>
    request<CourseModule>('PATCH', `/modules/${seg(id)}`, { body, auth: true }),
  deleteModule: (id: number) => request<null>('DELETE', `/modules/${seg(id)}`, { auth: true }),
  reorderModules: (code: string, ids: number[]) =>
    request<CourseModule[]>('PUT', `/courses/${seg(code)}/modules/order`, { body: { ids }, auth: true }),

  /** The outline in `lang` where translated (editors ask for the primary language). */
  courseModules: (code: string, lang?: Locale) =>
    request<CourseModule[]>('GET', `/courses/${seg(code)}/modules${query({ lang })}`, { auth: 'optional' }),
  lesson: (id: number, lang?: Locale) =>
    request<Lesson>('GET', `/lessons/${seg(id)}${query({ lang })}`, { auth: 'optional' }),
  putModuleTranslation: (id: number, locale: Locale, body: ContentTranslationInput) =>
    request<CourseModule>('PUT', `/modules/${seg(id)}/translations/${locale}`, { body, auth: true }),
  putLessonTranslation: (id: number, locale: Locale, body: ContentTranslationInput) =>
    request<Lesson>('PUT', `/lessons/${seg(id)}/translations/${locale}`, { body, auth: true }),
  putSessionTranslation: (id: number, locale: Locale, body: ContentTranslationInput) =>
    request<OfferingSession>('PUT', `/sessions/${seg(id)}/translations/${locale}`, { body, auth: true }),

  // A learner's own calendar address (shown once when created).
  calendarFeed: () => request<CalendarFeed>('GET', '/me/calendar-feed', { auth: true }),
  createCalendarFeed: () => request<CalendarFeedAddress>('POST', '/me/calendar-feed', { auth: true }),
  deleteCalendarFeed: () => request<null>('DELETE', '/me/calendar-feed', { auth: true }),
  createLesson: (moduleId: number, body: LessonInput) =>
    request<Lesson>('POST', `/modules/${seg(moduleId)}/lessons`, { body, auth: true }),
  updateLesson: (id: number, body: LessonInput) =>
    request<Lesson>('PATCH', `/lessons/${seg(id)}`, { body, auth: true }),
  deleteLesson: (id: number) => request<null>('DELETE', `/lessons/${seg(id)}`, { auth: true }),
  reorderLessons: (moduleId: number, ids: number[]) =>
    request<CourseModule>('PUT', `/modules/${seg(moduleId)}/lessons/order`, { body: { ids }, auth: true }),
  lessonFile: (id: number) => download(`/lessons/${seg(id)}/file`),
  uploadLessonFile: (id: number, file: File, onProgress?: UploadProgress) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return upload<Lesson>(`/lessons/${seg(id)}/file`, form, { onProgress });
  },
};

/** The catalog search as the API takes it. */
export type CourseQuery = QueryOf<'list_courses'>;

/** One path segment, escaped. */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}
