/**
 * Formatting for the catalog, with the interface locale passed in: calendar dates,
 * moments in an offering's time zone, fees in minor units, language names, file sizes.
 */

/** A calendar date (`YYYY-MM-DD`) as the locale writes it, without any time-zone shift. */
export function formatDay(isoDate: string, locale: string, style: 'long' | 'medium' = 'long'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(date);
}

/** A range of calendar dates, e.g. `3–28 de marzo de 2027`. */
export function formatDayRange(start: string, end: string, locale: string): string {
  const parse = (iso: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  };
  const from = parse(start);
  const to = parse(end);
  if (!from || !to) return `${start} – ${end}`;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  return format.formatRange(from, to);
}

function toDate(timestamp: string): Date {
  // Timestamps without a zone are UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`);
}

/** A moment (UTC timestamp) as wall-clock time in `timeZone`, naming the zone. */
export function formatMoment(timestamp: string, locale: string, timeZone: string): string {
  const date = toDate(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
  } catch {
    // An unknown zone name: UTC, said as such.
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date);
  }
}

/**
 * A moment as a reader in `viewerZone` lives it, with the edition's own wall-clock time
 * beside it when the two differ: `24 de noviembre de 2026, 10:00 GMT-3 (8:00 GMT-5)`.
 */
export function formatMomentFor(timestamp: string, locale: string, editionZone: string, viewerZone: string): string {
  const own = formatMoment(timestamp, locale, viewerZone);
  const date = toDate(timestamp);
  if (Number.isNaN(date.getTime())) return own;
  try {
    const wall = (timeZone: string, options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(locale, { ...options, timeZone }).format(date);
    const clock: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
    if (wall(viewerZone, clock) === wall(editionZone, clock)) return own;
    const day: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric' };
    const sameDay = wall(viewerZone, day) === wall(editionZone, day);
    const there = wall(editionZone, {
      ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
      ...clock,
      timeZoneName: 'short',
    });
    return `${own} (${there})`;
  } catch {
    return own;
  }
}

/** The number of decimal places of a currency (2 for USD, 0 for CLP). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units (cents) as money; `null` for zero so callers can say "free". */
export function formatMoney(minor: number, currency: string, locale: string): string | null {
  if (minor === 0) return null;
  const digits = currencyDigits(currency);
  const amount = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(digits)} ${currency}`;
  }
}

/** A language code such as `es` named in `locale` (`Spanish`, `español`…). */
export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Text with its first letter in upper case, for labels that stand alone (`Español`). */
export function capitalize(text: string, locale: string): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/** A language named for a label of its own: `Inglés`, `Portugais`. */
export function languageLabel(code: string, locale: string): string {
  return capitalize(languageName(code, locale), locale);
}

/** Several names joined as the locale lists them: `Spanish and English`. */
export function formatList(items: readonly string[], locale: string): string {
  try {
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** A size in bytes for people: `512 B`, `1.5 MB`. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    // Short bytes are "512 byte" in English: plain bytes are spelled out and pluralised.
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/**
 * An amount typed by a person (`150`, `150.50`, `150,50`, `1.500,00`) in minor units
 * of `currency`; `null` when it is not a non-negative amount with at most the
 * currency's decimals.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  let value = text.trim().replace(/[\s\u00a0]/g, '');
  if (value === '') return 0;
  // The last `.` or `,` followed by 1–2 digits is the decimal separator; others group thousands.
  const decimal = /[.,](\d{1,2})$/.exec(value);
  let fraction = '';
  if (decimal && digits > 0) {
    fraction = decimal[1];
    value = value.slice(0, decimal.index);
  }
  value = value.replace(/[.,](?=\d{3}(?:[.,]|$))/g, '');
  if (!/^\d+$/.test(value) || fraction.length > digits) return null;
  return Number(value) * 10 ** digits + Number(fraction.padEnd(digits, '0') || 0);
}

/** Minor units as a plain decimal for an input field (`15000` USD → `150.00`). */
export function minorToInput(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}
