import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';

/**
 * Keeps the latest buyer message's time (ARGV[1], ms), until ARGV[2] ms after it: a while past
 * the window's close, so the desk can say since when it is closed.
 */
const OPENED = redisScript(`
local last = tonumber(redis.call('get', KEYS[1]) or '0')
local at = tonumber(ARGV[1])
if at > last then redis.call('set', KEYS[1], at, 'pxat', at + tonumber(ARGV[2])) end
return 1`);

const KEPT_AFTER_CLOSE_MS = 30 * 24 * 3600_000;

/** A platform's reply window: free text is allowed for a while after the buyer's last message. */
export interface ReplyWindows {
  /** The buyer wrote at `at`: the window runs from then (a later message only moves it later). */
  opened(conversationId: string, at: Date): Promise<void>;
  /** When the window closes (closed already, when in the past); undefined: the buyer never wrote. */
  endsAt(conversationId: string): Promise<Date | undefined>;
}

/** Kept beside each conversation (same Cluster slot), for every instance. */
export function createRedisReplyWindows(redis: RedisClient, k: Keys, lengthMs: number): ReplyWindows {
  return {
    async opened(conversationId, at) {
      await OPENED(redis, [k.replyWindow(conversationId)], [at.getTime(), lengthMs + KEPT_AFTER_CLOSE_MS]);
    },
    async endsAt(conversationId) {
      const last = await redis.get(k.replyWindow(conversationId));
      return last === null ? undefined : new Date(Number(last) + lengthMs);
    },
  };
}
