import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { InboundMessageSchema, type InboundMessage } from '../channels/generic/generic-schema.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Keys } from '../shared/keys.ts';
import { acceptOnce } from './redis-dedupe.ts';

export const INBOUND_QUEUE = 'inbound';

export const InboundJobSchema = z.object({
  channel: z.enum(['generic', 'web']),
  message: InboundMessageSchema,
  receivedAt: z.string(),
});
export type InboundJob = z.infer<typeof InboundJobSchema>;

export interface InboundQueue {
  /** Durably queues the message once per messageId; throws QueueUnavailableError when it can't. */
  accept(channel: InboundJob['channel'], message: InboundMessage): Promise<{ duplicate: boolean }>;
  queue: Queue;
  close(): Promise<void>;
}

export function createInboundQueue(redis: Redis, prefix: string, k: Keys): InboundQueue {
  const queue = new Queue(INBOUND_QUEUE, {
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
    queue,
    async accept(channel, message) {
      const job: InboundJob = { channel, message, receivedAt: new Date().toISOString() };
      const jobId = jobIdFor('in', channel, message.messageId);
      return acceptOnce(
        redis,
        k.seen('msg', channel, message.messageId),
        async () => {
          await queue.add('message', job, { jobId });
        },
        async () => (await queue.getJob(jobId)) !== undefined || (await redis.exists(k.inboundDone(message.conversationId, message.messageId))) === 1,
      );
    },
    close: () => queue.close(),
  };
}
