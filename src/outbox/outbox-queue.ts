import { Queue } from 'bullmq';
import { queueName } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { z } from 'zod';
import { ChannelIdSchema } from '../channels/message.ts';
import { OutboundMessageSchema } from '../channels/message.ts';
import type { ConversationLine } from './conversation-line.ts';
import { bullQueueHandle, type QueueHandle } from '../queue/queue-view.ts';
import type { Logger } from '../shared/logger.ts';

export const OUTBOX_QUEUE = queueName('outbox');
export const CAPPED_BACKOFF = 'capped-exponential';

export const OutboxJobSchema = z.object({
  channel: ChannelIdSchema,
  message: OutboundMessageSchema,
  /** Ids the bot wrote into the text (the buyer's order number): not a phone or card number. */
  knownIds: z.array(z.string()).optional(),
  /** An order id: send only while that order is unpaid (a reminder held up by a down channel must not reach a buyer who paid since). */
  whileUnpaid: z.string().optional(),
  /** Marked undelivered in its conversation when it failed for good: a replay that gets through takes the mark off. */
  markedUndelivered: z.boolean().optional(),
});
export type OutboxJob = z.infer<typeof OutboxJobSchema>;

export interface Outbox extends QueueHandle {
  /**
   * Idempotent: the job id is the outbound messageId, so a re-run worker can't send twice. The
   * message joins its conversation's line first: it leaves after those queued before it.
   */
  enqueue(job: OutboxJob): Promise<void>;
}

/** The outbox with its BullMQ queue, for its own worker (outbox-worker.ts), which wakes a line's next job by id. */
export type OutboxWithQueue = Outbox & { queue: Queue };

export function createOutbox(
  redis: RedisClient,
  prefix: string,
  attempts: number,
  line: Pick<ConversationLine, 'join'>,
  log: Logger,
): OutboxWithQueue {
  const queue = new Queue(OUTBOX_QUEUE, {
    connection: redis,
    prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: CAPPED_BACKOFF },
      removeOnComplete: { age: 24 * 3600, count: 20_000 },
      // Failed sends are kept: they are listed by the admin API and can be replayed.
      removeOnFail: false,
    },
  });
  return {
    ...bullQueueHandle(queue, log),
    queue,
    async enqueue(job) {
      // In line before its job exists: a worker may take the job the moment it is added.
      await line.join(job.message.conversationId, job.message.messageId);
      await queue.add('send', job, { jobId: job.message.messageId });
    },
  };
}
