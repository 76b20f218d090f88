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
  /** The URL's query (WeCom signs its callbacks there). */
  query?: Record<string, unknown>;
}

/**
 * A channel's inbound side: verifies its platform's webhook request and reads the buyer messages
 * in it. Throws an AppError (SignatureError, ValidationError) for a request it can't take.
 */
export interface ChannelInbound {
  readonly id: ChannelId;
  /** The last part of its webhook's path, /v1/channels/<id>/<path> (`webhook` when unset). */
  readonly path?: string;
  readMessages(request: WebhookRequest): InboundMessage[] | Promise<InboundMessage[]>;
  /**
   * The platform's GET handshake when the shop registers the webhook: the text to answer, or
   * undefined to refuse it (403); may throw an AppError (SignatureError: 401).
   */
  handshake?(query: Record<string, unknown>): string | undefined;
}

/**
 * What a platform allows to be sent to a conversation now: WhatsApp's 24-hour window, WeCom's
 * budget of messages per buyer message. `template`: a reminder may still go, as the shop's
 * approved template instead of free text.
 */
export type SendState =
  | { open: true; windowEndsAt?: string | undefined; template?: boolean; messagesLeft?: number }
  | {
      open: false;
      /** HELD_BY_SERVICER: a person on the platform's own app has the buyer (reminders wait). */
      code: 'WINDOW_CLOSED' | 'BUDGET_SPENT' | 'HELD_BY_SERVICER';
      reason: string;
      windowEndsAt?: string | undefined;
    };

/** A channel's rules on what may be sent when, asked before an agent types and before a reminder is written. */
export interface SendLimits {
  state(conversationId: string, kind: OutboundMessage['kind']): Promise<SendState>;
}

/** The channels with such rules, by id; the others send whenever there is something to send. */
export type ChannelLimits = Partial<Record<ChannelId, SendLimits>>;

/** The ports of the channels that send, by id; a channel without one only stores (the web chat polls). */
export type ChannelPorts = Partial<Record<ChannelId, ChannelPort>>;
