import { describe, expect, it } from 'vitest';
import { zoneGroups, utcToZoned, zonedToUtc } from './zoned';

describe('wall-clock times in a zone', () => {
  it('turns local times into UTC instants', () => {
    expect(zonedToUtc('2027-02-01T09:00', 'America/Mexico_City')).toBe('2027-02-01T15:00:00Z');
    expect(zonedToUtc('2027-02-01T09:00', 'America/Sao_Paulo')).toBe('2027-02-01T12:00:00Z');
    expect(zonedToUtc('2027-02-01T09:00', 'UTC')).toBe('2027-02-01T09:00:00Z');
  });

  it('follows daylight saving time', () => {
    expect(zonedToUtc('2027-01-15T10:00', 'America/New_York')).toBe('2027-01-15T15:00:00Z');
    expect(zonedToUtc('2027-07-15T10:00', 'America/New_York')).toBe('2027-07-15T14:00:00Z');
    expect(zonedToUtc('2027-07-15T10:00', 'America/Santiago')).toBe('2027-07-15T14:00:00Z');
  });

  it('reads UTC timestamps back as local times', () => {
    expect(utcToZoned('2027-02-01T15:00:00', 'America/Mexico_City')).toBe('2027-02-01T09:00');
    expect(utcToZoned('2027-07-15T14:00:00Z', 'America/New_York')).toBe('2027-07-15T10:00');
  });

  it('refuses what it cannot read', () => {
    expect(zonedToUtc('tomorrow', 'UTC')).toBeNull();
    expect(zonedToUtc('2027-02-01T09:00', 'Not/AZone')).toBeNull();
    expect(utcToZoned('nonsense', 'UTC')).toBe('');
  });

  it('offers the current zones of the Americas by country, with city names', () => {
    const groups = zoneGroups('es');
    const mexico = groups.find((g) => g.label === 'México');
    expect(mexico?.zones.map((z) => z.id)).toContain('America/Mexico_City');
    expect(mexico?.zones.find((z) => z.id === 'America/Mexico_City')?.label).toMatch(/^Mexico City/);
    const ids = groups.flatMap((g) => g.zones.map((z) => z.id));
    expect(ids).toContain('UTC');
    // Retired and alias names are not offered.
    expect(ids).not.toContain('America/Buenos_Aires');
    expect(ids).not.toContain('US/Eastern');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps a zone an offering already uses even when it is no longer offered', () => {
    const groups = zoneGroups('en', 'America/Buenos_Aires');
    expect(groups.at(-1)?.zones[0]).toEqual({ id: 'America/Buenos_Aires', label: 'Buenos Aires' });
  });
});
