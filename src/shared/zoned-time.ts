/** Wall-clock arithmetic in the shop's time zone, with Intl only (no time-zone library). */

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An Intl date formatter, kept: they are slow to make (one built per hand-off notice was 4 % of a
 * worker's time under load). `name` stands for `options`: one name, one set of options.
 */
export function dateFormat(
  name: string,
  locale: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${name}|${locale}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

const WALL_CLOCK: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
};

/**
 * The shop's wall clock at `instant`. Intl's formatToParts is slow next to the rest of a reply (it
 * was 1-2 % of a worker's time under load), so the zone's offset is kept per minute: every zone
 * changes its offset on a whole minute (modern tzdata has no seconds in its offsets), so one minute
 * has one offset, and a burst of messages in the same minute asks Intl once.
 */
export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const t = instant.getTime();
  const minute = Math.floor(t / 60_000);
  const key = `${timeZone}|${minute}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = Object.fromEntries(
      dateFormat('wall-clock', 'en-US', timeZone, WALL_CLOCK)
        .formatToParts(instant)
        .map((p) => [p.type, p.value]),
    );
    const wall = Date.UTC(
      +parts.year!,
      +parts.month! - 1,
      +parts.day!,
      +parts.hour! % 24,
      +parts.minute!,
      +parts.second!,
    );
    offset = wall - Math.floor(t / 1000) * 1000;
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(key, offset);
  }
  const local = new Date(t + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** Offsets by zone and minute (fromLocal asks about a few nearby minutes too); emptied when full. */
const offsets = new Map<string, number>();
const OFFSETS_KEPT = 256;

/** The instant at which the shop's clock shows `local` (the later one if a DST change repeats it). */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const seen = toLocal(new Date(guess), timeZone);
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    const drift = seenWall - wall;
    if (drift === 0) break;
    guess -= drift;
  }
  return new Date(guess);
}

/** "15:30" or "15:30:15" → seconds after midnight. */
export function secondsOfDay(hhmmss: string): number {
  const [h = 0, m = 0, s = 0] = hhmmss.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

export function localSecondsOfDay(instant: Date, timeZone: string): number {
  const l = toLocal(instant, timeZone);
  return l.hour * 3600 + l.minute * 60 + l.second;
}

/** The instant of `hhmmss` on the local calendar day of `instant`, plus `addDays`. */
export function atLocalTime(instant: Date, hhmmss: string, timeZone: string, addDays = 0): Date {
  const l = toLocal(instant, timeZone);
  const midnight = new Date(Date.UTC(l.year, l.month - 1, l.day + addDays));
  const secs = secondsOfDay(hhmmss);
  return fromLocal(
    {
      year: midnight.getUTCFullYear(),
      month: midnight.getUTCMonth() + 1,
      day: midnight.getUTCDate(),
      hour: Math.floor(secs / 3600),
      minute: Math.floor((secs % 3600) / 60),
      second: secs % 60,
    },
    timeZone,
  );
}

export function localDate(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

/** Whether local time-of-day `seconds` lies in a window "22:00-08:00" (which may wrap midnight). */
export function inWindow(seconds: number, window: string): boolean {
  if (window === 'off') return false;
  const [from, to] = window.split('-').map(secondsOfDay) as [number, number];
  return from <= to ? seconds >= from && seconds < to : seconds >= from || seconds < to;
}
