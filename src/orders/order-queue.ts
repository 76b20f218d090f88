import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { OrderEventSchema, type OrderEvent } from '../channels/generic/generic-schema.ts';
import { acceptOnce } from '../pipeline/redis-dedupe.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import { applyOrderEvent, OrderSchema, type Order } from './order.ts';

export const ORDER_EVENTS_QUEUE = 'order-events';
const ORDER_RETENTION_SECONDS = 90 * 24 * 3600;

const OrderJobSchema = z.object({ channel: z.string(), event: OrderEventSchema });

export interface OrderEvents {
  accept(channel: string, event: OrderEvent): Promise<{ duplicate: boolean }>;
  queue: Queue;
  close(): Promise<void>;
}

export function createOrderEvents(redis: Redis, prefix: string, k: Keys): OrderEvents {
  const queue = new Queue(ORDER_EVENTS_QUEUE, {
    connection: redis,
    prefix,
    skipWaitingForReady: true,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 3600, count: 5_000 }, removeOnFail: false },
  });
  return {
    queue,
    accept: (channel, event) =>
      acceptOnce(redis, k.seen('event', channel, event.eventId), async () => {
        await queue.add(event.type, { channel, event }, { jobId: jobIdFor('ev', channel, event.eventId) });
      }),
    close: () => queue.close(),
  };
}

export async function loadOrder(redis: Redis, k: Keys, orderId: string): Promise<Order | undefined> {
  const raw = await redis.get(k.order(orderId));
  if (!raw) return undefined;
  const parsed = OrderSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Folds each order event into the stored order. `redis` must be this worker's own connection:
 * WATCH belongs to a connection, and another instance's write to the same order makes EXEC fail
 * and the job retry.
 */
export function createOrderWorker(options: { connection: Redis; redis: Redis; prefix: string; keys: Keys; log: Logger }): Worker {
  const { redis, keys: k } = options;
  const log = options.log.child({ module: 'orders' });
  return new Worker(
    ORDER_EVENTS_QUEUE,
    async (job) => {
      const parsed = OrderJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad order job: ${parsed.error.message}`);
      const { event } = parsed.data;
      const key = k.order(event.orderId);
      await redis.watch(key);
      const next = applyOrderEvent(await loadOrder(redis, k, event.orderId), event, new Date());
      const result = await redis.multi().set(key, JSON.stringify(next), 'EX', ORDER_RETENTION_SECONDS).exec();
      if (result === null) throw new Error('order changed while applying the event; retrying');
      log.info({ orderId: event.orderId, type: event.type, state: next.state }, 'order event applied');
      return next.state;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
}
