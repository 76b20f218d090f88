import { Queue } from 'bullmq';
import type { Keys } from '../shared/keys.ts';
import { failedEntry } from './stream-entries.ts';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';

/**
 * Marked for removal. Earlier versions queued buyer messages in this BullMQ queue. To be removed
 * once no shop runs a version from before the stream: everything it finds goes into shard 0, which every worker reads.
 */
const OLD_QUEUE = '{inbound}';
const STATES = ['wait', 'delayed', 'prioritized', 'active', 'failed'] as const;

/** Until the old queue is empty, it is looked at again this often. */
const DRAIN_AGAIN_MS = 60_000;

/** Drains the old queue now, then again each minute while an old worker still holds some of it. */
export async function keepDrainingOldInboundQueue(
  redis: RedisClient,
  prefix: string,
  k: Keys,
  log: Logger,
): Promise<{ stop(): void }> {
  let timer: NodeJS.Timeout | undefined;
  let on = true;
  const drain = async () => {
    const left = await drainOldInboundQueue(redis, prefix, k, log).catch(
      (err) => (log.warn({ err: (err as Error).message }, 'could not look at the old inbound queue'), 1),
    );
    if (left > 0 && on) timer = setTimeout(() => void drain(), DRAIN_AGAIN_MS).unref();
  };
  await drain();
  return {
    stop() {
      on = false;
      clearTimeout(timer);
    },
  };
}

/**
 * Moves the buyer messages an earlier version left in its BullMQ inbound queue into the stream
 * (failed ones into the failed list), then deletes that queue. Each is written to the stream
 * before it is removed from the old queue: a crash in between queues it twice, and its done mark
 * answers it once. A job an old worker is still handling (a rolling upgrade) is left to it, and
 * moved on a later call if its lock lapses. At most 1,000 per state a call. Returns how many are left.
 */
export async function drainOldInboundQueue(
  redis: RedisClient,
  prefix: string,
  k: Keys,
  log: Logger,
): Promise<number> {
  if ((await redis.exists(`${prefix}:${OLD_QUEUE}:meta`, `${prefix}:${OLD_QUEUE}:id`)) === 0) return 0;
  // A connection of its own: BullMQ defines its scripts on the connection it gets.
  const connection = redis.duplicate();
  const queue = new Queue(OLD_QUEUE, { connection, prefix });
  try {
    let moved = 0;
    for (const state of STATES) {
      const jobs = await queue.getJobs([state], 0, 999);
      for (const job of jobs) {
        // A job an old worker holds (its lock is there) is left to it.
        if (state === 'active' && (await redis.exists(`${prefix}:${OLD_QUEUE}:${job.id}:lock`))) continue;
        const raw = JSON.stringify(job.data);
        if (state === 'failed') {
          await redis.xadd(
            k.inboundFailed(),
            '*',
            ...failedEntry(raw, job.failedReason ?? '', job.attemptsMade, job.finishedOn ?? Date.now()),
          );
        } else {
          await redis.xadd(k.inboundStream(), '*', 'job', raw);
        }
        await job.remove().then(
          () => (moved += 1),
          () => undefined,
        ); // taken meanwhile: queued twice, answered once
      }
    }
    const counts = await queue.getJobCounts(...STATES);
    const left = Object.values(counts).reduce((a, b) => a + b, 0);
    if (left === 0) await queue.obliterate();
    if (moved || left)
      log.warn({ moved, left }, 'moved buyer messages from the old BullMQ inbound queue into the stream');
    return left;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
