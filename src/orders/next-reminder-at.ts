import { atLocalTime, inWindow, secondsOfDay } from '../shared/zoned-time.ts';

export interface ReminderRules {
  /** REMINDER_AT, local HH:MM[:SS]. */
  reminderAt: string;
  timeZone: string;
  minDelayMinutes: number;
  /** QUIET_HOURS, "HH:MM-HH:MM" or "off". */
  quietHours: string;
  /** The platform closes an unpaid order this long after it was placed. */
  unpaidCloseMinutes: number;
}

/**
 * When an unpaid order placed at `createdAt` gets its one reminder: the first REMINDER_AT (shop
 * time) at least REMINDER_MIN_DELAY after the order and after `now`; undefined when that falls
 * in quiet hours or after the platform will have closed the order.
 */
export function nextReminderAt(createdAt: Date, rules: ReminderRules, now: Date): Date | undefined {
  if (inWindow(secondsOfDay(rules.reminderAt), rules.quietHours)) return undefined;
  const earliest = Math.max(createdAt.getTime() + rules.minDelayMinutes * 60_000, now.getTime());
  let at = atLocalTime(new Date(earliest), rules.reminderAt, rules.timeZone);
  if (at.getTime() < earliest) at = atLocalTime(new Date(earliest), rules.reminderAt, rules.timeZone, 1);
  if (at.getTime() >= createdAt.getTime() + rules.unpaidCloseMinutes * 60_000) return undefined;
  return at;
}
