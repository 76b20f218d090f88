import type { RedisClient } from '../shared/redis-client.ts';
import { QueueUnavailableError } from '../shared/errors.ts';

const SEEN_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Marks `key` seen, then runs `enqueue`. If the enqueue fails the mark is taken back, so the
 * channel's retry is accepted instead of being called a duplicate of a message we never stored.
 * If taking it back failed too (Redis went away in between), `stored` tells a real duplicate
 * from a mark left behind, and the message is queued after all.
 */
export async function acceptOnce(
  redis: RedisClient,
  key: string,
  enqueue: () => Promise<void>,
  stored: () => Promise<boolean>,
): Promise<{ duplicate: boolean }> {
  let fresh: string | null;
  try {
    fresh = await redis.set(key, String(Date.now()), 'EX', SEEN_TTL_SECONDS, 'NX');
  } catch (err) {
    throw new QueueUnavailableError('Redis is not reachable; nothing was accepted', { cause: err });
  }
  try {
    if (fresh !== 'OK') {
      if (await stored()) return { duplicate: true };
    }
    await enqueue();
  } catch (err) {
    await redis.del(key).catch(() => undefined); // Redis is failing already; the 503 below is what matters
    throw new QueueUnavailableError('the message could not be queued; nothing was accepted', { cause: err });
  }
  return { duplicate: false };
}
