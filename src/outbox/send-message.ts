import type { ChannelPorts } from '../channels/channel.ts';
import type { ChannelId } from '../channels/message.ts';
import { checkOutbound } from '../guard/check-outbound.ts';
import type { RefusedLog } from '../guard/refused-log.ts';
import { rememberVerdicts } from '../guard/remember-verdicts.ts';
import { OutboundBlockedError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import type { OutboxJob } from './outbox-queue.ts';

export interface SendMessageDeps {
  /** The channels that send; a message for any other (the web chat, or no CHANNEL_SEND_URL) is only stored. */
  channels: ChannelPorts;
  /** The shop's own domains: the only links a message may carry. */
  ownDomains: readonly string[];
  metrics: Pick<Metrics, 'sent'>;
  log: Logger;
  /** Where refused messages are recorded for the shop (absent: only logged). */
  refused?: Pick<RefusedLog, 'record'>;
}

/** `timeoutMs`: wait at most this long for the channel (else its own CHANNEL_TIMEOUT_MS). */
export type SendMessage = (job: OutboxJob, timeoutMs?: number) => Promise<'sent' | 'stored'>;

/** A SendMessage that also tells when a channel last took a message from this process (0: never). */
export interface ChannelSender extends SendMessage {
  lastSentAt(channel: ChannelId): number;
}

/**
 * One message to a buyer through the shop's channel, after the outbound guard: whatever produced
 * the text, the shop's rules hold. Throws OutboundBlockedError (don't retry) or ChannelSendError
 * (retry). Used by the outbox worker and by the inbound worker's first, immediate try.
 */
export function createSendMessage(deps: SendMessageDeps): ChannelSender {
  const lastSentAt: Partial<Record<ChannelId, number>> = {};
  const check = rememberVerdicts((text, knownIds) => checkOutbound(text, deps.ownDomains, knownIds));
  const send: SendMessage = async ({ channel, message, knownIds }, timeoutMs) => {
    const verdict = check(message.text, knownIds);
    if (!verdict.ok) {
      deps.log.error(
        {
          messageId: message.messageId,
          conversationId: message.conversationId,
          from: message.from,
          kind: message.kind,
          rule: verdict.rule,
        },
        'message blocked by the outbound guard',
      );
      await deps.refused?.record({
        rule: verdict.rule,
        from: message.from === 'agent' ? 'agent' : 'bot',
        conversationId: message.conversationId,
        messageId: message.messageId,
        match: verdict.match,
        at: new Date(),
      });
      throw new OutboundBlockedError(verdict.rule);
    }
    const port = deps.channels[channel];
    if (!port) return 'stored';
    await port.send(message, timeoutMs);
    lastSentAt[channel] = Date.now();
    deps.metrics.sent.inc({ kind: message.kind, from: message.from, channel });
    deps.log.info(
      { messageId: message.messageId, conversationId: message.conversationId, kind: message.kind },
      'message sent',
    );
    return 'sent';
  };
  return Object.assign(send, { lastSentAt: (channel: ChannelId) => lastSentAt[channel] ?? 0 });
}
