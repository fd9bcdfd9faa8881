import type { Locale } from '../types';
import type coreEs from './core/es.json';
import type pagesEs from './pages/es.json';

/**
 * Each language's messages come in two parts, each a chunk of its own fetched when first
 * needed, so a visitor downloads one language, not four, and only the words of what
 * they open:
 *
 * - `core`: the app's frame and the pages that come with it (catalog, course page,
 *   sign-in, the start page), problems and form errors;
 * - `pages`: everything else (learning, teaching, assessment, administration), fetched
 *   with the first page that is not part of the app's first download.
 *
 * Spanish is the reference every other language must match, and a key lives in exactly
 * one part (both checked by `catalogues.test.ts`; `core.test.ts` checks that the first
 * download's modules find their words in `core`).
 */
export type CataloguePart = 'core' | 'pages';
export const CATALOGUE_PARTS: readonly CataloguePart[] = ['core', 'pages'];

export type MessageKey = keyof typeof coreEs | keyof typeof pagesEs;
export type Catalogue = Record<MessageKey, string>;

type Loader = () => Promise<{ default: Record<string, string> }>;

const loaders: Record<CataloguePart, Record<Locale, Loader>> = {
  core: {
    es: () => import('./core/es.json'),
    en: () => import('./core/en.json'),
    pt: () => import('./core/pt.json'),
    fr: () => import('./core/fr.json'),
  },
  pages: {
    es: () => import('./pages/es.json'),
    en: () => import('./pages/en.json'),
    pt: () => import('./pages/pt.json'),
    fr: () => import('./pages/fr.json'),
  },
};

/** The parts of each language fetched so far, merged; replaced (not changed) as parts arrive. */
const loaded = new Map<Locale, { parts: Set<CataloguePart>; messages: Catalogue }>();
const pending = new Map<string, Promise<void>>();

/** The messages of `locale` fetched so far (some parts may still be missing). */
export function loadedCatalogue(locale: Locale): Catalogue | undefined {
  return loaded.get(locale)?.messages;
}

/** Whether `part` of `locale` has arrived. */
export function hasPart(locale: Locale, part: CataloguePart): boolean {
  return loaded.get(locale)?.parts.has(part) ?? false;
}

function loadPart(locale: Locale, part: CataloguePart): Promise<void> {
  if (hasPart(locale, part)) return Promise.resolve();
  const id = `${locale}/${part}`;
  let promise = pending.get(id);
  if (!promise) {
    promise = loaders[part][locale]()
      .then((module) => {
        const known = loaded.get(locale);
        loaded.set(locale, {
          parts: new Set([...(known?.parts ?? []), part]),
          messages: { ...known?.messages, ...module.default } as Catalogue,
        });
      })
      .finally(() => pending.delete(id));
    pending.set(id, promise);
  }
  return promise;
}

/** Fetches (once each) the `parts` of `locale`; resolves to every message of it fetched so far. */
export async function loadCatalogue(locale: Locale, parts: Iterable<CataloguePart> = ['core']): Promise<Catalogue> {
  await Promise.all([...parts].map((part) => loadPart(locale, part)));
  return loadedCatalogue(locale) as Catalogue;
}
