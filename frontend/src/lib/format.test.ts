import { describe, expect, it } from 'vitest';
import {
  currencyDigits,
  formatMomentFor,
  formatBytes,
  formatDay,
  formatDayRange,
  formatList,
  formatMoment,
  formatMoney,
  languageLabel,
  languageName,
  minorToInput,
  parseMoney,
} from './format';

/** ICU puts narrow and no-break spaces in places; tests compare plain text. */
const plain = (text: string | null) => text?.replace(/[\u00a0\u2009\u202f]/g, ' ') ?? null;

describe('formatDay', () => {
  it('keeps the calendar date whatever the zone', () => {
    expect(formatDay('2027-03-01', 'en')).toBe('March 1, 2027');
    expect(formatDay('2027-03-01', 'es')).toBe('1 de marzo de 2027');
    expect(formatDay('not a date', 'es')).toBe('not a date');
  });

  it('writes ranges compactly', () => {
    expect(plain(formatDayRange('2027-03-01', '2027-03-28', 'en'))).toBe('March 1 – 28, 2027');
  });
});

describe('formatMoment', () => {
  it('shows the wall-clock time of the offering’s zone', () => {
    const text = formatMoment('2027-02-01T15:00:00', 'en', 'America/Mexico_City');
    expect(text).toContain('February 1, 2027');
    expect(text).toContain('9:00');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(formatMoment('2027-02-01T15:00:00Z', 'en', 'Not/AZone')).toContain('3:00');
  });
});

describe('formatMoney', () => {
  it('reads minor units by the currency’s decimals', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('CLP')).toBe(0);
    expect(formatMoney(15000, 'USD', 'en')).toBe('$150.00');
    expect(plain(formatMoney(15000, 'CLP', 'en'))).toBe('CLP 15,000');
  });

  it('leaves zero to the caller, who says "free"', () => {
    expect(formatMoney(0, 'USD', 'es')).toBeNull();
  });
});

describe('names and sizes', () => {
  it('names languages in the interface language', () => {
    expect(languageName('es', 'en')).toBe('Spanish');
    expect(languageName('pt', 'fr')).toBe('portugais');
    expect(formatList(['Spanish', 'English'], 'en')).toBe('Spanish and English');
    expect(languageName('en', 'es')).toBe('inglés');
    expect(languageLabel('en', 'es')).toBe('Inglés');
  });

  it('gives sizes in readable units', () => {
    expect(formatBytes(512, 'en')).toBe('512 bytes');
    expect(formatBytes(1, 'en')).toBe('1 byte');
    expect(plain(formatBytes(125, 'fr'))).toBe('125 octets');
    expect(plain(formatBytes(1536 * 1024, 'en'))).toBe('1.5 MB');
  });
});

describe('parseMoney', () => {
  it('reads amounts as people type them', () => {
    expect(parseMoney('150', 'USD')).toBe(15000);
    expect(parseMoney('150.5', 'USD')).toBe(15050);
    expect(parseMoney('150,50', 'USD')).toBe(15050);
    expect(parseMoney('1.500,00', 'EUR')).toBe(150000);
    expect(parseMoney('1,500.00', 'USD')).toBe(150000);
    expect(parseMoney('15000', 'CLP')).toBe(15000);
    expect(parseMoney('', 'USD')).toBe(0);
  });

  it('refuses what is not an amount', () => {
    expect(parseMoney('-5', 'USD')).toBeNull();
    expect(parseMoney('abc', 'USD')).toBeNull();
    expect(parseMoney('1.234', 'USD')).toBe(123400);
  });

  it('writes minor units back for editing', () => {
    expect(minorToInput(15050, 'USD')).toBe('150.50');
    expect(minorToInput(15000, 'CLP')).toBe('15000');
  });
});

describe('formatMomentFor', () => {
  it("gives the reader's time with the edition's beside it when they differ", () => {
    const text = formatMomentFor('2026-12-01T13:00:00Z', 'en', 'America/Bogota', 'America/Sao_Paulo');
    expect(text).toContain('10:00');
    expect(text).toMatch(/\(8:00\s?AM GMT-5\)$/);
  });

  it('says the time once when the reader is in the edition’s zone', () => {
    const text = formatMomentFor('2026-12-01T13:00:00Z', 'es', 'America/Bogota', 'America/Bogota');
    expect(text).not.toContain('(');
    expect(text).toContain('8:00');
  });

  it('names the day of the edition’s time when it falls on another date', () => {
    const text = formatMomentFor('2026-12-02T02:30:00Z', 'en', 'America/Mexico_City', 'Europe/Madrid');
    expect(text).toMatch(/\(Dec 1, 8:30\s?PM/);
  });
});
