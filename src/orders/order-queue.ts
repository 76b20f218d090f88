import { Queue, type Worker } from 'bullmq';
import type { RedisClient } from '../shared/redis-client.ts';
import { z } from 'zod';
import { OrderEventSchema, type OrderEvent } from './order-event.ts';
import { acceptOnce } from '../queue/redis-dedupe.ts';
import { createJobWorker } from '../queue/job-worker.ts';
import { bullQueueHandle, type QueueHandle } from '../queue/queue-view.ts';
import { jobIdFor } from '../shared/ids.ts';
import { queueName, type Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { createApplyOrderEvent } from './apply-order-event.ts';

export const ORDER_EVENTS_QUEUE = queueName('order-events');

const OrderJobSchema = z.object({ channel: z.string(), event: OrderEventSchema });

export interface OrderEvents extends QueueHandle {
  accept(channel: string, event: OrderEvent): Promise<{ duplicate: boolean }>;
}

export function createOrderEvents(redis: RedisClient, prefix: string, k: Keys, log: Logger): OrderEvents {
  const queue = new Queue(ORDER_EVENTS_QUEUE, {
    connection: redis,
    prefix,
    skipWaitingForReady: true,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: 3600, count: 5_000 },
      removeOnFail: false,
    },
  });
  return {
    ...bullQueueHandle(queue, log),
    accept: (channel, event) => {
      const jobId = jobIdFor('ev', channel, event.eventId);
      return acceptOnce(
        redis,
        k.seen('event', channel, event.eventId),
        async () => {
          await queue.add(event.type, { channel, event }, { jobId });
        },
        // the job, or the event's mark on the stored order
        async () =>
          (await queue.getJob(jobId)) !== undefined ||
          (await redis.get(k.order(event.orderId)))?.includes(`"${event.type}":"${event.at}"`) === true,
      );
    },
  };
}

/** Applies each order event in turn; the order's own lock keeps two instances from interleaving. */
export function createOrderWorker(options: {
  connection: RedisClient;
  prefix: string;
  applyEvent: ReturnType<typeof createApplyOrderEvent>;
  log: Logger;
}): Worker {
  return createJobWorker({
    queue: ORDER_EVENTS_QUEUE,
    kind: 'order',
    schema: OrderJobSchema,
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 4,
    run: async (job) => (await options.applyEvent(job.event)).state,
    failedMessage: 'order event failed',
    log: options.log.child({ module: 'orders' }),
  });
}
