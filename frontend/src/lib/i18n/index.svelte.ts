/**
 * The interface language: reactive current locale, message lookup and formatting.
 */
import type { Locale } from '../types';
import { catalogues, type MessageKey } from './catalogues';
import { DEFAULT_LOCALE, matchLocale, negotiateLocale } from './negotiate';

export { LOCALES, NATIVE_NAMES } from './negotiate';
export type { MessageKey } from './catalogues';

const STORAGE_KEY = 'aula.locale';

type Params = Record<string, string | number>;

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

class I18n {
  locale = $state<Locale>(DEFAULT_LOCALE);

  /** Picks the starting locale from a saved choice or the browser's languages. */
  init(): void {
    this.locale = negotiateLocale({ saved: readSaved(), browser: browserLanguages() });
  }

  /** Switches the interface language and remembers it in this browser. */
  set(locale: string): void {
    const match = matchLocale(locale);
    if (!match) return;
    this.locale = match;
    try {
      localStorage.setItem(STORAGE_KEY, match);
    } catch {
      // Private browsing may refuse storage; the switch still applies to this visit.
    }
  }
}

export const i18n = new I18n();

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The message for `key` in the current locale, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Params): string {
  return interpolate(catalogues[i18n.locale][key] ?? catalogues.es[key] ?? key, params);
}

type PluralBase<K> = K extends `${infer Base}.one` ? Base : never;
export type PluralKey = PluralBase<MessageKey>;

/** A counted message: picks `key.one` or `key.other` by the locale's plural rules. */
export function tn(key: PluralKey, count: number, params?: Params): string {
  const category = new Intl.PluralRules(i18n.locale).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}.${category}` as MessageKey, { count, ...params });
}

/** Formats a date (ISO string) in the current locale. */
export function formatDate(iso: string): string {
  // Timestamps without a zone are UTC.
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(date);
}

/** A country code such as `MX` as a name in the current locale; other values unchanged. */
export function countryName(country: string): string {
  if (!/^[A-Za-z]{2}$/.test(country)) return country;
  try {
    return new Intl.DisplayNames([i18n.locale], { type: 'region' }).of(country.toUpperCase()) ?? country;
  } catch {
    return country;
  }
}
