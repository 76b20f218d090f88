import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';

/**
 * Books a send of a channel, on Redis's clock so every instance and worker shares the platform's
 * limits. KEYS: the shop-wide pointer, the chat's pointer. ARGV: the shop-wide interval, the
 * chat's interval, the longest wait the caller accepts.
 *
 * The shop-wide slot is the next free one from now, whatever the chat's: a chat that must wait
 * its own gap never holds up the others. The send goes at the later of the two slots, so sends
 * booked early but held by their chat can bunch up by at most the chat's wait: the platforms
 * allow short bursts, and a 429 still waits its retry_after. Answers {1, wait} with both slots
 * booked, or {0, wait} without booking when that is further off than ARGV[3].
 */
const BOOK = redisScript(`
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local shopAt = math.max(now, tonumber(redis.call('get', KEYS[1]) or '0'))
local chatAt = math.max(now, tonumber(redis.call('get', KEYS[2]) or '0'))
local at = math.max(shopAt, chatAt)
local wait = at - now
if wait > tonumber(ARGV[3]) then return {0, wait} end
redis.call('set', KEYS[1], shopAt + tonumber(ARGV[1]), 'px', shopAt - now + tonumber(ARGV[1]) + 1000)
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
