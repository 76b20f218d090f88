import { z } from 'zod';

export const OutboundMessageSchema = z.object({
  messageId: z.string().min(1),
  conversationId: z.string().min(1),
  buyerId: z.string().min(1),
  text: z.string().min(1),
  from: z.enum(['bot', 'agent']),
  kind: z.enum(['answer', 'handoff', 'reminder', 'agent']),
  inReplyTo: z.string().optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;

/** The shop's own messaging API: the one outside system we fake in tests. */
export interface ChannelPort {
  readonly name: string;
  /**
   * Resolves when the channel took the message; throws ChannelSendError to be retried.
   * `timeoutMs`: give up sooner than the channel's own timeout (CHANNEL_TIMEOUT_MS).
   */
  send(message: OutboundMessage, timeoutMs?: number): Promise<void>;
}
