import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';

/**
 * The inbound stream is split by conversation into shards, each under a hash tag of its own, so
 * on a Redis Cluster the buyer messages, their duplicate marks and their failed lists spread over
 * the masters instead of piling onto the one that holds a single slot. One conversation is always
 * in one shard, so its messages keep their order in the stream. A single Redis gains nothing from
 * more than one.
 */
export interface InboundShard {
  index: number;
  stream: string;
  failed: string;
}

export const MAX_INBOUND_SHARDS = 64;

export function inboundShard(k: Keys, index: number): InboundShard {
  return { index, stream: k.inboundStream(index), failed: k.inboundFailed(index) };
}

export function inboundShards(k: Keys, count: number): InboundShard[] {
  return Array.from({ length: count }, (_, index) => inboundShard(k, index));
}

/** The shard of a conversation: FNV-1a over its id, so every instance picks the same one. */
export function shardOf(conversationId: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < conversationId.length; i++) {
    hash ^= conversationId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** Raises the recorded shard count to `count` (never lowers it). KEYS: the count. ARGV: count. Returns the recorded count. */
const RAISE = redisScript(`
local now = tonumber(redis.call('get', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if want > now then redis.call('set', KEYS[1], want) return want end
return now`);

/**
 * Records that a producer writes to `count` shards, and returns how many any producer ever wrote
 * to. Workers read that many: a shop that lowers the setting still has its older shards read.
 */
export async function recordShardCount(redis: RedisClient, k: Keys, count: number): Promise<number> {
  return Number(await RAISE(redis, [k.inboundShards()], [count]));
}

/** How many shards workers must read: the setting, or more if a producer ever wrote to more. */
export async function shardsToRead(redis: RedisClient, k: Keys, count: number): Promise<number> {
  const recorded = Number(await redis.get(k.inboundShards())) || 0;
  return Math.min(MAX_INBOUND_SHARDS, Math.max(count, recorded));
}
