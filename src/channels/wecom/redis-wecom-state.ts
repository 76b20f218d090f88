import type { Keys } from '../../shared/keys.ts';
import type { RedisClient } from '../../shared/redis-client.ts';
import { redisScript, withRedisLock } from '../../shared/redis-helpers.ts';

/** WeCom lets a business send at most 5 messages after each buyer message, within 48 hours. */
export const WECOM_BUDGET = 5;
export const WECOM_BUDGET_MS = 48 * 3600_000;
/** A servicer's hold on a conversation lapses after 24 h without a servicer message. */
const SERVICER_HOLD_MS = 24 * 3600_000;
const KEPT_MS = 30 * 24 * 3600_000;

/**
 * A new buyer message (ARGV[5]) at ARGV[1]: a fresh budget, unless a later message already opened
 * one, or this very message did (a pull repeated after a crash). WeCom's times are whole seconds.
 */
const OPEN_BUDGET = redisScript(`
local at = tonumber(redis.call('hget', KEYS[1], 'at') or '-1')
if tonumber(ARGV[1]) < at then return 0 end
if tonumber(ARGV[1]) == at and redis.call('hget', KEYS[1], 'msgid') == ARGV[5] then return 0 end
redis.call('hset', KEYS[1], 'at', ARGV[1], 'msgid', ARGV[5], 'left', ARGV[2], 'until', tonumber(ARGV[1]) + tonumber(ARGV[3]))
redis.call('del', KEYS[2])
redis.call('pexpire', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]))
return 1`);

/**
 * Spends one message of the budget on msgid (once: a retry of the same message spends nothing).
 * 1 spent (or already), 0 spent out, -1 no buyer message known, -2 the 48 h are over.
 */
const SPEND = redisScript(`
if redis.call('sismember', KEYS[2], ARGV[1]) == 1 then return 1 end
local left = tonumber(redis.call('hget', KEYS[1], 'left') or '-1')
if left < 0 then return -1 end
if tonumber(ARGV[2]) > tonumber(redis.call('hget', KEYS[1], 'until')) then return -2 end
if left == 0 then return 0 end
redis.call('hset', KEYS[1], 'left', left - 1)
redis.call('sadd', KEYS[2], ARGV[1])
redis.call('pexpire', KEYS[2], tonumber(ARGV[3]))
return 1`);

/** Compare and set: the cursor moves only from where this pull found it (ARGV[1], '' for none). */
const MOVE_CURSOR = redisScript(`
if (redis.call('get', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2])
return 1`);

export type Budget = { left: number; until: Date } | undefined;
export type Spent = 'spent' | 'spent-out' | 'no-buyer-message' | 'expired';

/** What xiaoer keeps about WeCom in Redis, shared by every instance. */
export interface WeComState {
  /** The access token every instance uses, fetched by one of them at a time. */
  accessToken(fetch: () => Promise<{ token: string; expiresInSeconds: number }>): Promise<string>;
  /** Forgets `token` (WeCom said it expired), unless another instance already replaced it. */
  dropAccessToken(token: string): Promise<void>;
  cursor(openKfId: string): Promise<string | undefined>;
  /** Moves the account's cursor from `from` to `to`; false when another pull moved it meanwhile. */
  saveCursor(openKfId: string, from: string | undefined, to: string): Promise<boolean>;
  /** When xiaoer first pulled the account (set once, by the first pull): older messages are only recorded. */
  connectedAt(openKfId: string, now: Date): Promise<Date>;
  /** One sync of an open_kfid at a time, across instances. */
  syncing<T>(openKfId: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  openBudget(conversationId: string, msgid: string, at: Date): Promise<void>;
  spend(conversationId: string, msgid: string, now: Date): Promise<Spent>;
  budget(conversationId: string): Promise<Budget>;
  holdByServicer(conversationId: string): Promise<void>;
  releaseServicer(conversationId: string): Promise<void>;
  heldByServicer(conversationId: string): Promise<boolean>;
  /** The product the buyer came from (enter_session's scene_param), for their next message. */
  rememberEntry(conversationId: string, productId: string): Promise<void>;
  takeEntry(conversationId: string): Promise<string | undefined>;
  /** Whether a message was sent (tried) before: WeCom refuses a msgid it has seen. */
  tried(msgid: string): Promise<boolean>;
}

export function createRedisWeComState(redis: RedisClient, k: Keys): WeComState {
  const key = k.wecom;
  return {
    async accessToken(fetch) {
      for (;;) {
        const cached = await redis.get(key.token());
        if (cached) return cached;
        const got = await withRedisLock(redis, key.tokenLock(), { ttlMs: 15_000, waitMs: 0 }, async () => {
          const fresh = await fetch();
          // Kept 5 minutes less than WeCom's 2 hours: never used in its last moments.
          const ttl = Math.max(60, fresh.expiresInSeconds - 300);
          await redis.set(key.token(), fresh.token, 'EX', ttl);
          return fresh.token;
        });
        if (got.ran) return got.value;
        await new Promise((r) => setTimeout(r, 50)); // another instance is fetching it
      }
    },
    async dropAccessToken(token) {
      if ((await redis.get(key.token())) === token) await redis.del(key.token());
    },
    async cursor(openKfId) {
      return (await redis.get(key.cursor(openKfId))) ?? undefined;
    },
    async saveCursor(openKfId, from, to) {
      return (await MOVE_CURSOR(redis, [key.cursor(openKfId)], [from ?? '', to])) === 1;
    },
    async connectedAt(openKfId, now) {
      // One call: set unless set, answering what was there (Redis 7's SET … NX GET).
      const earlier = await redis.set(key.connected(openKfId), String(now.getTime()), 'NX', 'GET');
      return earlier === null ? now : new Date(Number(earlier));
    },
    syncing: (openKfId, fn) =>
      withRedisLock(redis, key.syncLock(openKfId), { ttlMs: 60_000, waitMs: 30_000 }, fn),
    async openBudget(conversationId, msgid, at) {
      await OPEN_BUDGET(
        redis,
        [key.budget(conversationId), key.budgetSpentOn(conversationId)],
        [at.getTime(), WECOM_BUDGET, WECOM_BUDGET_MS, KEPT_MS, msgid],
      );
    },
    async spend(conversationId, msgid, now) {
      const answer = (await SPEND(
        redis,
        [key.budget(conversationId), key.budgetSpentOn(conversationId)],
        [msgid, now.getTime(), WECOM_BUDGET_MS + KEPT_MS],
      )) as number;
      return answer === 1
        ? 'spent'
        : answer === 0
          ? 'spent-out'
          : answer === -1
            ? 'no-buyer-message'
            : 'expired';
    },
    async budget(conversationId) {
      const [left, until] = await redis.hmget(key.budget(conversationId), 'left', 'until');
      return left === null || until === null
        ? undefined
        : { left: Number(left), until: new Date(Number(until)) };
    },
    async holdByServicer(conversationId) {
      await redis.set(key.servicer(conversationId), '1', 'PX', SERVICER_HOLD_MS);
    },
    async releaseServicer(conversationId) {
      await redis.del(key.servicer(conversationId));
    },
    async heldByServicer(conversationId) {
      return (await redis.exists(key.servicer(conversationId))) === 1;
    },
    async rememberEntry(conversationId, productId) {
      await redis.set(key.entry(conversationId), productId, 'PX', SERVICER_HOLD_MS);
    },
    async takeEntry(conversationId) {
      return (await redis.getdel(key.entry(conversationId))) ?? undefined;
    },
    async tried(msgid) {
      return (await redis.set(key.tried(msgid), '1', 'PX', WECOM_BUDGET_MS, 'NX')) !== 'OK';
    },
  };
}
