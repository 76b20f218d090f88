import { describe, expect, it } from 'vitest';
import { nextReminderAt, type ReminderRules } from '../../src/orders/next-reminder-at.ts';

const rules: ReminderRules = {
  reminderAt: '15:30',
  timeZone: 'Asia/Shanghai',
  minDelayMinutes: 30,
  quietHours: '22:00-08:00',
  unpaidCloseMinutes: 24 * 60,
};
const at = (iso: string) => new Date(iso);

describe('when an unpaid order is reminded', () => {
  it('reminds a morning order at 15:30 shop time the same day', () => {
    expect(
      nextReminderAt(at('2026-11-11T10:00:00+08:00'), rules, at('2026-11-11T10:00:01+08:00'))?.toISOString(),
    ).toBe('2026-11-11T07:30:00.000Z');
  });

  it('waits REMINDER_MIN_DELAY: an order at 15:10 is not reminded at 15:30 that day', () => {
    const twoDays = { ...rules, unpaidCloseMinutes: 48 * 60 };
    expect(
      nextReminderAt(
        at('2026-11-11T15:10:00+08:00'),
        twoDays,
        at('2026-11-11T15:10:00+08:00'),
      )?.toISOString(),
    ).toBe('2026-11-12T07:30:00.000Z');
    // with the default 24 h close, the order is gone at 15:10 the next day, before 15:30
    expect(
      nextReminderAt(at('2026-11-11T15:10:00+08:00'), rules, at('2026-11-11T15:10:00+08:00')),
    ).toBeUndefined();
  });

  it('reminds an order placed after 15:30 the next afternoon', () => {
    expect(
      nextReminderAt(at('2026-11-11T18:00:00+08:00'), rules, at('2026-11-11T18:00:00+08:00'))?.toISOString(),
    ).toBe('2026-11-12T07:30:00.000Z');
  });

  it('sends none when the platform will have closed the order by then', () => {
    expect(
      nextReminderAt(
        at('2026-11-11T18:00:00+08:00'),
        { ...rules, unpaidCloseMinutes: 120 },
        at('2026-11-11T18:00:00+08:00'),
      ),
    ).toBeUndefined();
  });

  it('sends none when REMINDER_AT falls in quiet hours', () => {
    expect(
      nextReminderAt(
        at('2026-11-11T10:00:00+08:00'),
        { ...rules, reminderAt: '22:30' },
        at('2026-11-11T10:00:00+08:00'),
      ),
    ).toBeUndefined();
    expect(
      nextReminderAt(
        at('2026-11-11T10:00:00+08:00'),
        { ...rules, reminderAt: '07:00' },
        at('2026-11-11T10:00:00+08:00'),
      ),
    ).toBeUndefined();
  });

  it('works in the shop’s own time zone, across daylight saving', () => {
    const madrid = { ...rules, timeZone: 'Europe/Madrid' };
    // 2026-03-29 is the spring change in Madrid: 15:30 local is 13:30 UTC that day
    expect(
      nextReminderAt(at('2026-03-29T09:00:00+02:00'), madrid, at('2026-03-29T09:00:00+02:00'))?.toISOString(),
    ).toBe('2026-03-29T13:30:00.000Z');
    expect(
      nextReminderAt(at('2026-03-28T09:00:00+01:00'), madrid, at('2026-03-28T09:00:00+01:00'))?.toISOString(),
    ).toBe('2026-03-28T14:30:00.000Z');
  });

  it('never schedules in the past when the event arrives late', () => {
    const result = nextReminderAt(
      at('2026-11-11T10:00:00+08:00'),
      { ...rules, unpaidCloseMinutes: 48 * 60 },
      at('2026-11-11T16:00:00+08:00'),
    );
    expect(result?.toISOString()).toBe('2026-11-12T07:30:00.000Z');
  });

  it('takes HH:MM:SS', () => {
    expect(
      nextReminderAt(
        at('2026-11-11T10:00:00+08:00'),
        { ...rules, reminderAt: '15:30:15' },
        at('2026-11-11T10:00:00+08:00'),
      )?.toISOString(),
    ).toBe('2026-11-11T07:30:15.000Z');
  });
});
