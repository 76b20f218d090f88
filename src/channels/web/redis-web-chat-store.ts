import type { Keys } from '../../shared/keys.ts';
import type { RedisClient } from '../../shared/redis-client.ts';
import { redisScript } from '../../shared/redis-helpers.ts';
import { newWebConversationId } from './web-conversation-id.ts';
import { type WebChatStore } from './web-chat-store.ts';

/** KEYS: this minute's counter. ARGV: its lifetime in seconds. Returns the count with this start. */
const COUNT_START = redisScript(`
local n = redis.call('incr', KEYS[1])
if n == 1 then redis.call('expire', KEYS[1], ARGV[1]) end
return n`);

/**
 * The web chat's own record of the conversations it started, and the shop-wide count of new ones
 * per minute (in Redis, so every instance shares it): anonymous visitors can't grow Redis faster
 * than `newPerMinute` conversations a minute, each gone `ttlSeconds` after its last message.
 */
export function createRedisWebChatStore(
  redis: RedisClient,
  k: Keys,
  settings: { ttlSeconds: number; newPerMinute: number },
): WebChatStore {
  return {
    async start() {
      const nowMs = Date.now();
      const minute = Math.floor(nowMs / 60_000);
      const count = Number(await COUNT_START(redis, [k.webChatsStarted(minute)], [120]));
      if (count > settings.newPerMinute)
        return { kind: 'busy', retryAfterSeconds: Math.max(1, 60 - Math.floor((nowMs % 60_000) / 1000)) };
      const conversationId = newWebConversationId();
      await redis.set(k.webChat(conversationId), '1', 'EX', settings.ttlSeconds);
      return { kind: 'started', conversationId };
    },
    async isOpen(conversationId, { refresh } = { refresh: false }) {
      // EXPIRE answers 0 for a missing key: one call both checks and extends.
      if (refresh) return (await redis.expire(k.webChat(conversationId), settings.ttlSeconds)) === 1;
      return (await redis.exists(k.webChat(conversationId))) === 1;
    },
  };
}
