import type { InboundMessage } from '../channels/message.ts';
import { QueueUnavailableError } from '../shared/errors.ts';
import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import type { QueueView } from './queue-view.ts';
import {
  inboundShard,
  inboundShards,
  recordShardCount,
  shardOf,
  shardsToRead,
  type InboundShard,
} from './inbound-shards.ts';
import type { InboundJob } from './inbound-job.ts';
import { compareEntryIds, failedJob } from './stream-entries.ts';

/**
 * The inbound queue is a Redis stream per shard (inbound-shards.ts) read by one consumer group,
 * not a BullMQ queue: on the busiest path there is, a stream entry costs one command where a
 * BullMQ job costs six Lua scripts and four event-stream entries. Handled entries are deleted, so
 * the stream holds only what no worker has finished; it is never trimmed.
 */
export const INBOUND_GROUP = 'workers';
/**
 * How long a message id is remembered as queued: longer than any channel keeps retrying. A message
 * queued again after that is still answered once (its done mark, beside its conversation, lasts
 * as long as the history). The marks share their shard's slot: one script sets the mark and queues.
 */
const SEEN_TTL_SECONDS = 24 * 3600;

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

/** Puts entries of a shard's stream (still pending in the group) or of its failed list back at the end of its stream. */
export async function requeueEntries(
  redis: RedisClient,
  shard: InboundShard,
  from: 'stream' | 'failed',
  entries: [id: string, triesUsed: number][],
): Promise<number> {
  const [source, group] = from === 'stream' ? [shard.stream, INBOUND_GROUP] : [shard.failed, ''];
  return (await REQUEUE(redis, [source, shard.stream], [group, ...entries.flat()])) as number;
}

export interface InboundQueue {
  /** Durably queues the message once per messageId; throws QueueUnavailableError when it can't. */
  accept(
    channel: InboundJob['channel'],
    message: InboundMessage,
    options?: { quiet?: string },
  ): Promise<{ duplicate: boolean }>;
  /** Depths for /metrics, and the failed messages for the admin API, over every shard. */
  view: QueueView;
}

/**
 * The producer side, writing to `shardCount` shards. Call `ready()` once before accepting: it
 * records the shard count so that every worker reads each shard written to.
 */
export function createInboundQueue(
  redis: RedisClient,
  k: Keys,
  shardCount = 1,
): InboundQueue & { ready(): Promise<void> } {
  const shards = inboundShards(k, shardCount);
  /** Every shard that may hold messages or failed ones: more than ours if a producer once wrote to more. */
  const allShards = async () => inboundShards(k, await shardsToRead(redis, k, shardCount));
  return {
    async ready() {
      await recordShardCount(redis, k, shardCount);
    },
    async accept(channel, message, options = {}) {
      const job: InboundJob = {
        channel,
        message,
        receivedAt: new Date().toISOString(),
        ...(options.quiet ? { quiet: options.quiet } : {}),
      };
      const shard = shards[shardOf(message.conversationId, shardCount)]!;
      let queued: unknown;
      try {
        queued = await ACCEPT(
          redis,
          [k.inboundSeen(shard.index, channel, message.messageId), shard.stream],
          [Date.now(), SEEN_TTL_SECONDS, JSON.stringify(job)],
        );
      } catch (err) {
        throw new QueueUnavailableError('Redis is not reachable; nothing was accepted', { cause: err });
      }
      return { duplicate: queued !== 1 };
    },
    view: {
      async counts() {
        const perShard = await Promise.all(
          (await allShards()).map(async ({ stream, failed }) =>
            Promise.all([redis.xlen(stream), pendingCount(redis, stream), redis.xlen(failed)]),
          ),
        );
        let [waiting, active, failed] = [0, 0, 0];
        for (const [length, pending, failedCount] of perShard) {
          waiting += Math.max(0, length - pending);
          active += pending;
          failed += failedCount;
        }
        return { waiting, active, failed };
      },
      async failed(limit) {
        const perShard = await Promise.all(
          (await allShards()).map(async (shard) => {
            const [entries, total] = await Promise.all([
              redis.xrevrange(shard.failed, '+', '-', 'COUNT', limit),
              redis.xlen(shard.failed),
            ]);
            return {
              entries: entries.map(([id, fields]) => ({
                id,
                job: failedJob(failedJobId(shard, id), fields),
              })),
              total,
            };
          }),
        );
        // Newest first across shards: an entry id starts with the time it was written, in ms.
        const entries = perShard.flatMap((s) => s.entries).sort((a, b) => compareEntryIds(b.id, a.id));
        return {
          failed: entries.slice(0, limit).map((e) => e.job),
          total: perShard.reduce((sum, s) => sum + s.total, 0),
        };
      },
      async replayAll() {
        for (const shard of await allShards()) {
          for (;;) {
            const ids = (await redis.xrange(shard.failed, '-', '+', 'COUNT', 100)).map(([id]) => id);
            if (ids.length === 0) break;
            await requeueEntries(
              redis,
              shard,
              'failed',
              ids.map((id) => [id, 0]),
            );
          }
        }
      },
      async replay(jobId) {
        const found = /^(\d+-\d+)(?:@(\d+))?$/.exec(jobId);
        if (!found) return false;
        const index = Number(found[2] ?? 0);
        if (index >= (await shardsToRead(redis, k, shardCount))) return false;
        return (await requeueEntries(redis, inboundShard(k, index), 'failed', [[found[1]!, 0]])) === 1;
      },
    },
  };
}

/** A failed entry's id for the admin API: the stream id, with `@<shard>` after it beyond shard 0. */
function failedJobId(shard: InboundShard, id: string): string {
  return shard.index === 0 ? id : `${id}@${shard.index}`;
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
