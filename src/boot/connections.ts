import type { Config } from '../config.ts';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { resolveRedis, type ResolvedRedis } from './private-redis.ts';
import { createProducerConnection, createWorkerConnection, waitUntilReady } from './redis-connection.ts';
import { checkRedisDurability } from './redis-durability.ts';

export interface Connections {
  redis: ResolvedRedis;
  /** The webhook's connection: fails fast when Redis is gone, so the channel gets a 503 and retries. */
  producer: RedisClient;
  /** A named connection that waits out a Redis restart instead of failing (workers, stores, queues). */
  workerConnection(name: string, batching?: 'auto-pipeline' | 'cork'): RedisClient;
  /** Quits every connection, then stops the private redis-server if one was started. */
  close(): Promise<void>;
}

/** Finds Redis (or starts a private one), connects, and checks once per service that it keeps its data. */
export async function openConnections(
  config: Config,
  options: { log: Logger; startedByParent?: boolean | undefined },
): Promise<Connections> {
  const { log } = options;
  const redis = await resolveRedis({ config, log });
  const producer = createProducerConnection(redis.target);
  const opened: RedisClient[] = [];
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis (producer) connection error'));
  await waitUntilReady(producer, 10_000);
  // Once per service: its worker threads and processes use the same Redis and would only repeat it.
  if (!options.startedByParent)
    await checkRedisDurability(producer, { require: config.REDIS_REQUIRE_DURABLE, log });
  return {
    redis,
    producer,
    workerConnection(name, batching) {
      const connection = createWorkerConnection(redis.target, name, batching ? { batching } : {});
      connection.on('error', (err) =>
        log.warn({ err: err.message, connection: name }, 'redis connection error'),
      );
      opened.push(connection);
      return connection;
    },
    async close() {
      await Promise.all([producer, ...opened].map((c) => c.quit().catch(() => c.disconnect())));
      await redis.stop();
    },
  };
}
