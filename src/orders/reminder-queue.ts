import { Queue } from 'bullmq';
import { queueName } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { z } from 'zod';
import { jobIdFor } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { bullQueueHandle, type QueueHandle } from '../queue/queue-view.ts';

export const REMINDER_QUEUE = queueName('order-reminders');
export const ReminderJobSchema = z.object({ orderId: z.string().min(1) });

export interface ReminderQueue extends QueueHandle {
  /** One delayed job per order: BullMQ ignores a second add with the same job id. */
  schedule(orderId: string, at: Date, now: Date): Promise<void>;
  cancel(orderId: string): Promise<void>;
}

export function reminderJobId(orderId: string): string {
  return jobIdFor('reminder', orderId);
}

export function createReminderQueue(
  redis: RedisClient,
  prefix: string,
  keepSeconds: number,
  log: Logger,
): ReminderQueue {
  const queue = new Queue(REMINDER_QUEUE, {
    connection: redis,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      // Completed ids are kept while the order can still be reopened by a repeated event;
      // removing them at once would let that event schedule a second reminder.
      removeOnComplete: { age: keepSeconds },
      removeOnFail: { age: keepSeconds },
    },
  });
  return {
    ...bullQueueHandle(queue, log),
    async schedule(orderId, at, now) {
      await queue.add(
        'remind',
        { orderId },
        { jobId: reminderJobId(orderId), delay: Math.max(0, at.getTime() - now.getTime()) },
      );
    },
    async cancel(orderId) {
      const job = await queue.getJob(reminderJobId(orderId));
      if (job && (await job.isDelayed())) await job.remove();
    },
  };
}
