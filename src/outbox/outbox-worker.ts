import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Logger } from '../shared/logger.ts';
import { ChannelRefusedError, ChannelSendError, OutboundBlockedError } from '../shared/errors.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import { CAPPED_BACKOFF, OUTBOX_QUEUE, OutboxJobSchema, type OutboxJob } from './outbox-queue.ts';
import type { ChannelSender, SendMessage } from './send-message.ts';
import { retryDelayMs } from './retry-schedule.ts';
import type { ConversationLine } from './conversation-line.ts';

/**
 * A message behind another of its conversation waits until the one before it, once sent, wakes
 * it. In case that wake-up is lost it also looks again after 0.25 s, 0.5 s, 1 s … at most 60 s.
 */
const TURN_WAIT_MS = 250;
const TURN_WAIT_MAX_MS = 60_000;
/** A first in line with no job this long after it joined is taken out: its job was removed, or never added (a crash between the two). */
const MISSING_GRACE_MS = 30_000;
/**
 * A first in line that failed this many times, while the channel has taken other messages since it
 * was queued, is failing on its own (the channel refuses that one message): it leaves the line and
 * goes on retrying apart, so the conversation's later messages are not held for a day behind it.
 * (An outage that starts just after a success can so let one message through out of order.)
 */
const OVERTAKE_AFTER_FAILURES = 3;

export interface OutboxWorkerOptions {
  connection: RedisClient;
  lockMs: number;
  prefix: string;
  send: ChannelSender;
  concurrency: number;
  backoffMs: number;
  backoffMaxMs: number;
  metrics: Pick<Metrics, 'sendFailures'>;
  /** Whether the order is still unpaid, read just before a reminder goes out. */
  isUnpaid(orderId: string): Promise<boolean>;
  /** Each conversation's messages leave in the order they were queued. */
  line: ConversationLine;
  /** Notes on the message in its conversation's history that it never reached the buyer, and why. */
  markUndelivered(conversationId: string, messageId: string, reason: string | undefined): Promise<unknown>;
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
      const dropped = whileUnpaid !== undefined && !(await options.isUnpaid(whileUnpaid));
      if (dropped)
        log.info(
          { messageId: message.messageId, orderId: whileUnpaid },
          'reminder dropped: the order was paid or closed before it could be sent',
        );
      const delivered = dropped ? 'dropped' : await sendOrGiveUp(parsed.data, job, token);
      await leaveLine(message.conversationId, message.messageId);
      // Replayed after failing for good, and through now: the conversation no longer says otherwise.
      if (delivered === 'sent' && parsed.data.markedUndelivered)
        await options.markUndelivered(message.conversationId, message.messageId, undefined);
      return { delivered };
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      maxStalledCount: 5,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === CAPPED_BACKOFF ? retryDelayMs(attemptsMade, options.backoffMs, options.backoffMaxMs) : -1,
      },
    },
  );
  /**
   * A message the outbound guard blocks, or the channel refuses for good, is not retried. One the
   * channel asks to send again later (Telegram's 429 retry_after) waits that long, using no attempt.
   */
  async function sendOrGiveUp(
    data: OutboxJob,
    job: Job,
    token: string | undefined,
  ): Promise<Awaited<ReturnType<SendMessage>>> {
    try {
      return await options.send(data);
    } catch (err) {
      if (err instanceof OutboundBlockedError || err instanceof ChannelRefusedError)
        throw new UnrecoverableError(err.message);
      if (err instanceof ChannelSendError && err.retryAfterMs !== undefined) {
        log.warn(
          { messageId: data.message.messageId, channel: data.channel, retryAfterMs: err.retryAfterMs },
          'the channel asked to wait before sending again',
        );
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      throw err;
    }
  }

  /**
   * Whether the message is first in its conversation's line (or in none). If not, it waits: moved
   * back to delayed, without using an attempt, until the one before it wakes it. A first in line
   * that is done (sent or given up on, but still in line because Redis failed just then), has no
   * job, or fails on its own is taken out of the line first.
   */
  async function myTurn(job: Job, conversationId: string, token: string | undefined): Promise<boolean> {
    for (;;) {
      const turn = await options.line.turn(conversationId, job.id!);
      if (turn.go) return true;
      if (!(await passable(turn.first, turn.joinedAt))) break;
      log.warn(
        { messageId: turn.first, next: job.id },
        "taken out of its conversation's line: done, gone, or failing on its own",
      );
      await options.line.leave(conversationId, turn.first);
    }
    const looks = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
    await job.moveToDelayed(Date.now() + Math.min(TURN_WAIT_MAX_MS, TURN_WAIT_MS * 2 ** looks), token);
    // The one before may have left between the look and the move, and found nothing to wake.
    if ((await options.line.turn(conversationId, job.id!)).go) await job.promote().catch(() => undefined);
    return false;
  }

  async function passable(firstId: string, joinedAt: number): Promise<boolean> {
    const first = await options.queue.getJob(firstId);
    if (!first) return Date.now() - joinedAt > MISSING_GRACE_MS;
    const state = await first.getState();
    if (state === 'completed' || state === 'failed') return true;
    // Failing on its own: refused again and again, while the channel took messages queued after it (direct answers count).
    return (
      state === 'delayed' &&
      first.attemptsMade >= OVERTAKE_AFTER_FAILURES &&
      options.send.lastSentAt((first.data as Partial<OutboxJob>).channel ?? 'generic') > first.timestamp
    );
  }

  /** Out of the line once sent, dropped or given up on; the next in line is woken. Best effort: a leftover is cleared by the next one's look. */
  async function leaveLine(conversationId: string, messageId: string): Promise<void> {
    try {
      const next = await options.line.leave(conversationId, messageId);
      const waiting = next ? await options.queue.getJob(next) : undefined;
      if (waiting && (await waiting.isDelayed())) await waiting.promote();
    } catch (err) {
      log.warn(
        { err: (err as Error).message, messageId },
        "could not take a sent message out of its conversation's line",
      );
    }
  }

  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    const message = (job.data as { message?: { conversationId?: string } } | undefined)?.message;
    if (final && job.id && typeof message?.conversationId === 'string') {
      void leaveLine(message.conversationId, job.id);
      Promise.all([
        options.markUndelivered(message.conversationId, job.id, err.message),
        job.updateData({ ...(job.data as OutboxJob), markedUndelivered: true }),
      ]).catch((markErr: unknown) =>
        log.warn(
          { err: (markErr as Error).message, messageId: job.id },
          'could not mark a message undelivered',
        ),
      );
    }
    options.metrics.sendFailures.inc({ final: String(final) });
    const fields = { messageId: job.id, attemptsMade: job.attemptsMade, err };
    if (final) log.error(fields, 'message not delivered after all retries; kept for replay');
    else log.warn(fields, 'send failed; retrying');
  });
  return worker;
}
