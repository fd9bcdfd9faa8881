import { describe, expect, it } from 'vitest';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import pt from './pt.json';

const catalogues: Record<string, Record<string, string>> = { es, en, pt, fr };
const allKeys = [...new Set(Object.values(catalogues).flatMap((c) => Object.keys(c)))].sort();

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('message catalogues', () => {
  for (const [locale, catalogue] of Object.entries(catalogues)) {
    it(`${locale} has every key that another locale has`, () => {
      const missing = allKeys.filter((key) => !(key in catalogue));
      expect(missing).toEqual([]);
    });

    it(`${locale} has no empty message`, () => {
      const empty = Object.entries(catalogue)
        .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
        .map(([key]) => key);
      expect(empty).toEqual([]);
    });

    it(`${locale} uses the same placeholders as Spanish`, () => {
      const mismatched = allKeys.filter(
        (key) => key in catalogue && placeholders(catalogue[key]).join() !== placeholders(es[key as keyof typeof es]).join(),
      );
      expect(mismatched).toEqual([]);
    });
  }

  it('plural messages come in one/other pairs', () => {
    const ones = allKeys.filter((key) => key.endsWith('.one'));
    expect(ones.length).toBeGreaterThan(0);
    for (const key of ones) expect(allKeys).toContain(key.replace(/\.one$/, '.other'));
  });
});
