import { createHash, randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-client.ts';
import type { z } from 'zod';

export type RedisScript = (redis: RedisClient, keys: string[], args: (string | number)[]) => Promise<unknown>;

/**
 * A Lua script run by its SHA (EVALSHA), sent in full only when Redis does not know it yet.
 * Under Redis Cluster all `keys` must share a hash slot; callers pass keys from keys.ts.
 */
export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}

const release = redisScript(
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
);

/**
 * Runs `fn` holding a Redis lock (SET NX PX with a token, released only by its holder). Waits up
 * to `waitMs` for it; `waitMs` 0 tries once and reports `{ ran: false }` when someone else holds it.
 * `fn` gets the token: a write that must not land after the lock expired checks it (a fence).
 */
export async function withRedisLock<T>(
  redis: RedisClient,
  key: string,
  options: { ttlMs: number; waitMs: number },
  fn: (token: string) => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const token = randomUUID();
  const deadline = Date.now() + options.waitMs;
  while ((await redis.set(key, token, 'PX', options.ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= deadline) return { ran: false };
    await new Promise((r) => setTimeout(r, 10));
  }
  try {
    return { ran: true, value: await fn(token) };
  } finally {
    await releaseRedisLock(redis, key, token);
  }
}

/** Deletes a lock taken with `token`, unless it expired and someone else holds it now. */
export async function releaseRedisLock(redis: RedisClient, key: string, token: string): Promise<void> {
  await release(redis, [key], [token]);
}

/** JSON read back from Redis, validated: a record written by an older version reads as absent. */
export async function readJson<S extends z.ZodType>(
  redis: RedisClient,
  key: string,
  schema: S,
): Promise<z.infer<S> | undefined> {
  const raw = await redis.get(key);
  if (!raw) return undefined;
  const parsed = schema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Deletes every key under `prefix:` with SCAN + DEL (never FLUSHALL): for tests and benchmarks.
 * A cluster is scanned master by master.
 */
export async function deleteKeysWithPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length === 0) continue;
      // One DEL per SCAN page on a single Redis; key by key on a cluster, where a page spans slots.
      await (redis instanceof Cluster
        ? Promise.all(found.map((key) => redis.del(key)))
        : redis.del(...found));
    } while (cursor !== '0');
  }
}
