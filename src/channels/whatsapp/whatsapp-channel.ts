import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelRefusedError, ChannelSendError, SignatureError } from '../../shared/errors.ts';
import { parseJsonBody } from '../../shared/parse-input.ts';
import type { ChannelInbound, ChannelPort, SendLimits, SendState } from '../channel.ts';
import type { OutboundMessage } from '../message.ts';
import { createJsonPoster, type JsonAnswer } from '../post-json.ts';
import type { ReplyWindows } from '../redis-reply-window.ts';
import type { SendPace } from '../redis-send-pace.ts';
import { slotWaitMs, takeSendSlot } from '../send-slot.ts';
import { readWhatsAppWebhook } from './whatsapp-webhook.ts';

export const WHATSAPP_SIGNATURE_HEADER = 'x-hub-signature-256';
/** WhatsApp's customer service window: free text only this long after the buyer's last message. */
export const WHATSAPP_WINDOW_MS = 24 * 3600_000;
const CONVERSATION = /^whatsapp:([^:]+):(.+)$/;

export interface WhatsAppChannel extends ChannelInbound {
  readonly id: 'whatsapp';
  /** The subscribe handshake: the challenge to echo when the verify token matches, else undefined. */
  handshake(query: Record<string, unknown>): string | undefined;
  port: ChannelPort;
  limits: SendLimits;
}

export interface WhatsAppOptions {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  apiBase: string;
  /** The approved template an unpaid-order reminder goes as outside the window (its body's {{1}} is the product). */
  reminderTemplate: { name: string; language: string } | undefined;
  timeoutMs: number;
  windows: ReplyWindows;
  pace: SendPace;
  now: () => Date;
}

/**
 * WhatsApp Cloud API (CONTRACT.md "Real channels"): Meta's webhook, signed with the app secret
 * over the raw body; replies through the Graph API's /<phone number id>/messages. Free text goes
 * only within 24 h of the buyer's last message; outside, a reminder goes as the shop's template
 * (or not at all) and everything else is refused.
 */
export function createWhatsAppChannel(options: WhatsAppOptions): WhatsAppChannel {
  const post = createJsonPoster(options.apiBase, 'WhatsApp');

  async function state(conversationId: string, kind: OutboundMessage['kind']): Promise<SendState> {
    const endsAt = await options.windows.endsAt(conversationId);
    const windowEndsAt = endsAt?.toISOString();
    if (endsAt && endsAt > options.now()) return { open: true, windowEndsAt };
    if (kind === 'reminder' && options.reminderTemplate) return { open: true, windowEndsAt, template: true };
    return {
      open: false,
      code: 'WINDOW_CLOSED',
      reason:
        kind === 'reminder'
          ? "outside WhatsApp's 24-hour window, and no WHATSAPP_REMINDER_TEMPLATE to send instead"
          : "outside WhatsApp's 24-hour window: the buyer's last message was over 24 h ago",
      windowEndsAt,
    };
  }

  return {
    id: 'whatsapp',
    handshake(query) {
      const challenge = query['hub.challenge'];
      const given = Buffer.from(String(query['hub.verify_token'] ?? ''));
      const expected = Buffer.from(options.verifyToken);
      const matches = given.length === expected.length && timingSafeEqual(given, expected);
      return query['hub.mode'] === 'subscribe' && matches && typeof challenge === 'string'
        ? challenge
        : undefined;
    },
    async readMessages(request) {
      verifySignature(options.appSecret, request.headers[WHATSAPP_SIGNATURE_HEADER], request.body);
      const { messages, wrote } = readWhatsAppWebhook(parseJsonBody(request.body), options.phoneNumberId);
      // Any message opens the window (a photo, a tap on the reminder's button), not only text.
      for (const { conversationId, at } of wrote) await options.windows.opened(conversationId, at);
      return messages;
    },
    limits: { state },
    port: {
      id: 'whatsapp',
      async send(message, timeoutMs = options.timeoutMs) {
        const match = CONVERSATION.exec(message.conversationId);
        if (!match)
          throw new ChannelRefusedError(`"${message.conversationId}" is not a WhatsApp conversation`);
        const [, phoneNumberId, to] = match as unknown as [string, string, string];
        if (phoneNumberId !== options.phoneNumberId)
          throw new ChannelRefusedError(
            `sent from ${phoneNumberId}, not the shop's WHATSAPP_PHONE_NUMBER_ID`,
          );
        const now = await state(message.conversationId, message.kind);
        if (!now.open) throw new ChannelRefusedError(now.reason);
        const template = now.template ? options.reminderTemplate : undefined;
        if (template && !message.productName)
          throw new ChannelRefusedError(
            "the reminder template needs the product's name, and the order's product is unknown",
          );
        const body = template
          ? {
              messaging_product: 'whatsapp',
              to,
              type: 'template',
              template: {
                name: template.name,
                language: { code: template.language },
                components: [{ type: 'body', parameters: [{ type: 'text', text: message.productName }] }],
              },
            }
          : { messaging_product: 'whatsapp', to, type: 'text', text: { body: message.text } };
        await takeSendSlot(options.pace, to, 'WhatsApp', slotWaitMs(timeoutMs, options.timeoutMs));
        const answer = await post(`${phoneNumberId}/messages`, body, {
          timeoutMs: options.timeoutMs,
          headers: { authorization: `Bearer ${options.accessToken}` },
        });
        throwUnlessSent(answer);
      },
    },
  };
}

function verifySignature(secret: string, header: string | string[] | undefined, body: Buffer): void {
  const given = typeof header === 'string' && header.startsWith('sha256=') ? header.slice(7) : '';
  const expected = createHmac('sha256', secret).update(body).digest('hex');
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new SignatureError(
      `the ${WHATSAPP_SIGNATURE_HEADER} header is not the app secret's signature of the body`,
    );
}

interface GraphError {
  error?: { code?: number; message?: string; error_data?: { details?: string } };
}

/** Meta's rate limits, by error code: how long to wait before trying again. */
const WAIT_MS: Record<number, number> = {
  130429: 1_000, // the number's throughput (80 messages a second by default)
  131056: 6_000, // too many messages to one buyer: about one every 6 s once a burst is spent
  4: 60_000, // the app's call limit
  80007: 60_000, // the WhatsApp Business Account's call limit
};
/** Worth trying again later: Meta's side failed, or the token is wrong (the shop fixes it and the queued messages go). */
const RETRY = new Set([0, 1, 2, 190, 131000, 131016, 133004]);

/**
 * Graph API answers: 200 with `messages[0].id` is sent. Rate limits wait (WAIT_MS); Meta's own
 * failures and a bad token are retried with backoff; any other error refuses this message for
 * good (outside the window, a number not on WhatsApp, a template not approved): never retried.
 */
function throwUnlessSent(answer: JsonAnswer): void {
  if (answer.status >= 200 && answer.status < 300) return;
  const error = (answer.json as GraphError | undefined)?.error;
  const code = error?.code;
  const reason = `WhatsApp answered ${answer.status}${code !== undefined ? ` (${code})` : ''}${error?.message ? `: ${error.message}` : ''}`;
  if (code !== undefined && WAIT_MS[code] !== undefined)
    throw new ChannelSendError(reason, { retryAfterMs: WAIT_MS[code] });
  if (answer.status >= 500 || answer.status === 429 || code === undefined || RETRY.has(code))
    throw new ChannelSendError(reason);
  throw new ChannelRefusedError(reason);
}
