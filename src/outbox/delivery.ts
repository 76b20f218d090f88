import { HISTORY_KEPT, type ConversationStore } from '../conversations/conversation-store.ts';
import type { InboundJob } from '../queue/inbound-job.ts';
import {
  ChannelBusyError,
  ChannelRefusedError,
  ChannelSendError,
  OutboundBlockedError,
} from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Outbox, OutboxJob } from './outbox-queue.ts';
import { deliveredMark, repliesFromHistory, wasDelivered } from './replies-record.ts';
import type { SendMessage } from './send-message.ts';

export interface DeliveryDeps {
  send: SendMessage;
  outbox: Pick<Outbox, 'enqueue'>;
  /** Where a handled message's replies are kept, to be sent again after a crash. */
  conversations: Pick<ConversationStore, 'history' | 'markDelivered'>;
  log: Logger;
  /** After a failed send, how long replies go straight to the outbox before one tries the channel again. */
  pauseMs: number;
  /**
   * How long the immediate try waits for the channel: short, because the worker holds the
   * conversation and a worker slot meanwhile. A slower channel counts as failing; the outbox,
   * which holds nothing else, waits for it as long as CHANNEL_TIMEOUT_MS.
   */
  timeoutMs: number;
  now?: () => number;
}

/**
 * Sends a message's replies, in order; what can't go now goes to the outbox, which retries it.
 * `behind`: the conversation has messages waiting in the outbox, so these go there too, after them.
 */
export type Deliver = (jobs: readonly OutboxJob[], options?: { behind?: boolean }) => Promise<void>;

/** The one owner of getting a buyer's replies to the channel. */
export interface Delivery {
  deliver: Deliver;
  /**
   * A buyer message found handled already: its worker died after the commit. Unless its replies
   * went out, sends them again from the history kept (a buyer may have written many messages
   * since), with the same ids, and marks them sent. `done` is what the conversation's begin found.
   */
  redeliver(job: InboundJob, done: { record: string; inOutbox: number }): Promise<void>;
}

/**
 * A buyer's answer goes out at once from the worker that wrote it: a queue round trip less per
 * message while the channel answers. A send that fails (and every reply after it in the same
 * batch) goes to the outbox, which retries with backoff for a day. The caller has already stored
 * the replies with the conversation, so a crash in between is recovered by re-delivering them.
 *
 * The immediate try waits at most `timeoutMs`. While the channel is failing (or slower than
 * that), replies skip it: after a failure, for `pauseMs`, then one try at a time until one
 * succeeds. A slow or dead channel so costs the workers at most `timeoutMs` per slot once, then
 * one slot at a time.
 */
export function createDelivery(deps: DeliveryDeps): Delivery {
  const now = deps.now ?? Date.now;
  /** Per channel: one failing channel does not send another's replies the long way. */
  const paused = new Map<OutboxJob['channel'], { until: number; probing: boolean }>();

  async function tryNow(job: OutboxJob): Promise<boolean> {
    const pause = paused.get(job.channel);
    if (pause && (now() < pause.until || pause.probing)) return false;
    if (pause) pause.probing = true;
    try {
      await deps.send(job, deps.timeoutMs);
      paused.delete(job.channel);
      return true;
    } catch (err) {
      // Refused for this message alone (the outbox worker records both kinds where the admin API
      // lists failures), or paced (the outbox sends it when its slot comes). The guard's refusal and
      // the pace did not reach the channel; the channel's own refusal shows it is up.
      if (err instanceof OutboundBlockedError || err instanceof ChannelBusyError) {
        if (pause) pause.probing = false;
        return false;
      }
      if (err instanceof ChannelRefusedError) {
        paused.delete(job.channel);
        return false;
      }
      const current = paused.get(job.channel);
      if (!current || current === pause)
        deps.log.warn(
          {
            err: (err as Error).message,
            channel: job.channel,
            messageId: job.message.messageId,
            pauseMs: deps.pauseMs,
          },
          'send failed; replies go through the outbox for now',
        );
      // A new pause: the probe's (if this was one) is over either way.
      const waitMs = Math.max(deps.pauseMs, err instanceof ChannelSendError ? (err.retryAfterMs ?? 0) : 0);
      paused.set(job.channel, { until: now() + waitMs, probing: false });
      return false;
    }
  }

  const deliver: Deliver = async (jobs, options = {}) => {
    for (const [i, job] of jobs.entries()) {
      if (!options.behind && (await tryNow(job))) continue;
      for (const rest of jobs.slice(i)) await deps.outbox.enqueue(rest);
      return;
    }
  };

  return {
    deliver,
    async redeliver(job, done) {
      if (wasDelivered(done.record)) return;
      const { conversationId, messageId } = job.message;
      const history = await deps.conversations.history(conversationId, HISTORY_KEPT);
      await deliver(repliesFromHistory(job, history, done.record), { behind: done.inOutbox > 0 });
      await deps.conversations.markDelivered(conversationId, deliveredMark(messageId));
    },
  };
}
