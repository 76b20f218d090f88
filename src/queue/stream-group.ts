import type { RedisClient } from '../shared/redis-client.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import type { InboundShard } from './inbound-shards.ts';
import { failedEntry } from './stream-entries.ts';

/**
 * The consumer group's leases: a worker's entries stay pending under its name while it handles
 * them; one that stops answering leaves them to be claimed by another after the lock time.
 */

/**
 * Heartbeat: resets the idle time of the entries this consumer still owns, so no other worker
 * takes them over. KEYS: stream. ARGV: group, consumer, ids. Returns the ids it no longer owns.
 */
const KEEP_MINE = redisScript(`
local lost = {}
for i = 3, #ARGV do
  local owner = redis.call('xpending', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)[1]
  if owner and owner[2] == ARGV[2] then
    redis.call('xclaim', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost`);

/**
 * Moves an entry to the failed list: written there first, so an error (a wrong type, memory)
 * stops the script before the entry leaves the stream. KEYS: stream, failed list. ARGV: group,
 * id, then the failed entry's fields (failedEntry).
 */
const SET_ASIDE = redisScript(`
redis.call('xadd', KEYS[2], '*', unpack(ARGV, 3))
redis.call('xack', KEYS[1], ARGV[1], ARGV[2])
redis.call('xdel', KEYS[1], ARGV[2])
return 1`);

/** Removes a consumer, but only with nothing pending: deleting a consumer drops its pending entries. KEYS: stream. ARGV: group, consumer. */
const REMOVE_CONSUMER = redisScript(`
if #redis.call('xpending', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
return redis.call('xgroup', 'delconsumer', KEYS[1], ARGV[1], ARGV[2])`);

export interface ClaimedEntry {
  id: string;
  fields: string[];
  /** 1 for the first delivery; a claimed entry's is one more than it had. */
  delivery: number;
}

export async function ensureGroup(
  connection: RedisClient,
  shard: InboundShard,
  group: string,
): Promise<void> {
  try {
    await connection.xgroup('CREATE', shard.stream, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!(err instanceof Error && err.message.startsWith('BUSYGROUP'))) throw err;
  }
}

/** Renews the leases of `ids` held by `consumer`; returns those another consumer has taken. */
export async function keepMine(
  connection: RedisClient,
  shard: InboundShard,
  group: string,
  consumer: string,
  ids: string[],
): Promise<string[]> {
  return (await KEEP_MINE(connection, [shard.stream], [group, consumer, ...ids])) as string[];
}

/** Claims up to `max` entries idle for `lockMs` (their worker stopped answering), skipping those `held`. */
export async function claimStale(
  connection: RedisClient,
  shard: InboundShard,
  group: string,
  consumer: string,
  options: { lockMs: number; max: number; held: (id: string) => boolean },
): Promise<ClaimedEntry[]> {
  const stale = (await connection.xpending(
    shard.stream,
    group,
    'IDLE',
    options.lockMs,
    '-',
    '+',
    options.max,
  )) as [string, string, number, number][];
  const ids = stale.filter(([id]) => !options.held(id));
  if (!ids.length) return [];
  const claimed = (await connection.xclaim(
    shard.stream,
    group,
    consumer,
    options.lockMs,
    ...ids.map(([id]) => id),
  )) as [string, string[] | null][];
  const deliveries = new Map(ids.map(([id, , , count]) => [id, count + 1]));
  return claimed.flatMap(([id, fields]) =>
    fields ? [{ id, fields, delivery: deliveries.get(id) ?? 2 }] : [],
  );
}

export async function setAside(
  connection: RedisClient,
  shard: InboundShard,
  group: string,
  entry: { id: string; raw: string; reason: string; attempts: number },
): Promise<void> {
  await SET_ASIDE(
    connection,
    [shard.stream, shard.failed],
    [group, entry.id, ...failedEntry(entry.raw, entry.reason, entry.attempts, Date.now())],
  );
}

export async function removeConsumer(
  connection: RedisClient,
  shard: InboundShard,
  group: string,
  consumer: string,
): Promise<void> {
  await REMOVE_CONSUMER(connection, [shard.stream], [group, consumer]);
}

/** Consumers of workers that died stay in the group; those with nothing pending go once unseen for `idleMs`. */
export async function removeGoneConsumers(
  connection: RedisClient,
  shards: readonly InboundShard[],
  group: string,
  self: string,
  idleMs: number,
): Promise<void> {
  for (const shard of shards) {
    const consumers = (await connection.xinfo('CONSUMERS', shard.stream, group)) as unknown[][];
    for (const fields of consumers) {
      const info = Object.fromEntries(
        Array.from({ length: fields.length / 2 }, (_, i) => [String(fields[2 * i]), fields[2 * i + 1]]),
      );
      if (info.name !== self && Number(info.pending) === 0 && Number(info.idle) > idleMs)
        await removeConsumer(connection, shard, group, String(info.name));
    }
  }
}

/** Entry ids still pending under `consumer`. */
export async function pendingOf(
  connection: RedisClient,
  shard: InboundShard,
  group: string,
  consumer: string,
): Promise<string[]> {
  const pending = (await connection.xpending(shard.stream, group, '-', '+', 10_000, consumer)) as [
    string,
    string,
    number,
    number,
  ][];
  return pending.map(([id]) => id);
}
