import { describe, expect, it } from 'vitest';
import { atLocalTime, fromLocal, toLocal } from '../../src/shared/zoned-time.ts';

/** The shop's wall clock straight from Intl, with nothing kept between calls. */
function intlWall(instant: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return {
    year: +p.year!,
    month: +p.month!,
    day: +p.day!,
    hour: +p.hour! % 24,
    minute: +p.minute!,
    second: +p.second!,
  };
}

// Zones with an hour's DST both ways, a half-hour DST (Lord Howe), a 45-minute offset, and none.
const ZONES = ['America/New_York', 'Europe/Madrid', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Shanghai'];

describe('toLocal', () => {
  it('reads the same wall clock as Intl across offset changes, asked twice at each instant and in between', () => {
    // Each window holds a DST change of one of the zones: the offsets kept per minute must not leak across it.
    const windows = [
      '2026-03-08T05:00:00Z',
      '2026-11-01T04:30:00Z',
      '2026-03-29T00:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-04-04T14:30:00Z',
      '2026-10-03T15:00:00Z',
    ];
    for (const timeZone of ZONES) {
      for (const start of windows) {
        for (let t = Date.parse(start); t < Date.parse(start) + 2 * 3600_000; t += 37_123) {
          const instant = new Date(t);
          const expected = intlWall(instant, timeZone);
          expect(toLocal(instant, timeZone), `${timeZone} ${instant.toISOString()}`).toEqual(expected);
          expect(toLocal(new Date(t + 999), timeZone)).toEqual(intlWall(new Date(t + 999), timeZone));
        }
      }
    }
  });

  it('is right to the second on both sides of a change that falls inside a burst of calls', () => {
    const change = Date.parse('2026-11-01T06:00:00Z'); // 02:00 EDT becomes 01:00 EST
    for (const t of [change - 1000, change - 1, change, change + 1, change + 59_999, change - 60_000]) {
      expect(toLocal(new Date(t), 'America/New_York')).toEqual(intlWall(new Date(t), 'America/New_York'));
    }
    expect(toLocal(new Date(change - 1), 'America/New_York')).toMatchObject({
      hour: 1,
      minute: 59,
      second: 59,
    });
    expect(toLocal(new Date(change), 'America/New_York')).toMatchObject({ hour: 1, minute: 0, second: 0 });
  });
});

describe('fromLocal and atLocalTime', () => {
  it('find the instant a wall-clock time names, in and out of DST', () => {
    expect(
      fromLocal(
        { year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 },
        'Europe/Madrid',
      ).toISOString(),
    ).toBe('2026-07-01T07:00:00.000Z');
    expect(
      fromLocal(
        { year: 2026, month: 12, day: 1, hour: 9, minute: 0, second: 0 },
        'Europe/Madrid',
      ).toISOString(),
    ).toBe('2026-12-01T08:00:00.000Z');
    expect(atLocalTime(new Date('2026-11-11T10:00:00Z'), '09:00', 'Asia/Shanghai', 1).toISOString()).toBe(
      '2026-11-12T01:00:00.000Z',
    );
    expect(atLocalTime(new Date('2026-03-07T20:00:00Z'), '09:00', 'America/New_York', 1).toISOString()).toBe(
      '2026-03-08T13:00:00.000Z',
    );
  });
});
