import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '../shared/redis.ts';
import type { Logger } from '../shared/logger.ts';
import type { createHandleInbound } from './handle-inbound.ts';
import { INBOUND_QUEUE, InboundJobSchema } from './inbound-queue.ts';

const LOCKED_RETRY_MS = 100;
const SPIN_MS = 500;

export interface InboundWorkerOptions {
  connection: RedisClient;
  lockMs: number;
  prefix: string;
  concurrency: number;
  handleInbound: ReturnType<typeof createHandleInbound>;
  log: Logger;
}

/**
 * Runs the use case for each queued message. Messages of one conversation are handled one at a
 * time: a message whose conversation is busy goes back to the queue for a moment.
 */
export function createInboundWorker(options: InboundWorkerOptions): Worker {
  const log = options.log.child({ module: 'inbound' });
  const worker = new Worker(
    INBOUND_QUEUE,
    async (job, token) => {
      const parsed = InboundJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad inbound job: ${parsed.error.message}`);
      // Wait a little for the conversation's previous message to finish, which keeps its order;
      // a long wait goes back to the queue instead of holding a worker.
      const deadline = Date.now() + SPIN_MS;
      for (;;) {
        const outcome = await options.handleInbound(parsed.data);
        if (outcome.kind !== 'busy') return outcome.kind;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await job.moveToDelayed(Date.now() + LOCKED_RETRY_MS, token);
      throw new DelayedError();
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, lockDuration: options.lockMs, stalledInterval: options.lockMs, maxStalledCount: 5 },
  );
  worker.on('failed', (job, err) => {
    if (job) log.error({ jobId: job.id, attemptsMade: job.attemptsMade, err }, 'inbound message failed');
  });
  return worker;
}
