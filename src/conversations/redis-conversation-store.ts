import type { RedisClient } from '../shared/redis-client.ts';
import type { Keys } from '../shared/keys.ts';
import { randomUUID } from 'node:crypto';
import { redisScript, withRedisLock } from '../shared/redis-helpers.ts';
import { LockLostError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import {
  ConversationSchema,
  HistoryEntrySchema,
  type Conversation,
  type HistoryEntry,
} from './conversation.ts';
import { isWebConversationId } from '../channels/web/web-conversation-id.ts';
import {
  HISTORY_KEPT,
  WEB_HISTORY_KEPT,
  type DoneMark,
  type ConversationStore,
} from './conversation-store.ts';

const INDEX_MAX = 10_000;
/** A conversation's place in the recent list is refreshed once in each such period it is active in (a burst of messages writes it once). */
const INDEX_REFRESH_MS = 60_000;
const LOCK_MS = 10_000;

/**
 * What handling one buyer message needs, in one call: whether it was answered already (and the
 * done mark's record); if not, the conversation's lock (or that another worker holds it); with
 * the lock, the conversation and the message counted in its minute; either way, how many of the
 * conversation's messages wait in the outbox (replies go behind them). KEYS: done mark,
 * conversation, flood counter (a set of message ids: a retried message counts once), lock, outbox
 * line (one conversation's keys only). ARGV: the counter's lifetime in seconds, lock token, lock
 * lifetime in ms, message id.
 */
/** Sets `undelivered` (ARGV[2]; '' clears it) on the history entry of message ARGV[1], in place (the list's other entries untouched). */
const MARK_UNDELIVERED = redisScript(`
local entries = redis.call('lrange', KEYS[1], 0, -1)
for i = #entries, 1, -1 do
  local ok, entry = pcall(cjson.decode, entries[i])
  if ok and type(entry) == 'table' and entry.messageId == ARGV[1] then
    if ARGV[2] == '' then entry.undelivered = nil else entry.undelivered = ARGV[2] end
    redis.call('lset', KEYS[1], i - 1, cjson.encode(entry))
    return 1
  end
end
return 0`);

const BEGIN = redisScript(`
local done = redis.call('get', KEYS[1])
if done then return {1, done, redis.call('llen', KEYS[5])} end
if not redis.call('set', KEYS[4], ARGV[2], 'PX', ARGV[3], 'NX') then return {2} end
redis.call('sadd', KEYS[3], ARGV[4])
local count = redis.call('scard', KEYS[3])
if count == 1 then redis.call('expire', KEYS[3], ARGV[1]) end
return {0, count, redis.call('get', KEYS[2]) or false, redis.call('llen', KEYS[5])}`);

/**
 * Saves the state, appends the messages and sets the done mark, atomically, but only while the
 * caller still holds the conversation's lock (a worker stalled past the lock's expiry must not
 * overwrite what the next holder wrote). KEYS: conversation, history, lock, done mark (optional).
 * ARGV: lock token ('' for a caller without the lock), state JSON, lifetime in seconds, history
 * kept, done mark's record, entries... Returns 0 when the lock was lost.
 */
const COMMIT = redisScript(`
if ARGV[1] ~= '' and redis.call('get', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
if #ARGV > 5 then
  redis.call('rpush', KEYS[2], unpack(ARGV, 6))
  redis.call('ltrim', KEYS[2], -tonumber(ARGV[4]), -1)
  redis.call('expire', KEYS[2], ARGV[3])
end
if KEYS[4] then redis.call('set', KEYS[4], ARGV[5], 'EX', ARGV[3]) end
return 1`);

/**
 * Gives back the conversation's lock (only while the token still holds it) and, once a message's
 * replies are sent (or safely in the outbox), says so on its done mark, in the same call: a job run
 * again after that (its worker died before BullMQ marked it finished) sends nothing twice.
 * KEYS: lock, done mark (optional). ARGV: lock token ('' for none), the delivered record.
 */
const RELEASE = redisScript(`
if ARGV[1] ~= '' and redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
if KEYS[2] then redis.call('set', KEYS[2], ARGV[2], 'KEEPTTL', 'XX') end`);

/** The recent-conversations index, trimmed only when it grew. KEYS: index. ARGV: score, id, size kept. */
const INDEX = redisScript(`
if redis.call('zadd', KEYS[1], ARGV[1], ARGV[2]) == 1 then redis.call('zremrangebyrank', KEYS[1], 0, -tonumber(ARGV[3]) - 1) end`);

/**
 * `ttlSeconds` is how long a conversation's keys outlive its last message; the anonymous web chat's
 * get `webChatTtlSeconds` instead, so visitors to a public page can't fill Redis for a month.
 */
export function createRedisConversationStore(
  redis: RedisClient,
  k: Keys,
  ttlSeconds: number,
  log: Logger,
  webChatTtlSeconds = ttlSeconds,
  /** Told when a web chat's history changed, so its open page hears at once (no polling). */
  webChatChanged: (conversationId: string) => Promise<void> = async () => {},
): ConversationStore {
  const changed = (id: string) => (isWebConversationId(id) ? webChatChanged(id) : undefined);
  const ttlFor = (conversationId: string) =>
    isWebConversationId(conversationId) ? webChatTtlSeconds : ttlSeconds;
  const keptFor = (conversationId: string) =>
    isWebConversationId(conversationId) ? WEB_HISTORY_KEPT : HISTORY_KEPT;
  return {
    async load(id) {
      return parseConversation(id, await redis.get(k.conversation(id)));
    },
    async history(id, limit = 100) {
      const raw = await redis.lrange(k.history(id), -limit, -1);
      return raw.flatMap((line) => {
        const parsed = HistoryEntrySchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      });
    },
    async begin(conversationId, messageId, windowSeconds) {
      const counter = `${k.conversation(conversationId)}:rate:${Math.floor(Date.now() / 1000 / windowSeconds)}`;
      const fence = randomUUID();
      const keys = [
        k.inboundDone(conversationId, messageId),
        k.conversation(conversationId),
        counter,
        k.conversationLock(conversationId),
        k.outboxLine(conversationId),
      ];
      const reply = (await BEGIN(redis, keys, [windowSeconds * 2, fence, LOCK_MS, messageId])) as [
        number,
        (number | string)?,
        (string | null)?,
        number?,
      ];
      if (reply[0] === 1) return { kind: 'done', record: String(reply[1]), inOutbox: Number(reply[2] ?? 0) };
      if (reply[0] === 2) return { kind: 'busy' };
      return {
        kind: 'open',
        fence,
        conversation: parseConversation(conversationId, reply[2]),
        countInWindow: Number(reply[1]),
        inOutbox: Number(reply[3] ?? 0),
      };
    },
    async release(conversationId, fence, delivered) {
      const done = delivered ? [k.inboundDone(conversationId, delivered.messageId)] : [];
      await RELEASE(redis, [k.conversationLock(conversationId), ...done], [fence, delivered?.record ?? '']);
    },
    async markUndelivered(conversationId, messageId, reason) {
      const mark = reason === undefined ? '' : reason.slice(0, 500) || 'not delivered';
      return (await MARK_UNDELIVERED(redis, [k.history(conversationId)], [messageId, mark])) === 1;
    },
    async markDelivered(conversationId, delivered) {
      await this.release(conversationId, '', delivered);
    },
    async commit(conversation, entries, { done, fence, previousUpdatedAt } = {}) {
      const id = conversation.id;
      // The index is a global key: under Redis Cluster it cannot share a script with the conversation's
      // keys, so it is a second call, sent with the first. It only lists recent conversations.
      const minute = (iso: string) => Math.floor(Date.parse(iso) / INDEX_REFRESH_MS);
      const listed =
        previousUpdatedAt !== undefined && minute(conversation.updatedAt) === minute(previousUpdatedAt);
      const [saved] = await Promise.all([
        save(conversation, entries, done, fence),
        listed
          ? undefined
          : INDEX(
              redis,
              [k.conversationIndex()],
              [Date.parse(conversation.updatedAt) || Date.now(), id, INDEX_MAX],
            ),
      ]);
      if (!saved)
        throw new LockLostError(`conversation ${id}: its lock expired before the commit; nothing was saved`);
      await changed(id);
    },
    async append(conversationId, entries) {
      const multi = redis.multi();
      appendTo(multi, conversationId, entries);
      await multi.exec();
      await changed(conversationId);
    },
    withLock: (conversationId, fn) =>
      withRedisLock(redis, k.conversationLock(conversationId), { ttlMs: LOCK_MS, waitMs: 0 }, fn),
    async recent(limit) {
      return redis.zrevrange(k.conversationIndex(), 0, limit - 1);
    },
    async mutate(conversationId, change) {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const result = await this.withLock(conversationId, async (fence) => {
          const current = await this.load(conversationId);
          if (!current) return undefined;
          const next = change(current);
          if (!(await save(next, [], undefined, fence)))
            throw new LockLostError(`conversation ${conversationId}: its lock expired during a change`);
          return next;
        });
        if (result.ran) return result.value;
        if (Date.now() > deadline) throw new Error(`conversation ${conversationId} stayed locked`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };

  async function save(
    conversation: Conversation,
    entries: HistoryEntry[],
    done: DoneMark | undefined,
    fence: string | undefined,
  ): Promise<boolean> {
    const id = conversation.id;
    const keys = [
      k.conversation(id),
      k.history(id),
      k.conversationLock(id),
      ...(done ? [k.inboundDone(id, done.messageId)] : []),
    ];
    const saved = await COMMIT(redis, keys, [
      fence ?? '',
      JSON.stringify(conversation),
      ttlFor(id),
      keptFor(id),
      done?.record ?? '1',
      ...entries.map((e) => JSON.stringify(e)),
    ]);
    return saved === 1;
  }

  function parseConversation(id: string, raw: string | null | undefined): Conversation | undefined {
    if (!raw) return undefined;
    const parsed = ConversationSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    log.warn({ conversationId: id, err: parsed.error }, 'stored conversation unreadable; starting afresh');
    return undefined;
  }

  function appendTo(
    multi: ReturnType<RedisClient['multi']>,
    conversationId: string,
    entries: HistoryEntry[],
  ) {
    if (entries.length === 0) return;
    const key = k.history(conversationId);
    multi.rpush(key, ...entries.map((e) => JSON.stringify(e)));
    multi.ltrim(key, -keptFor(conversationId), -1);
    multi.expire(key, ttlFor(conversationId));
  }
}
