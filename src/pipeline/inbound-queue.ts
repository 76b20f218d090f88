import { z } from 'zod';
import { InboundMessageSchema, type InboundMessage } from '../channels/generic/generic-schema.ts';
import { QueueUnavailableError } from '../shared/errors.ts';
import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import type { FailedJob, QueueView } from '../shared/queue-view.ts';

/**
 * The inbound queue is a Redis stream read by one consumer group. It replaced a BullMQ queue,
 * which cost ~0.13 ms of Node and ~0.14 ms of Redis per message more (six Lua scripts and four
 * event-stream entries per job) on the busiest path there is. Handled entries are deleted, so the
 * stream holds only what no worker has finished; it is never trimmed.
 */
export const INBOUND_GROUP = 'workers';
/**
 * How long a message id is remembered as queued: longer than any channel keeps retrying. A message
 * queued again after that is still answered once (its done mark, beside its conversation, lasts
 * as long as the history); the marks share the stream's slot, so under Cluster they sit on one node.
 */
const SEEN_TTL_SECONDS = 24 * 3600;

export const InboundJobSchema = z.object({
  channel: z.enum(['generic', 'web']),
  message: InboundMessageSchema,
  receivedAt: z.string(),
});
export type InboundJob = z.infer<typeof InboundJobSchema>;

/**
 * Marks the message seen and queues it, in one step: a message is queued once per id, and never
 * marked seen without being queued. KEYS: seen mark, stream. ARGV: now (ms), mark lifetime (s),
 * the job's JSON. Returns 1 when queued, 0 for a duplicate.
 */
const ACCEPT = redisScript(`
if not redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then return 0 end
redis.call('xadd', KEYS[2], '*', 'job', ARGV[3])
return 1`);

/**
 * Queues entries again at the end of the stream, with the attempts they used, and removes them
 * where they were: failed ones replayed from the failed list (attempts from zero), or the
 * messages a stopping worker had not handled (acknowledged in the group too). KEYS: where they
 * are, the stream. ARGV: the group ('' for the failed list), then each id and its attempts used.
 * Returns how many were found.
 */
const REQUEUE = redisScript(`
local n = 0
for i = 2, #ARGV, 2 do
  local entry = redis.call('xrange', KEYS[1], ARGV[i], ARGV[i])[1]
  if entry then
    local fields = entry[2]
    for f = 1, #fields, 2 do
      if fields[f] == 'job' then redis.call('xadd', KEYS[2], '*', 'job', fields[f + 1], 'tries', ARGV[i + 1]) end
    end
    n = n + 1
  end
  if ARGV[1] ~= '' then redis.call('xack', KEYS[1], ARGV[1], ARGV[i]) end
  redis.call('xdel', KEYS[1], ARGV[i])
end
return n`);

/** Puts entries of the stream (still pending in the group) or of the failed list back at the end of the stream. */
export async function requeueEntries(redis: RedisClient, k: Keys, from: 'stream' | 'failed', entries: [id: string, triesUsed: number][]): Promise<number> {
  const [source, group] = from === 'stream' ? [k.inboundStream(), INBOUND_GROUP] : [k.inboundFailed(), ''];
  return (await REQUEUE(redis, [source, k.inboundStream()], [group, ...entries.flat()])) as number;
}

/** A failed-list entry's fields, as the admin API reads them back (failedJob below). */
export function failedEntry(raw: string, reason: string, attempts: number, atMs: number): string[] {
  return ['job', raw, 'reason', reason, 'attempts', String(attempts), 'at', String(atMs)];
}

export interface InboundQueue {
  /** Durably queues the message once per messageId; throws QueueUnavailableError when it can't. */
  accept(channel: InboundJob['channel'], message: InboundMessage): Promise<{ duplicate: boolean }>;
  /** Depths for /metrics, and the failed messages for the admin API. */
  view: QueueView;
}

export function createInboundQueue(redis: RedisClient, k: Keys): InboundQueue {
  const stream = k.inboundStream();
  const failedKey = k.inboundFailed();
  return {
    async accept(channel, message) {
      const job: InboundJob = { channel, message, receivedAt: new Date().toISOString() };
      let queued: unknown;
      try {
        queued = await ACCEPT(redis, [k.inboundSeen(channel, message.messageId), stream], [Date.now(), SEEN_TTL_SECONDS, JSON.stringify(job)]);
      } catch (err) {
        throw new QueueUnavailableError('Redis is not reachable; nothing was accepted', { cause: err });
      }
      return { duplicate: queued !== 1 };
    },
    view: {
      async counts() {
        const [length, pending, failed] = await Promise.all([redis.xlen(stream), pendingCount(redis, stream), redis.xlen(failedKey)]);
        return { waiting: Math.max(0, length - pending), active: pending, failed };
      },
      async failed(limit) {
        const [entries, total] = await Promise.all([redis.xrevrange(failedKey, '+', '-', 'COUNT', limit), redis.xlen(failedKey)]);
        return { failed: entries.map(([id, fields]) => failedJob(id, fields)), total };
      },
      async replayAll() {
        for (;;) {
          const ids = (await redis.xrange(failedKey, '-', '+', 'COUNT', 100)).map(([id]) => id);
          if (ids.length === 0) return;
          await requeueEntries(redis, k, 'failed', ids.map((id) => [id, 0]));
        }
      },
      async replay(id) {
        if (!/^\d+-\d+$/.test(id)) return false;
        return (await requeueEntries(redis, k, 'failed', [[id, 0]])) === 1;
      },
    },
  };
}

/** Entries handed to a worker and not yet finished (0 before any worker created the group). */
async function pendingCount(redis: RedisClient, stream: string): Promise<number> {
  try {
    const [count] = (await redis.xpending(stream, INBOUND_GROUP)) as [number, ...unknown[]];
    return count;
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOGROUP')) return 0;
    throw err;
  }
}

/** A stream entry's fields, [name, value, name, value …], by name. */
export function entryFields(fields: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return record;
}

/** A failed entry as the admin API lists it (fields as failedEntry writes them). */
function failedJob(id: string, fields: string[]): FailedJob {
  const entry = entryFields(fields);
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(entry.job ?? '{}') as Record<string, unknown>;
  } catch {
    data = { raw: entry.job };
  }
  const at = Number(entry.at);
  return { ...data, jobId: id, attemptsMade: Number(entry.attempts ?? 0), failedReason: entry.reason ?? '', failedAt: Number.isFinite(at) ? new Date(at).toISOString() : undefined };
}
