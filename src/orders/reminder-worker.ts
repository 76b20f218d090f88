import { UnrecoverableError, Worker } from 'bullmq';
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
  const worker = new Worker(
    REMINDER_QUEUE,
    async (job) => {
      const parsed = ReminderJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad reminder job: ${parsed.error.message}`);
      return options.sendReminder(parsed.data.orderId);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 4 },
  );
  worker.on('failed', (job, err) => job && options.log.error({ jobId: job.id, err }, 'reminder failed'));
  return worker;
}

/** One reminder per buyer per local day: the first order to claim the day holds it. */
export async function claimBuyerDay(redis: RedisClient, key: string, orderId: string): Promise<boolean> {
  const set = await redis.set(key, orderId, 'EX', 2 * 24 * 3600, 'NX');
  return set === 'OK' || (await redis.get(key)) === orderId;
}
