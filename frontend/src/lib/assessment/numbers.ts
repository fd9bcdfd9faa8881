/** Points and numbers as people type and read them. */

/** Points to two decimals, as the server keeps them. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A number typed by a person, with a decimal point or comma; `null` when it is none. */
export function parseDecimal(text: string): number | null {
  const value = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(value)) return null;
  return Number(value);
}

/** A whole number typed by a person; `null` when it is none. */
export function parseWhole(text: string): number | null {
  const value = text.trim();
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** Points or a grade as the locale writes them, with at most two decimals (`17,5`). */
export function formatScore(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}
