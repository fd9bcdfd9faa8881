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

/** Zones offered for offerings: the Americas, then a few others. */
export function timeZones(): string[] {
  let all: string[] = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = [];
  }
  const americas = all.filter((zone) => zone.startsWith('America/'));
  return [...americas, 'Europe/Madrid', 'UTC'];
}
