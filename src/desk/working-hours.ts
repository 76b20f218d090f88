import { atLocalTime, localSecondsOfDay } from '../shared/zoned-time.ts';

/** WORK_HOURS "09:00-18:00,19:00-24:00" → [[start, end] seconds of day]. */
export function parseWorkHours(spec: string): [number, number][] {
  return spec.split(',').map((window) => {
    const [from, to] = window
      .trim()
      .split('-')
      .map((t) => {
        const [h = 0, m = 0] = t.split(':').map(Number);
        return h * 3600 + m * 60;
      }) as [number, number];
    return [from, to];
  });
}

export function isOpen(now: Date, windows: readonly [number, number][], timeZone: string): boolean {
  return secondsLeftInShift(localSecondsOfDay(now, timeZone), windows) > 0;
}

/** Seconds until the shift that holds second-of-day `s` ends (0: no shift holds it); a shift may run past midnight. */
function secondsLeftInShift(s: number, windows: readonly [number, number][]): number {
  let left = 0;
  for (const [from, to] of windows) {
    if (from <= to ? s >= from && s < to : s >= from)
      left = Math.max(left, (from <= to ? to : to + 86_400) - s);
    else if (from > to && s < to) left = Math.max(left, to - s);
  }
  return left;
}

/** When the next shift starts, in shop time. */
export function nextOpening(now: Date, windows: readonly [number, number][], timeZone: string): Date {
  const starts = windows.map(([from]) => from).sort((a, b) => a - b);
  for (let day = 0; day <= 1; day++) {
    for (const start of starts) {
      const hhmm = `${String(Math.floor(start / 3600)).padStart(2, '0')}:${String(Math.floor((start % 3600) / 60)).padStart(2, '0')}`;
      const at = atLocalTime(now, hhmm, timeZone, day);
      if (at.getTime() > now.getTime()) return at;
    }
  }
  return atLocalTime(now, '09:00', timeZone, 1);
}

/**
 * The moment `ms` of the shop's working time after `now`: the clock runs only while a shift is on
 * (a warehouse asked at 21:02 with four hours to answer answers the next morning, not at 01:02).
 */
export function afterWorkingTime(
  now: Date,
  ms: number,
  windows: readonly [number, number][],
  timeZone: string,
): Date {
  let at = now.getTime();
  let left = ms;
  // Each turn ends a shift or reaches the next; a shop whose shifts never open gives the plain sum.
  for (let turns = 0; left > 0 && turns < 100; turns++) {
    const inShift = secondsLeftInShift(localSecondsOfDay(new Date(at), timeZone), windows) * 1000;
    if (inShift > 0) {
      const step = Math.min(inShift, left);
      at += step;
      left -= step;
    } else at = nextOpening(new Date(at), windows, timeZone).getTime();
  }
  return new Date(left > 0 ? now.getTime() + ms : at);
}

/** Minutes until a person answers: the buyers ahead, shared among the agents online. */
export function expectedWaitMinutes(ahead: number, agentsOnline: number, minutesPerHandoff: number): number {
  return Math.max(1, Math.ceil(((ahead + 1) / Math.max(1, agentsOnline)) * minutesPerHandoff));
}
