import type { Locale } from '../types';
import type es from './es.json';

export type MessageKey = keyof typeof es;
export type Catalogue = Record<MessageKey, string>;

/**
 * Each language's messages in a chunk of its own, fetched when first needed: a
 * visitor downloads one catalogue, not four. Spanish is the reference every other
 * must match (checked by `catalogues.test.ts`).
 */
const loaders: Record<Locale, () => Promise<{ default: Catalogue }>> = {
  es: () => import('./es.json'),
  en: () => import('./en.json'),
  pt: () => import('./pt.json'),
  fr: () => import('./fr.json'),
};

const loaded = new Map<Locale, Catalogue>();

/** The catalogue of `locale` if it has been fetched. */
export function loadedCatalogue(locale: Locale): Catalogue | undefined {
  return loaded.get(locale);
}

/** Fetches (once) the catalogue of `locale`. */
export async function loadCatalogue(locale: Locale): Promise<Catalogue> {
  const known = loaded.get(locale);
  if (known) return known;
  const catalogue = (await loaders[locale]()).default;
  loaded.set(locale, catalogue);
  return catalogue;
}
