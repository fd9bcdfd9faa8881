import { ZONES_BY_COUNTRY } from './time-zones';

/**
 * Wall-clock times in a named time zone, as `<input type="datetime-local">` shows them
 * (`YYYY-MM-DDTHH:mm`), to and from UTC instants. Offerings keep their enrolment window
 * and sessions in UTC, but people enter them in the offering's own zone.
 */

function partsIn(date: Date, timeZone: string): Record<string, number> {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** How far `timeZone` is ahead of UTC at `date`, in milliseconds. */
function offsetAt(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** The UTC instant (RFC 3339) of a wall-clock time in `timeZone`; `null` if unreadable. */
export function zonedToUtc(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  try {
    // Two passes settle the offset around daylight-saving changes.
    let guess = wall - offsetAt(new Date(wall), timeZone);
    guess = wall - offsetAt(new Date(guess), timeZone);
    return new Date(guess).toISOString().replace(/\.000Z$/, 'Z');
  } catch {
    return null;
  }
}

/** A UTC timestamp (with or without `Z`) as wall-clock time in `timeZone`. */
export function utcToZoned(timestamp: string, timeZone: string): string {
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`);
  if (Number.isNaN(date.getTime())) return '';
  try {
    const p = partsIn(date, timeZone);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
  } catch {
    return '';
  }
}

let preferredZone: string | null = null;

/** The signed-in person's chosen zone (their profile), or `null` for the browser's. */
export function setPreferredTimeZone(zone: string | null | undefined): void {
  preferredZone = zone || null;
}

/** The zone the browser itself is in, UTC when it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The reader's zone: the one chosen in their profile, else the browser's. */
export function viewerTimeZone(): string {
  return preferredZone ?? browserTimeZone();
}

/** A zone's everyday name in `locale` ("hora de Colombia"); the city when none. */
export function zoneName(timeZone: string, locale: string): string {
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName');
    if (part && !/^GMT|^UTC[+-]/.test(part.value)) return part.value;
  } catch {
    // An unknown zone: fall back to its city.
  }
  return cityOf(timeZone);
}

/** The city of an IANA zone id: `America/Argentina/Buenos_Aires` is Buenos Aires. */
export function cityOf(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

export interface ZoneOption {
  id: string;
  label: string;
}

export interface ZoneGroup {
  /** A country's name in the reader's language, or a name for the rest. */
  label: string;
  zones: ZoneOption[];
}

/**
 * The zones an offering may use, grouped by country (named in `locale`, sorted), each
 * a city with its everyday name; then UTC. Only current zone names (no retired or alias
 * ids); `current`, when it is none of them, is kept in a group of its own so an older
 * offering can still be edited.
 */
export function zoneGroups(locale: string, current?: string): ZoneGroup[] {
  let countries: Intl.DisplayNames | null = null;
  try {
    countries = new Intl.DisplayNames([locale], { type: 'region' });
  } catch {
    countries = null;
  }
  const groups: ZoneGroup[] = Object.entries(ZONES_BY_COUNTRY).map(([country, zones]) => ({
    label: countries?.of(country) ?? country,
    zones: zones.map((id) => {
      const city = cityOf(id);
      const name = zones.length > 1 ? zoneName(id, locale) : '';
      return { id, label: name && name !== city ? `${city} (${name})` : city };
    }),
  }));
  const collator = new Intl.Collator(locale);
  groups.sort((a, b) => collator.compare(a.label, b.label));
  for (const group of groups) group.zones.sort((a, b) => collator.compare(a.label, b.label));
  groups.push({ label: 'UTC', zones: [{ id: 'UTC', label: 'UTC' }] });
  if (current && !groups.some((g) => g.zones.some((z) => z.id === current))) {
    groups.push({ label: current, zones: [{ id: current, label: cityOf(current) }] });
  }
  return groups;
}
