import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { RedisUnavailableError } from '../shared/errors.ts';
import { type RedisClient } from '../shared/redis-client.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Where Redis is: one URL, a cluster's seed nodes (REDIS_CLUSTER_NODES), or Sentinels that name the primary. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: string[] }
  | { kind: 'sentinel'; sentinels: string[]; name: string; sentinelPassword?: string };

/** For one-off commands (staffing, export-labels): the configured Redis, with no private fallback. */
export function configuredTarget(config: RedisConfig): RedisTarget {
  return explicitTarget(config) ?? { kind: 'single', url: config.REDIS_URL ?? DEFAULT_REDIS_URL };
}

export interface RedisConfig {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string[] | undefined;
  REDIS_SENTINELS?: string[] | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
}

export function explicitTarget(config: RedisConfig): RedisTarget | undefined {
  if (config.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: config.REDIS_CLUSTER_NODES };
  if (config.REDIS_SENTINELS) {
    const password = config.REDIS_SENTINEL_PASSWORD;
    return {
      kind: 'sentinel',
      sentinels: config.REDIS_SENTINELS,
      name: config.REDIS_SENTINEL_NAME ?? 'mymaster',
      ...(password ? { sentinelPassword: password } : {}),
    };
  }
  if (config.REDIS_URL) return { kind: 'single', url: config.REDIS_URL };
  return undefined;
}

/**
 * The webhook's connection: it must fail fast when Redis is gone so the channel gets a 503 and
 * retries, instead of a request hanging on an offline queue.
 */
export function createProducerConnection(target: RedisTarget, name = 'producer'): RedisClient {
  const options: RedisOptions = {
    connectionName: `xiaoer-${name}`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  if (target.kind === 'single') return coalesceWrites(new Redis(target.url, options));
  if (target.kind === 'sentinel')
    return coalesceWrites(new Redis({ ...sentinelOptions(target), ...options }));
  return new Cluster(seeds(target.nodes), {
    ...CLUSTER_OPTIONS,
    enableOfflineQueue: false,
    redisOptions: { ...nodeAuth(target.nodes), ...options },
  });
}

/**
 * Workers block on Redis and must never give up: BullMQ requires maxRetriesPerRequest null.
 * `batching`: how many small commands share a socket write (socket writes were the largest cost in
 * a CPU profile). 'auto-pipeline' for the stores' plain commands from concurrent jobs; 'cork' for a
 * BullMQ worker's own connection, whose job moves are scripts; none for the rest.
 */
export function createWorkerConnection(
  target: RedisTarget,
  name = 'worker',
  options: { batching?: 'auto-pipeline' | 'cork' } = {},
): RedisClient {
  const redisOptions: RedisOptions = {
    connectionName: `xiaoer-${name}`,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  // Not for a BullMQ worker's connection: its blocking connection is a duplicate and would inherit it.
  const enableAutoPipelining = options.batching === 'auto-pipeline';
  const cork = options.batching === 'cork' ? coalesceWrites : (redis: Redis) => redis;
  if (target.kind === 'single') return cork(new Redis(target.url, { ...redisOptions, enableAutoPipelining }));
  if (target.kind === 'sentinel')
    return cork(new Redis({ ...sentinelOptions(target), ...redisOptions, enableAutoPipelining }));
  return new Cluster(seeds(target.nodes), {
    ...CLUSTER_OPTIONS,
    enableAutoPipelining,
    redisOptions: { ...nodeAuth(target.nodes), ...redisOptions },
  });
}

/**
 * Sends the commands a connection gets in one turn of the event loop in one socket write.
 * ioredis writes each command on its own (auto-pipelining flushes on nextTick, after every
 * callback), and a socket write cost ~30 µs in a profile: the loopback TCP path runs in the
 * writer. Corking until setImmediate batches the commands of all the requests or jobs that one
 * turn handled, at the cost of at most that turn. Each new socket, after a reconnect, is wrapped
 * again. (Not for a Cluster: it keeps a connection per node of its own.)
 */
function coalesceWrites(redis: Redis): Redis {
  redis.on('connect', () => {
    const socket = redis.stream;
    const write = socket.write;
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };
    socket.write = function (this: typeof socket, ...args: Parameters<typeof write>) {
      if (!corked) {
        corked = true;
        socket.cork();
        setImmediate(uncork);
      }
      return write.apply(this, args);
    } as typeof write;
  });
  return redis;
}

/** A node as configured, `host:port` or `redis[s]://[user:password@]host:port`, with its scheme. */
export function withScheme(node: string): string {
  return node.includes('://') ? node : `redis://${node}`;
}

function nodeUrl(node: string): URL {
  return new URL(withScheme(node));
}

/** Seed nodes (cluster nodes or Sentinels); the rest of the cluster is discovered. */
function seeds(nodes: string[]): { host: string; port: number }[] {
  return nodes.map((node) => {
    const url = nodeUrl(node);
    return { host: url.hostname, port: Number(url.port || 6379) };
  });
}

/**
 * Sentinels tell where the primary is; after a failover ioredis asks them again and reconnects.
 * The data nodes' password comes from a `redis://` Sentinel address; the Sentinels' own from REDIS_SENTINEL_PASSWORD.
 */
function sentinelOptions(target: {
  sentinels: string[];
  name: string;
  sentinelPassword?: string;
}): RedisOptions {
  return {
    sentinels: seeds(target.sentinels),
    name: target.name,
    ...nodeAuth(target.sentinels),
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    sentinelRetryStrategy: (times) => Math.min(times * 200, 2_000),
  };
}

function nodeAuth(nodes: string[]): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  if (!nodes[0]) return {};
  const first = nodeUrl(nodes[0]);
  return {
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

const CLUSTER_OPTIONS: ClusterOptions = {
  clusterRetryStrategy: (times) => Math.min(times * 200, 2_000),
  // Slots move in a resharding or a failover: ioredis follows MOVED/ASK and refreshes its map.
  slotsRefreshTimeout: 2_000,
};

export async function waitUntilReady(redis: RedisClient, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new RedisUnavailableError(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolveReady();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/** True when something at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined); // a refused connection is the answer we are asking for
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
