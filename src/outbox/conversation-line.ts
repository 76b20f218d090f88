import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';

/** A line outlives the outbox's retries (a day), then goes by itself. */
const LINE_TTL_MS = 2 * 24 * 3600_000;

/** KEYS: line, join times. ARGV: message id, lifetime in ms, now. Once: a message queued again keeps its place. */
const JOIN = redisScript(`
if not redis.call('lpos', KEYS[1], ARGV[1]) then
  redis.call('rpush', KEYS[1], ARGV[1])
  redis.call('hset', KEYS[2], ARGV[1], ARGV[3])
end
redis.call('pexpire', KEYS[1], ARGV[2])
redis.call('pexpire', KEYS[2], ARGV[2])`);

/** KEYS: line, join times. ARGV: message id. {1} when it may go (first in line, or not in it), else {0, the first's id, when it joined}. */
const TURN = redisScript(`
local head = redis.call('lindex', KEYS[1], 0)
if not head or head == ARGV[1] or not redis.call('lpos', KEYS[1], ARGV[1]) then return {1} end
return {0, head, redis.call('hget', KEYS[2], head) or '0'}`);

/** KEYS: line, join times. ARGV: message id. When it was first, returns the one first now. */
const LEAVE = redisScript(`
local was = redis.call('lindex', KEYS[1], 0)
redis.call('lrem', KEYS[1], 1, ARGV[1])
redis.call('hdel', KEYS[2], ARGV[1])
if was ~= ARGV[1] then return false end
return redis.call('lindex', KEYS[1], 0)`);

/**
 * A conversation's messages in the outbox, in the order they were queued: the outbox worker sends
 * a message only when it is first in its conversation's line, so a reply that waits for a retry
 * is not overtaken by a later one (the outbox sends many messages at once, and retries with
 * backoff). The line sits beside the conversation's keys (one slot under Cluster).
 */
export interface ConversationLine {
  /** Puts a message at the back of its conversation's line; called before its outbox job is added. */
  join(conversationId: string, messageId: string): Promise<void>;
  /** 'go' when the message is first in its line, or in none; else the one first in line, and when it joined. */
  turn(
    conversationId: string,
    messageId: string,
  ): Promise<{ go: true } | { go: false; first: string; joinedAt: number }>;
  /** Takes a message out of its line (sent, dropped or given up on); if it was first, returns the one first now. */
  leave(conversationId: string, messageId: string): Promise<string | undefined>;
}

export function createConversationLine(redis: RedisClient, k: Keys): ConversationLine {
  const keysOf = (conversationId: string) => [
    k.outboxLine(conversationId),
    k.outboxLineJoined(conversationId),
  ];
  return {
    async join(conversationId, messageId) {
      await JOIN(redis, keysOf(conversationId), [messageId, LINE_TTL_MS, Date.now()]);
    },
    async turn(conversationId, messageId) {
      const [go, first, joinedAt] = (await TURN(redis, keysOf(conversationId), [messageId])) as [
        number,
        string?,
        string?,
      ];
      return go === 1 || first === undefined
        ? { go: true }
        : { go: false, first, joinedAt: Number(joinedAt) || 0 };
    },
    async leave(conversationId, messageId) {
      return ((await LEAVE(redis, keysOf(conversationId), [messageId])) as string | null) ?? undefined;
    },
  };
}
