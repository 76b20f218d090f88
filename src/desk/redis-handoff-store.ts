import { BusyError } from '../shared/errors.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Keys } from '../shared/keys.ts';
import { readJson, withRedisLock } from '../shared/redis-helpers.ts';
import { HandoffSchema, queueScore, type Handoff } from './handoff.ts';
import { type DeskNote, type HandoffStore } from './handoff-store.ts';

/** Notes kept per conversation, and hand-offs remembered per buyer. */
const NOTES_KEPT = 200;
const BUYER_HANDOFFS_KEPT = 50;

const LOCK_MS = 5_000;
/**
 * Takes the first waiting hand-off and parks it in the claimed set with a short lease, in one
 * step: two agents can never pop the same one, and a crash before the claim is written only
 * delays it (the sweeper puts it back).
 */
const POP_WAITING = `
local ids = redis.call('ZRANGE', KEYS[1], 0, 0)
if #ids == 0 then return false end
redis.call('ZREM', KEYS[1], ids[1])
redis.call('ZADD', KEYS[2], ARGV[1], ids[1])
return ids[1]`;
const RESOLVED_KEPT = 5_000;
/** The record and its place in the queue, written together: a crash can't leave one without the other. */
const CREATE = `
if redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
  return 1
end
local stored = redis.call('GET', KEYS[1])
if stored and cjson.decode(stored).state == 'waiting' and redis.call('ZSCORE', KEYS[2], ARGV[4]) == false and redis.call('ZSCORE', KEYS[3], ARGV[4]) == false then
  -- a record from an earlier attempt that never reached the queue
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
end
return 0`;

/**
 * `webChatTtlSeconds`: a resolved web chat hand-off goes with its conversation, not with the
 * orders. One still waiting or claimed keeps the full lifetime: were its record to expire in the
 * queue (the web lane is the last), its buyer would wait for a person no agent can see.
 */
export function createRedisHandoffStore(
  redis: RedisClient,
  k: Keys,
  ttlSeconds: number,
  webChatTtlSeconds = ttlSeconds,
): HandoffStore {
  const ttlFor = (h: Handoff) =>
    h.channel === 'web' && h.state === 'resolved' ? webChatTtlSeconds : ttlSeconds;
  const get = (id: string) => readJson(redis, k.handoff(id), HandoffSchema);
  const index = (multi: ReturnType<RedisClient['multi']>, h: Handoff) => {
    multi.zrem(k.handoffs('waiting'), h.id).zrem(k.handoffs('claimed'), h.id);
    if (h.state === 'waiting') multi.zadd(k.handoffs('waiting'), queueScore(h), h.id);
    if (h.state === 'claimed')
      multi.zadd(k.handoffs('claimed'), Date.parse(h.leaseUntil ?? h.createdAt), h.id);
    if (h.state === 'resolved') {
      multi.zadd(k.handoffs('resolved'), Date.parse(h.resolvedAt ?? h.createdAt), h.id);
      multi.zremrangebyrank(k.handoffs('resolved'), 0, -RESOLVED_KEPT - 1);
    }
  };
  return {
    async create(handoff) {
      const created = await redis.eval(
        CREATE,
        3,
        k.handoff(handoff.id),
        k.handoffs('waiting'),
        k.handoffs('claimed'),
        JSON.stringify(handoff),
        ttlFor(handoff),
        queueScore(handoff),
        handoff.id,
      );
      if (created === 1) {
        const ofBuyer = k.buyerHandoffs(handoff.channel, handoff.buyerId);
        await redis
          .multi()
          .zadd(ofBuyer, Date.parse(handoff.createdAt), handoff.id)
          .zremrangebyrank(ofBuyer, 0, -BUYER_HANDOFFS_KEPT - 1)
          .expire(ofBuyer, ttlFor({ ...handoff, state: 'resolved' }))
          .exec();
      }
      return created === 1;
    },
    get,
    async ofBuyer(channel, buyerId, limit) {
      const ids = await redis.zrevrange(k.buyerHandoffs(channel, buyerId), 0, limit - 1);
      const records = await Promise.all(ids.map(get));
      return records.filter((h): h is Handoff => h !== undefined);
    },
    async addNote(conversationId, note) {
      const key = k.deskNotes(conversationId);
      await redis
        .multi()
        .rpush(key, JSON.stringify(note))
        .ltrim(key, -NOTES_KEPT, -1)
        .expire(key, ttlSeconds)
        .exec();
    },
    async notes(conversationId) {
      const raw = await redis.lrange(k.deskNotes(conversationId), 0, -1);
      return raw.flatMap((r) => {
        try {
          return [JSON.parse(r) as DeskNote];
        } catch {
          return [];
        }
      });
    },
    async setTags(conversationId, tags) {
      const key = k.deskTags(conversationId);
      if (tags.length === 0) await redis.del(key);
      else await redis.set(key, JSON.stringify(tags), 'EX', ttlSeconds);
    },
    async tags(conversationId) {
      const raw = await redis.get(k.deskTags(conversationId));
      try {
        return raw ? (JSON.parse(raw) as string[]) : [];
      } catch {
        return [];
      }
    },
    async mutate(id, change) {
      const locked = await withRedisLock(
        redis,
        `${k.handoff(id)}:lock`,
        { ttlMs: LOCK_MS, waitMs: LOCK_MS },
        async () => {
          const current = await get(id);
          if (!current) return undefined;
          const { handoff, value } = change(current);
          if (handoff) {
            const multi = redis.multi().set(k.handoff(id), JSON.stringify(handoff), 'EX', ttlFor(handoff));
            index(multi, handoff);
            await multi.exec();
          }
          return value;
        },
      );
      if (!locked.ran) throw new BusyError(`hand-off ${id}`);
      return locked.value;
    },
    async popWaiting(provisionalLeaseUntil) {
      const id = await redis.eval(
        POP_WAITING,
        2,
        k.handoffs('waiting'),
        k.handoffs('claimed'),
        provisionalLeaseUntil.getTime(),
      );
      return typeof id === 'string' ? id : undefined;
    },
    async list(state, limit) {
      const ids =
        state === 'resolved'
          ? await redis.zrevrange(k.handoffs(state), 0, limit - 1)
          : await redis.zrange(k.handoffs(state), 0, limit - 1);
      const records = await Promise.all(ids.map(get));
      return records.filter((h): h is Handoff => h !== undefined);
    },
    async expiredClaims(now) {
      const ids = await redis.zrangebyscore(k.handoffs('claimed'), '-inf', now.getTime());
      if (ids.length === 0) return ids;
      // A web chat hand-off's record expires with its conversation; its place in a set stays behind
      // until a claim pops it (the claim skips it) and this sweep drops it.
      const present = await Promise.all(ids.map((id) => redis.exists(k.handoff(id))));
      const gone = ids.filter((_, i) => present[i] === 0);
      if (gone.length > 0) await redis.zrem(k.handoffs('claimed'), ...gone);
      return ids.filter((_, i) => present[i] === 1);
    },
    async ahead(score) {
      return redis.zcount(k.handoffs('waiting'), '-inf', `(${score}`);
    },
    async heartbeat(agent, now) {
      await redis.zadd(k.agentsOnline(), now.getTime(), agent);
    },
    async agentsOnline(now, idleMs) {
      return redis.zrangebyscore(k.agentsOnline(), now.getTime() - idleMs, '+inf');
    },
    async saveLabel(label) {
      await redis.multi().rpush(k.labels(), JSON.stringify(label)).ltrim(k.labels(), -50_000, -1).exec();
    },
  };
}
