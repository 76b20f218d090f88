import type { ChannelId, InboundMessage, OutboundMessage } from './message.ts';

/**
 * A channel's platform API for sending: the outside system tests fake. Each channel's adapter
 * (channels/<id>/) implements it with the platform's own limits and errors mapped to ours.
 */
export interface ChannelPort {
  readonly id: ChannelId;
  /**
   * Resolves when the channel took the message; throws ChannelSendError to be retried.
   * `timeoutMs`: give up sooner than the channel's own timeout (CHANNEL_TIMEOUT_MS).
   */
  send(message: OutboundMessage, timeoutMs?: number): Promise<void>;
}

/** One webhook request as the platform sent it: the raw bytes (signatures are over them) and headers. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * A channel's inbound side: verifies its platform's webhook request and reads the buyer messages
 * in it. Throws an AppError (SignatureError, ValidationError) for a request it can't take.
 */
export interface ChannelInbound {
  readonly id: ChannelId;
  readMessages(request: WebhookRequest): InboundMessage[];
}

/** The ports of the channels that send, by id; a channel without one only stores (the web chat polls). */
export type ChannelPorts = Partial<Record<ChannelId, ChannelPort>>;
