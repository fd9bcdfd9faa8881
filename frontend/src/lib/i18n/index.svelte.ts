/**
 * The interface language: reactive current locale, message lookup and formatting.
 */
import type { Locale } from '../types';
import {
  hasPart,
  loadCatalogue,
  loadedCatalogue,
  type Catalogue,
  type CataloguePart,
  type MessageKey,
} from './catalogues';
import { DEFAULT_LOCALE, matchLocale, negotiateLocale } from './negotiate';

export { LOCALES, NATIVE_NAMES } from './negotiate';
export type { CataloguePart, MessageKey } from './catalogues';

/**
 * The language chosen with the switcher by whoever uses this browser now. It wins over
 * the account's language (a visitor's choice survives signing in) and is forgotten at
 * sign-out, so the next person does not inherit it.
 */
const STORAGE_KEY = 'aula.locale';

type Params = Record<string, string | number>;

function readChoice(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeChoice(locale: Locale | null): void {
  try {
    if (locale) localStorage.setItem(STORAGE_KEY, locale);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Private browsing may refuse storage; the choice still applies to this visit.
  }
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/**
 * The interface language. One rule: the choice made with the switcher in this browser,
 * else the signed-in account's language, else the browser's languages, else Spanish.
 * The switcher never changes the account (its language is the language of its mail,
 * set on the profile page).
 */
class I18n {
  locale = $state<Locale>(DEFAULT_LOCALE);
  /** The messages of `locale`; swapped only once the new catalogue has arrived. */
  messages = $state.raw<Catalogue | null>(null);
  #account: Locale | null = null;
  /** The parts of the catalogue the pages opened so far need (see `catalogues.ts`). */
  readonly #parts = new Set<CataloguePart>(['core']);
  /** Counts the languages asked for, so that the last one asked wins. */
  #asked = 0;

  /** Picks the starting language and fetches its messages. */
  async init(): Promise<void> {
    await this.#show(negotiateLocale({ saved: readChoice(), browser: browserLanguages() }));
  }

  /** The switcher: show `locale` now and remember it for this browser. */
  async choose(locale: string): Promise<void> {
    const match = matchLocale(locale);
    if (!match) return;
    writeChoice(match);
    await this.#show(match);
  }

  /** A signed-in account's language applies unless a choice was made in this browser. */
  async adoptAccount(locale: string): Promise<void> {
    this.#account = matchLocale(locale);
    await this.#show(
      negotiateLocale({ saved: readChoice(), userLocale: this.#account, browser: browserLanguages() }),
    );
  }

  /** Signing out: forget the account's language and the choice made during the visit. */
  async forget(): Promise<void> {
    this.#account = null;
    writeChoice(null);
    await this.#show(negotiateLocale({ browser: browserLanguages() }));
  }

  /**
   * A page about to be shown needs `part` of the catalogue: fetch it in the language on
   * screen (and in any language asked for later, which waits for it too).
   */
  async need(part: CataloguePart): Promise<void> {
    this.#parts.add(part);
    const locale = this.locale;
    if (hasPart(locale, part)) return;
    const messages = await loadCatalogue(locale, [part]);
    if (this.locale === locale) this.messages = messages;
  }

  async #show(locale: Locale): Promise<void> {
    const asked = ++this.#asked;
    let messages: Catalogue;
    try {
      messages = await this.#fetch(locale);
    } catch {
      // The chunk could not be fetched (offline, or a new version replaced it): keep
      // the language on screen rather than showing message keys.
      if (this.messages || asked !== this.#asked) return;
      locale = DEFAULT_LOCALE;
      messages = await this.#fetch(locale);
    }
    // Switching twice quickly: the language asked for last is the one shown.
    if (asked !== this.#asked) return;
    this.messages = messages;
    this.locale = locale;
  }

  /** Every part needed so far in `locale`, including parts needed while it was on its way. */
  async #fetch(locale: Locale): Promise<Catalogue> {
    let messages = await loadCatalogue(locale, this.#parts);
    while ([...this.#parts].some((part) => !hasPart(locale, part))) messages = await loadCatalogue(locale, this.#parts);
    return messages;
  }
}

export const i18n = new I18n();

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Whether the interface has words for `key` (codes sent by the server may be new). */
export function hasMessage(key: string): key is MessageKey {
  const messages = loadedCatalogue(i18n.locale) ?? i18n.messages;
  return messages !== undefined && messages !== null && key in messages;
}

/** The message for `key` in the current locale, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Params): string {
  // Read first so that a part of the catalogue arriving later shows at once.
  const shown = i18n.messages;
  const messages = loadedCatalogue(i18n.locale) ?? shown;
  return interpolate(messages?.[key] ?? key, params);
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
