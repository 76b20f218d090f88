import type { RedisClient } from '../shared/redis.ts';
import type { Keys } from '../shared/keys.ts';
import { withRedisLock } from '../shared/redis-helpers.ts';
import type { Logger } from '../shared/logger.ts';
import { ConversationSchema, HistoryEntrySchema, type Conversation, type HistoryEntry } from './conversation.ts';

const HISTORY_MAX = 500;
const LOCK_MS = 10_000;

export interface ConversationStore {
  load(id: string): Promise<Conversation | undefined>;
  history(id: string, limit?: number): Promise<HistoryEntry[]>;
  isDone(conversationId: string, messageId: string): Promise<boolean>;
  /**
   * Saves the state, appends the messages and marks the inbound message done, all in one MULTI
   * (one conversation's keys share a cluster slot); then lists the conversation as recent.
   */
  commit(conversation: Conversation, entries: HistoryEntry[], doneMessageId?: string): Promise<void>;
  append(conversationId: string, entries: HistoryEntry[]): Promise<void>;
  /** Runs `fn` holding the conversation's lock; undefined when another worker holds it. */
  withLock<T>(conversationId: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  recent(limit: number): Promise<string[]>;
  /** Counts this message in the conversation's current minute; the count so far. */
  countInWindow(conversationId: string, windowSeconds: number): Promise<number>;
  /** Changes the stored conversation under its lock, waiting a moment if a worker holds it. */
  mutate(conversationId: string, change: (conversation: Conversation) => Conversation): Promise<Conversation | undefined>;
}

export function createRedisConversationStore(redis: RedisClient, k: Keys, ttlSeconds: number, log: Logger): ConversationStore {
  return {
    async load(id) {
      const raw = await redis.get(k.conversation(id));
      if (!raw) return undefined;
      const parsed = ConversationSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        log.warn({ conversationId: id, err: parsed.error }, 'stored conversation unreadable; starting afresh');
        return undefined;
      }
      return parsed.data;
    },
    async history(id, limit = 100) {
      const raw = await redis.lrange(k.history(id), -limit, -1);
      return raw.flatMap((line) => {
        const parsed = HistoryEntrySchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      });
    },
    async isDone(conversationId, messageId) {
      return (await redis.exists(k.inboundDone(conversationId, messageId))) === 1;
    },
    async commit(conversation, entries, doneMessageId) {
      const multi = redis.multi().set(k.conversation(conversation.id), JSON.stringify(conversation), 'EX', ttlSeconds);
      appendTo(multi, conversation.id, entries);
      if (doneMessageId) multi.set(k.inboundDone(conversation.id, doneMessageId), '1', 'EX', ttlSeconds);
      await multi.exec();
      // The admin list of recent conversations is shop-wide, so in another slot: a crash just
      // here leaves the conversation off that list until its next message, nothing else.
      await redis.multi().zadd(k.conversationIndex(), Date.now(), conversation.id).zremrangebyrank(k.conversationIndex(), 0, -10_001).exec();
    },
    async append(conversationId, entries) {
      const multi = redis.multi();
      appendTo(multi, conversationId, entries);
      await multi.exec();
    },
    withLock: (conversationId, fn) => withRedisLock(redis, k.conversationLock(conversationId), { ttlMs: LOCK_MS, waitMs: 0 }, fn),
    async recent(limit) {
      return redis.zrevrange(k.conversationIndex(), 0, limit - 1);
    },
    async countInWindow(conversationId, windowSeconds) {
      const key = `${k.conversation(conversationId)}:rate:${Math.floor(Date.now() / 1000 / windowSeconds)}`;
      const [[, count] = []] = (await redis.multi().incr(key).expire(key, windowSeconds * 2).exec()) ?? [];
      return Number(count ?? 0);
    },
    async mutate(conversationId, change) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const result = await this.withLock(conversationId, async () => {
          const current = await this.load(conversationId);
          if (!current) return undefined;
          const next = change(current);
          await redis.set(k.conversation(conversationId), JSON.stringify(next), 'EX', ttlSeconds);
          return next;
        });
        if (result.ran) return result.value;
        if (Date.now() > deadline) throw new Error(`conversation ${conversationId} stayed locked`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };

  function appendTo(multi: ReturnType<RedisClient['multi']>, conversationId: string, entries: HistoryEntry[]) {
    if (entries.length === 0) return;
    const key = k.history(conversationId);
    multi.rpush(key, ...entries.map((e) => JSON.stringify(e)));
    multi.ltrim(key, -HISTORY_MAX, -1);
    multi.expire(key, ttlSeconds);
  }
}
