import { describe, expect, it } from 'vitest';
import { matchLocale, negotiateLocale } from './negotiate';

describe('matchLocale', () => {
  it('reads the primary language of a tag', () => {
    expect(matchLocale('pt-BR')).toBe('pt');
    expect(matchLocale('FR_ca')).toBe('fr');
    expect(matchLocale(' en ')).toBe('en');
  });

  it('rejects languages Aula does not speak', () => {
    expect(matchLocale('de-DE')).toBeNull();
    expect(matchLocale('')).toBeNull();
    expect(matchLocale(null)).toBeNull();
  });
});

describe('negotiateLocale', () => {
  it('prefers the choice made with the switcher in this browser over everything else', () => {
    expect(negotiateLocale({ userLocale: 'fr', saved: 'en', browser: ['pt-BR'] })).toBe('en');
  });

  it("uses the signed-in account's language when nothing was chosen", () => {
    expect(negotiateLocale({ userLocale: 'fr', saved: null, browser: ['pt-BR'] })).toBe('fr');
  });

  it("takes the first of the browser's languages that is supported", () => {
    expect(negotiateLocale({ browser: ['de-DE', 'it', 'pt-BR', 'en'] })).toBe('pt');
  });

  it('ignores unsupported saved values', () => {
    expect(negotiateLocale({ saved: 'xx', browser: ['en-US'] })).toBe('en');
  });

  it('falls back to Spanish', () => {
    expect(negotiateLocale({})).toBe('es');
    expect(negotiateLocale({ browser: ['de', 'ja'] })).toBe('es');
  });
});
