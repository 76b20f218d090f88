import type { OutboundMessage } from '../channels/message.ts';
import type { HistoryEntry } from '../conversations/conversation.ts';
import type { Outbox, OutboxJob } from './outbox-queue.ts';

/**
 * Puts one message for a buyer in the outbox and returns the conversation-history entry for it;
 * the caller stores the entry with its own state (in one MULTI, or by appending).
 */
export async function queueMessage(
  outbox: Pick<Outbox, 'enqueue'>,
  job: Pick<OutboxJob, 'channel' | 'message' | 'knownIds' | 'whileUnpaid'>,
  at: Date,
): Promise<HistoryEntry> {
  await outbox.enqueue({
    channel: job.channel,
    message: job.message,
    ...(job.knownIds?.length ? { knownIds: job.knownIds } : {}),
    ...(job.whileUnpaid ? { whileUnpaid: job.whileUnpaid } : {}),
  });
  return historyEntryFor(job.message, at);
}

/** How a message to the buyer is kept in the conversation's history. */
export function historyEntryFor(message: OutboundMessage, at: Date): HistoryEntry {
  return {
    messageId: message.messageId,
    from: message.from,
    text: message.text,
    at: at.toISOString(),
    kind: message.kind,
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
  };
}
