import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';

/**
 * Books the next send slot of a channel, shop-wide and in one chat, on Redis's clock: every
 * instance and worker shares the platform's limits. Answers {1, wait} with the slot booked, or
 * {0, wait} without booking when the slot is further off than ARGV[3] allows.
 */
const BOOK = redisScript(`
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('get', KEYS[1]) or '0'), tonumber(redis.call('get', KEYS[2]) or '0'))
local wait = at - now
if wait > tonumber(ARGV[3]) then return {0, wait} end
redis.call('set', KEYS[1], at + tonumber(ARGV[1]), 'px', wait + tonumber(ARGV[1]) + 1000)
redis.call('set', KEYS[2], at + tonumber(ARGV[2]), 'px', wait + tonumber(ARGV[2]) + 1000)
return {1, wait}`);

export interface SendPace {
  /**
   * Books a send to `chat`: resolves with how long to wait before sending, or with `booked: false`
   * when that would be longer than `maxWaitMs` (nothing is booked then; try again after `waitMs`).
   */
  book(chat: string, maxWaitMs: number): Promise<{ booked: boolean; waitMs: number }>;
}

/** At most `perSecond` sends a second shop-wide and one every `chatIntervalMs` in one chat. */
export function createRedisSendPace(
  redis: RedisClient,
  k: Keys,
  channel: string,
  limits: { perSecond: number; chatIntervalMs: number },
): SendPace {
  const interval = Math.max(1, Math.round(1000 / limits.perSecond));
  return {
    async book(chat, maxWaitMs) {
      const [booked, waitMs] = (await BOOK(
        redis,
        [k.sendPace(channel), k.sendPace(channel, chat)],
        [interval, limits.chatIntervalMs, Math.max(0, Math.floor(maxWaitMs))],
      )) as [number, number];
      return { booked: booked === 1, waitMs };
    },
  };
}
