import { UnrecoverableError, Worker } from 'bullmq';
import type { RedisClient } from '../shared/redis.ts';
import type { Logger } from '../shared/logger.ts';
import { OutboundBlockedError } from '../shared/errors.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import { CAPPED_BACKOFF, OUTBOX_QUEUE, OutboxJobSchema } from './outbox-queue.ts';
import type { SendMessage } from './send-message.ts';
import { retryDelayMs } from './retry-schedule.ts';

export interface OutboxWorkerOptions {
  connection: RedisClient;
  lockMs: number;
  prefix: string;
  send: SendMessage;
  concurrency: number;
  backoffMs: number;
  backoffMaxMs: number;
  metrics: Pick<Metrics, 'sendFailures'>;
  /** Whether the order is still unpaid, read just before a reminder goes out. */
  isUnpaid(orderId: string): Promise<boolean>;
  log: Logger;
}

/** Sends each outbound message through the channel, retrying with capped exponential backoff. */
export function createOutboxWorker(options: OutboxWorkerOptions): Worker {
  const log = options.log.child({ module: 'outbox' });
  const worker = new Worker(
    OUTBOX_QUEUE,
    async (job) => {
      const parsed = OutboxJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad outbox job: ${parsed.error.message}`);
      const { message, whileUnpaid } = parsed.data;
      if (whileUnpaid && !(await options.isUnpaid(whileUnpaid))) {
        log.info({ messageId: message.messageId, orderId: whileUnpaid }, 'reminder dropped: the order was paid or closed before it could be sent');
        return { delivered: 'dropped' };
      }
      try {
        return { delivered: await options.send(parsed.data) };
      } catch (err) {
        if (err instanceof OutboundBlockedError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency, lockDuration: options.lockMs, stalledInterval: options.lockMs, maxStalledCount: 5,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === CAPPED_BACKOFF ? retryDelayMs(attemptsMade, options.backoffMs, options.backoffMaxMs) : -1,
      },
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    options.metrics.sendFailures.inc({ final: String(final) });
    const fields = { messageId: job.id, attemptsMade: job.attemptsMade, err };
    if (final) log.error(fields, 'message not delivered after all retries; kept for replay');
    else log.warn(fields, 'send failed; retrying');
  });
  return worker;
}
