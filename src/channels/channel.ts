import type { OutboundMessage } from './message.ts';

/** The shop's own messaging API: the one outside system we fake in tests. */
export interface ChannelPort {
  readonly name: string;
  /**
   * Resolves when the channel took the message; throws ChannelSendError to be retried.
   * `timeoutMs`: give up sooner than the channel's own timeout (CHANNEL_TIMEOUT_MS).
   */
  send(message: OutboundMessage, timeoutMs?: number): Promise<void>;
}
