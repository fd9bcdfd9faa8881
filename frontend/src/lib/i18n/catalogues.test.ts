import { describe, expect, it } from 'vitest';
import coreEn from './core/en.json';
import coreEs from './core/es.json';
import coreFr from './core/fr.json';
import corePt from './core/pt.json';
import pagesEn from './pages/en.json';
import pagesEs from './pages/es.json';
import pagesFr from './pages/fr.json';
import pagesPt from './pages/pt.json';

type Messages = Record<string, string>;

const parts: Record<string, Record<string, Messages>> = {
  core: { es: coreEs, en: coreEn, pt: corePt, fr: coreFr },
  pages: { es: pagesEs, en: pagesEn, pt: pagesPt, fr: pagesFr },
};
const spanish: Messages = { ...coreEs, ...pagesEs };

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('message catalogues', () => {
  for (const [part, catalogues] of Object.entries(parts)) {
    const allKeys = [...new Set(Object.values(catalogues).flatMap((c) => Object.keys(c)))].sort();

    for (const [locale, catalogue] of Object.entries(catalogues)) {
      it(`${part}/${locale} has every key that another locale's ${part} has`, () => {
        const missing = allKeys.filter((key) => !(key in catalogue));
        expect(missing).toEqual([]);
      });

      it(`${part}/${locale} has no empty message`, () => {
        const empty = Object.entries(catalogue)
          .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
          .map(([key]) => key);
        expect(empty).toEqual([]);
      });

      it(`${part}/${locale} uses the same placeholders as Spanish`, () => {
        const mismatched = allKeys.filter(
          (key) => key in catalogue && placeholders(catalogue[key]).join() !== placeholders(spanish[key]).join(),
        );
        expect(mismatched).toEqual([]);
      });
    }
  }

  it('holds each key in one part only', () => {
    for (const locale of ['es', 'en', 'pt', 'fr']) {
      const twice = Object.keys(parts.core[locale]).filter((key) => key in parts.pages[locale]);
      expect(twice, locale).toEqual([]);
    }
  });

  it('plural messages come in one/other pairs, in the same part', () => {
    for (const catalogue of Object.values(parts).map((c) => c.es)) {
      const keys = Object.keys(catalogue);
      for (const key of keys.filter((k) => k.endsWith('.one'))) expect(keys).toContain(key.replace(/\.one$/, '.other'));
    }
    expect(Object.keys(spanish).some((key) => key.endsWith('.one'))).toBe(true);
  });
});
