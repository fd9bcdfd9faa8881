/**
 * Turns failed API calls into what forms show: messages next to fields, and a
 * form-level alert for everything else. Known error codes get the interface's
 * own wording; other problems show the server's (already localized) title.
 */
import { ApiError, NETWORK_ERROR } from './api';
import { t, tn, type MessageKey } from './i18n/index.svelte';

/** Problem codes that a part of the interface words itself, with the message for each. */
export type ProblemMessages = Readonly<Record<string, MessageKey>>;

export interface AlertContent {
  title: string;
  detail?: string;
  items?: string[];
}

/** Server messages for the given fields, keyed by field name. */
export function fieldErrors(error: unknown, fields: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const item of error.errors) {
    if (fields.includes(item.field) && !(item.field in result)) result[item.field] = item.message;
  }
  return result;
}

/**
 * The form-level alert for an error; field errors shown beside `shownFields` are left out.
 * Codes listed in `known` get the interface's own message, and the server's title as detail.
 */
export function describeError(
  error: unknown,
  shownFields: readonly string[] = [],
  known: ProblemMessages = {},
): AlertContent {
  if (!(error instanceof ApiError)) return { title: t('error.generic') };
  const own = Object.hasOwn(known, error.code) ? known[error.code] : undefined;
  if (own) {
    const title = t(own);
    const items = error.errors.filter((e) => !shownFields.includes(e.field)).map((e) => e.message);
    return { title, detail: error.title && error.title !== title ? error.title : undefined, items: items.length > 0 ? items : undefined };
  }
  switch (error.code) {
    case NETWORK_ERROR:
      return { title: t('error.network') };
    case 'rate_limited':
      return {
        title:
          error.retryAfter !== null && error.retryAfter > 0
            ? tn('error.rateLimited', Math.max(1, Math.ceil(error.retryAfter / 60)))
            : t('error.rateLimitedSoon'),
      };
    case 'invalid_credentials':
      return { title: t('error.invalidCredentials') };
  }
  const shown = error.errors.filter((e) => shownFields.includes(e.field));
  const items = error.errors.filter((e) => !shownFields.includes(e.field)).map((e) => e.message);
  const title = shown.length > 0 && items.length === 0 ? t('form.fixErrors') : error.title || t('error.generic');
  const detail = error.detail && error.detail !== title ? error.detail : undefined;
  return { title, detail, items: items.length > 0 ? items : undefined };
}
