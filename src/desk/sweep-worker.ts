import { Queue, Worker } from 'bullmq';
import { queueName } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis.ts';
import type { Logger } from '../shared/logger.ts';
import type { Desk } from './desk-service.ts';

export const DESK_SWEEP_QUEUE = queueName('desk-sweep');

/**
 * BullMQ's own job lock is 30 s and built for machines; a person's claim is a lease renewed by
 * the desk page's heartbeat. This job scheduler checks the leases every few seconds, once across
 * all instances, and puts the claims of silent agents back in the queue.
 */
export async function startDeskSweeper(options: { connection: RedisClient; prefix: string; everyMs: number; desk: Desk; log: Logger }): Promise<{ queue: Queue; worker: Worker }> {
  const queue = new Queue(DESK_SWEEP_QUEUE, { connection: options.connection, prefix: options.prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 } });
  await queue.upsertJobScheduler('lease-sweep', { every: options.everyMs }, { name: 'sweep' });
  const worker = new Worker(DESK_SWEEP_QUEUE, async () => options.desk.sweep(), { connection: options.connection, prefix: options.prefix, concurrency: 1 });
  worker.on('failed', (_job, err) => options.log.warn({ err }, 'desk sweep failed'));
  return { queue, worker };
}
