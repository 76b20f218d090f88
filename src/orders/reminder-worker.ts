import type { Worker } from 'bullmq';
import { createJobWorker } from '../queue/job-worker.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Logger } from '../shared/logger.ts';
import { REMINDER_QUEUE, ReminderJobSchema } from './reminder-queue.ts';

/** Runs the delayed reminder jobs; a job survives restarts because it lives in Redis. */
export function createReminderWorker(options: {
  connection: RedisClient;
  prefix: string;
  /** The afternoon reminder for one order (reminders/send-reminder.ts). */
  sendReminder: (orderId: string) => Promise<unknown>;
  log: Logger;
}): Worker {
  return createJobWorker({
    queue: REMINDER_QUEUE,
    kind: 'reminder',
    schema: ReminderJobSchema,
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 4,
    run: (job) => options.sendReminder(job.orderId),
    failedMessage: 'reminder failed',
    log: options.log,
  });
}

/** One reminder per buyer per local day: the first order to claim the day holds it. */
export async function claimBuyerDay(redis: RedisClient, key: string, orderId: string): Promise<boolean> {
  const set = await redis.set(key, orderId, 'EX', 2 * 24 * 3600, 'NX');
  return set === 'OK' || (await redis.get(key)) === orderId;
}
