import { z } from 'zod';
import { OutboundMessageSchema } from '../channels/message.ts';
import type { HistoryEntry } from '../conversations/conversation.ts';
import type { OutboxJob } from './outbox-queue.ts';
import type { InboundJob } from '../queue/inbound-job.ts';

/**
 * A handled message's replies are sent after its commit, so a worker that dies in between leaves
 * them unsent. The commit keeps what is needed to send them again: the texts are in the history
 * (each reply's `inReplyTo` names the buyer message), and the done mark records the ids the texts
 * may show (the outbound guard lets an order number through only when it is known).
 */
const RecordSchema = z.object({ knownIds: z.array(z.string()) });

/** The done mark of a message whose replies were sent (or handed to the outbox): nothing to send again. */
export const DELIVERED_RECORD = JSON.stringify({ delivered: true });

export const wasDelivered = (record: string) => record === DELIVERED_RECORD;

/** The done mark of a buyer message whose replies were sent or handed to the outbox. */
export const deliveredMark = (messageId: string) => ({ messageId, record: DELIVERED_RECORD });

/** What the done mark of a handled message keeps until its replies are sent. */
export function repliesRecord(knownIds: readonly string[]): string {
  return JSON.stringify({ knownIds });
}

/** The replies a handled message got, rebuilt from the history: same messageIds, so the channel can drop what it has. */
export function repliesFromHistory(
  job: InboundJob,
  history: readonly HistoryEntry[],
  record: string,
): OutboxJob[] {
  const knownIds = readRecord(record);
  return history.flatMap((entry) => {
    if (entry.from !== 'bot' || entry.inReplyTo !== job.message.messageId) return [];
    const message = OutboundMessageSchema.safeParse({
      messageId: entry.messageId,
      conversationId: job.message.conversationId,
      buyerId: job.message.buyer.id,
      text: entry.text,
      from: 'bot',
      kind: entry.kind,
      inReplyTo: entry.inReplyTo,
    });
    return message.success
      ? [{ channel: job.channel, message: message.data, ...(knownIds.length ? { knownIds } : {}) }]
      : [];
  });
}

function readRecord(record: string): string[] {
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(record));
    return parsed.success ? parsed.data.knownIds : [];
  } catch {
    return []; // a mark written before records were kept ('1')
  }
}
