import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { RedisClient } from '../shared/redis.ts';
import type { Logger } from '../shared/logger.ts';
import { OutboundBlockedError } from '../shared/errors.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import { CAPPED_BACKOFF, OUTBOX_QUEUE, OutboxJobSchema } from './outbox-queue.ts';
import type { SendMessage } from './send-message.ts';
import { retryDelayMs } from './retry-schedule.ts';
import type { ConversationLine } from './conversation-line.ts';

/** A message behind another of its conversation waits, and looks again after 0.25 s, 0.5 s, 1 s … at most 5 s (the one before it, once sent, calls it at once). */
const TURN_WAIT_MS = 250;
const TURN_WAIT_MAX_MS = 5_000;
/** A message first in line whose job cannot be found after this many looks is taken out of the line (its job was removed, or never added: a crash between the two). */
const MISSING_LOOKS = 3;

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
  /** Each conversation's messages leave in the order they were queued. */
  line: ConversationLine;
  /** The outbox queue: to look at (and wake) the message first in a conversation's line. */
  queue: Queue;
  log: Logger;
}

/** Sends each outbound message through the channel, retrying with capped exponential backoff. */
export function createOutboxWorker(options: OutboxWorkerOptions): Worker {
  const log = options.log.child({ module: 'outbox' });
  const worker = new Worker(
    OUTBOX_QUEUE,
    async (job, token) => {
      const parsed = OutboxJobSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad outbox job: ${parsed.error.message}`);
      const { message, whileUnpaid } = parsed.data;
      if (!(await myTurn(job, message.conversationId, token))) throw new DelayedError();
      if (whileUnpaid && !(await options.isUnpaid(whileUnpaid))) {
        log.info({ messageId: message.messageId, orderId: whileUnpaid }, 'reminder dropped: the order was paid or closed before it could be sent');
        await leaveLine(message.conversationId, message.messageId);
        return { delivered: 'dropped' };
      }
      let delivered: Awaited<ReturnType<SendMessage>>;
      try {
        delivered = await options.send(parsed.data);
      } catch (err) {
        if (err instanceof OutboundBlockedError) throw new UnrecoverableError(err.message);
        throw err;
      }
      await leaveLine(message.conversationId, message.messageId);
      return { delivered };
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
  /**
   * Whether the message is first in its conversation's line (or in none). If not, it waits: moved
   * back to delayed, without using an attempt. The one first in line, if it was sent or given up
   * on without leaving the line (Redis failed just then), or has no job, is taken out first.
   */
  async function myTurn(job: Job, conversationId: string, token: string | undefined): Promise<boolean> {
    for (;;) {
      const turn = await options.line.turn(conversationId, job.id!);
      if (turn.go) return true;
      const first = await options.queue.getJob(turn.first);
      const state = first ? await first.getState() : 'unknown';
      const looks = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
      const gone = state === 'completed' || state === 'failed' || (state === 'unknown' && looks >= MISSING_LOOKS);
      if (!gone) break;
      await options.line.leave(conversationId, turn.first);
    }
    const looks = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
    await job.moveToDelayed(Date.now() + Math.min(TURN_WAIT_MAX_MS, TURN_WAIT_MS * 2 ** looks), token);
    return false;
  }

  /** Out of the line once sent, dropped or given up on; the next in line is woken. Best effort: a leftover is cleared by the next one's look. */
  async function leaveLine(conversationId: string, messageId: string): Promise<void> {
    try {
      const next = await options.line.leave(conversationId, messageId);
      const waiting = next ? await options.queue.getJob(next) : undefined;
      if (waiting && (await waiting.isDelayed())) await waiting.promote();
    } catch (err) {
      log.warn({ err: (err as Error).message, messageId }, 'could not take a sent message out of its conversation\'s line');
    }
  }

  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    const message = (job.data as { message?: { conversationId?: string } } | undefined)?.message;
    if (final && job.id && typeof message?.conversationId === 'string') void leaveLine(message.conversationId, job.id);
    options.metrics.sendFailures.inc({ final: String(final) });
    const fields = { messageId: job.id, attemptsMade: job.attemptsMade, err };
    if (final) log.error(fields, 'message not delivered after all retries; kept for replay');
    else log.warn(fields, 'send failed; retrying');
  });
  return worker;
}
