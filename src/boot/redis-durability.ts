import { Cluster, type Redis } from 'ioredis';
import { RedisNotDurableError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { waitUntilReady } from './redis-connection.ts';
import { type RedisClient } from '../shared/redis-client.ts';

/** What protects the writes of one primary: its append-only file, or replicas that hold a copy. */
export interface NodeDurability {
  node: string;
  aof: boolean;
  replicas: number;
  /** Why INFO could not be read (an ACL without INFO, a node that went away): durability unknown. */
  unreadable?: string;
}

/**
 * Reads INFO persistence and INFO replication from every primary the client writes to: the one
 * Redis (or the primary Sentinel named), or each primary of a Cluster.
 */
export async function readDurability(redis: RedisClient): Promise<NodeDurability[]> {
  const primaries = redis instanceof Cluster ? redis.nodes('master') : [redis];
  return Promise.all(primaries.map(readNode));
}

async function readNode(redis: Redis): Promise<NodeDurability> {
  const { host, port, sentinels, name } = redis.options;
  const node = sentinels?.length
    ? `the primary "${name}" of the Sentinels`
    : `${host ?? '127.0.0.1'}:${port ?? 6379}`;
  try {
    // A Cluster connects to a node on its first command; with no offline queue that command would fail.
    if (redis.status === 'wait') await redis.connect();
    await waitUntilReady(redis, 5_000);
    const persistence = parseInfo(await redis.info('persistence'));
    const replication = parseInfo(await redis.info('replication'));
    return {
      node,
      aof: persistence.get('aof_enabled') === '1',
      replicas: Number(replication.get('connected_slaves') ?? 0),
    };
  } catch (err) {
    return { node, aof: false, replicas: 0, unreadable: (err as Error).message };
  }
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

/**
 * The webhook answers 200 once a message is in Redis: that promise holds across a Redis crash only
 * if the write reached the append-only file or a replica. Redis's default (RDB snapshots at most)
 * lost 395 of 396 accepted messages to one kill -9. Warns loudly, or with `require` refuses to
 * start, when a primary has neither.
 */
export async function checkRedisDurability(
  redis: RedisClient,
  options: { require: boolean; log: Logger },
): Promise<NodeDurability[]> {
  const nodes = await readDurability(redis);
  const exposed = nodes.filter((n) => !n.aof && n.replicas === 0);
  if (exposed.length === 0) {
    options.log.info({ redis: nodes }, 'redis durability: accepted messages survive a Redis crash');
    return nodes;
  }
  const problem = describeProblem(exposed);
  if (options.require) throw new RedisNotDurableError(`REDIS_REQUIRE_DURABLE is on, and ${problem}`);
  options.log.warn(
    { redis: exposed },
    `!!! ${problem} !!! (set REDIS_REQUIRE_DURABLE=true to refuse to start instead)`,
  );
  return nodes;
}

function describeProblem(exposed: NodeDurability[]): string {
  const unknown = exposed.filter((n) => n.unreadable);
  const what =
    unknown.length === exposed.length
      ? `the durability of Redis ${list(exposed)} is unknown (INFO persistence failed: ${unknown[0]!.unreadable})`
      : `Redis ${list(exposed)} has neither the append-only file (appendonly no) nor a connected replica`;
  return (
    `${what}: messages the service accepted (answered 200) but has not answered yet, conversations, ` +
    'hand-offs and reminders are lost if Redis crashes or restarts. Fix: `appendonly yes` in redis.conf ' +
    '(or `CONFIG SET appendonly yes` then `CONFIG REWRITE`), and `appendfsync always` for the strict promise ' +
    'that no accepted message is lost (the default everysec can lose the last second)'
  );
}

function list(nodes: NodeDurability[]): string {
  return nodes.map((n) => n.node).join(', ');
}
