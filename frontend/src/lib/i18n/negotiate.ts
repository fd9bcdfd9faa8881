import { everyOf, type Locale } from '../types';

export const LOCALES = everyOf<Locale>()(['es', 'en', 'pt', 'fr']);
export const DEFAULT_LOCALE: Locale = 'es';

/** Each language named in itself, as the language switcher shows it. */
export const NATIVE_NAMES: Record<Locale, string> = {
  es: 'Español',
  en: 'English',
  pt: 'Português',
  fr: 'Français',
};

/** The supported locale for a language tag such as `pt-BR` or `FR`; `null` if none. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : null;
}

export interface LocaleSources {
  /** The choice made with the language switcher in this browser. */
  saved?: string | null;
  /** The signed-in account's language. */
  userLocale?: string | null;
  /** The browser's preferred languages, most preferred first. */
  browser?: readonly string[];
}

/**
 * The locale to show: the one chosen with the switcher in this browser, else the
 * signed-in account's, else the first of the browser's languages that Aula speaks,
 * else Spanish.
 */
export function negotiateLocale(sources: LocaleSources): Locale {
  const fromSaved = matchLocale(sources.saved);
  if (fromSaved) return fromSaved;
  const fromUser = matchLocale(sources.userLocale);
  if (fromUser) return fromUser;
  for (const tag of sources.browser ?? []) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}
