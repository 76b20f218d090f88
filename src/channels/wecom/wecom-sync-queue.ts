import { Queue, type Worker } from 'bullmq';
import { z } from 'zod';
import { createJobWorker } from '../../queue/job-worker.ts';
import { bullQueueHandle, type QueueHandle } from '../../queue/queue-view.ts';
import { queueName } from '../../shared/keys.ts';
import type { Logger } from '../../shared/logger.ts';
import type { RedisClient } from '../../shared/redis-client.ts';

export const WECOM_SYNC_QUEUE = queueName('wecom-sync');
const SyncJobSchema = z.object({
  openKfId: z.string().min(1),
  token: z.string().optional(),
  /** When WeCom called back (ms): its token is good for 10 minutes. */
  at: z.number().optional(),
});
export type SyncJob = z.infer<typeof SyncJobSchema>;

/** WeCom's callbacks, each stored before it is answered: "this account has new messages, pull them". */
export interface WeComSyncQueue extends QueueHandle {
  add(job: SyncJob): Promise<void>;
}

export function createWeComSyncQueue(redis: RedisClient, prefix: string, log: Logger): WeComSyncQueue {
  const queue = new Queue(WECOM_SYNC_QUEUE, {
    connection: redis,
    prefix,
    defaultJobOptions: {
      attempts: 12,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  return {
    ...bullQueueHandle(queue, log),
    async add(job) {
      await queue.add('sync', job);
    },
  };
}

/** Pulls each stored callback's account (channels/wecom/wecom-sync.ts). */
export function createWeComSyncWorker(options: {
  connection: RedisClient;
  prefix: string;
  sync(openKfId: string, token: string | undefined, calledBackAt: Date | undefined): Promise<unknown>;
  log: Logger;
}): Worker {
  return createJobWorker({
    queue: WECOM_SYNC_QUEUE,
    kind: 'WeCom pull',
    schema: SyncJobSchema,
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 4,
    run: (job) => options.sync(job.openKfId, job.token, job.at === undefined ? undefined : new Date(job.at)),
    failedMessage: 'WeCom pull failed',
    log: options.log,
  });
}
