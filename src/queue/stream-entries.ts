import type { FailedJob } from './queue-view.ts';

/** A failed-list entry's fields, as the admin API reads them back (failedJob below). */
export function failedEntry(raw: string, reason: string, attempts: number, atMs: number): string[] {
  return ['job', raw, 'reason', reason, 'attempts', String(attempts), 'at', String(atMs)];
}

/** Stream entry ids `<ms>-<seq>` in time order. */
export function compareEntryIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

/** A stream entry's fields, [name, value, name, value …], by name. */
export function entryFields(fields: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return record;
}

/** A failed entry as the admin API lists it (fields as failedEntry writes them). */
export function failedJob(jobId: string, fields: string[]): FailedJob {
  const entry = entryFields(fields);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(entry.job ?? '{}') as Record<string, unknown>;
  } catch {
    data = { raw: entry.job };
  }
  const at = Number(entry.at);
  return {
    ...data,
    jobId,
    attemptsMade: Number(entry.attempts ?? 0),
    failedReason: entry.reason ?? '',
    failedAt: Number.isFinite(at) ? new Date(at).toISOString() : undefined,
  };
}
