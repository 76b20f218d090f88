import { describe, expect, it } from 'vitest';
import { afterWorkingTime, parseWorkHours } from '../../src/desk/working-hours.ts';

const TZ = 'Asia/Shanghai';
const at = (local: string) => new Date(`${local}+08:00`);
const FOUR_HOURS = 4 * 3600_000;

describe('afterWorkingTime: a promise kept within the shop’s shifts', () => {
  it('runs the clock only while a shift is on: 21:02 with four hours and shifts until 22:00 is 12:02 the next day', () => {
    expect(
      afterWorkingTime(at('2026-11-11T21:02:00'), FOUR_HOURS, parseWorkHours('09:00-22:00'), TZ),
    ).toEqual(at('2026-11-12T12:02:00'));
  });

  it('adds the time as it is within a shift, and from the opening when asked before it', () => {
    const day = parseWorkHours('09:00-22:00');
    expect(afterWorkingTime(at('2026-11-11T10:00:00'), FOUR_HOURS, day, TZ)).toEqual(
      at('2026-11-11T14:00:00'),
    );
    expect(afterWorkingTime(at('2026-11-11T06:30:00'), FOUR_HOURS, day, TZ)).toEqual(
      at('2026-11-11T13:00:00'),
    );
  });

  it('skips the break between two shifts, and never stops for a shop open all day', () => {
    expect(
      afterWorkingTime(at('2026-11-11T11:00:00'), FOUR_HOURS, parseWorkHours('09:00-12:00,13:00-18:00'), TZ),
    ).toEqual(at('2026-11-11T16:00:00'));
    expect(
      afterWorkingTime(at('2026-11-11T23:00:00'), FOUR_HOURS, parseWorkHours('00:00-24:00'), TZ),
    ).toEqual(at('2026-11-12T03:00:00'));
  });
});
