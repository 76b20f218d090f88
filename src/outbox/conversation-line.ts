import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis.ts';
import { redisScript } from '../shared/redis-helpers.ts';

/** A line outlives the outbox's retries (a day), then goes by itself. */
const LINE_TTL_MS = 2 * 24 * 3600_000;

/** KEYS: line. ARGV: message id, lifetime in ms. Once: a message queued again keeps its place. */
const JOIN = redisScript(`
if not redis.call('lpos', KEYS[1], ARGV[1]) then redis.call('rpush', KEYS[1], ARGV[1]) end
redis.call('pexpire', KEYS[1], ARGV[2])`);

/** KEYS: line. ARGV: message id. {1} when it may go (first in line, or not in it), else {0, the first's id}. */
const TURN = redisScript(`
local head = redis.call('lindex', KEYS[1], 0)
if not head or head == ARGV[1] or not redis.call('lpos', KEYS[1], ARGV[1]) then return {1} end
return {0, head}`);

/** KEYS: line. ARGV: message id. Returns the id first in line after it, if any. */
const LEAVE = redisScript(`
redis.call('lrem', KEYS[1], 1, ARGV[1])
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
  /** 'go' when the message is first in its line, or in none; else the id of the one before it all. */
  turn(conversationId: string, messageId: string): Promise<{ go: true } | { go: false; first: string }>;
  /** Takes a message out of its line (sent, dropped or given up on); returns the one now first. */
  leave(conversationId: string, messageId: string): Promise<string | undefined>;
}

export function createConversationLine(redis: RedisClient, k: Keys): ConversationLine {
  return {
    async join(conversationId, messageId) {
      await JOIN(redis, [k.outboxLine(conversationId)], [messageId, LINE_TTL_MS]);
    },
    async turn(conversationId, messageId) {
      const [go, first] = (await TURN(redis, [k.outboxLine(conversationId)], [messageId])) as [number, string?];
      return go === 1 || first === undefined ? { go: true } : { go: false, first };
    },
    async leave(conversationId, messageId) {
      return ((await LEAVE(redis, [k.outboxLine(conversationId)], [messageId])) as string | null) ?? undefined;
    },
  };
}
