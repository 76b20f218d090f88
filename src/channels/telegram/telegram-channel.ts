import { timingSafeEqual } from 'node:crypto';
import { ChannelRefusedError, ChannelSendError, SignatureError } from '../../shared/errors.ts';
import { parseJsonBody } from '../../shared/parse-input.ts';
import type { ChannelInbound, ChannelPort } from '../channel.ts';
import type { OutboundMessage } from '../message.ts';
import { createJsonPoster, type JsonAnswer } from '../post-json.ts';
import type { SendPace } from '../redis-send-pace.ts';
import { slotWaitMs, takeSendSlot } from '../send-slot.ts';
import { readTelegramUpdate } from './telegram-update.ts';

export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const CONVERSATION_PREFIX = 'telegram:';

export interface TelegramChannel extends ChannelInbound {
  readonly id: 'telegram';
  port: ChannelPort;
}

/**
 * Telegram (CONTRACT.md "Real channels"): the webhook Telegram calls with each update, checked by
 * the secret it was registered with (setWebhook's secret_token), and sendMessage to answer.
 * Sends keep Telegram's pace (`pace`); a 429 waits its retry_after.
 */
export function createTelegramChannel(options: {
  botToken: string;
  webhookSecret: string;
  apiBase: string;
  timeoutMs: number;
  pace: SendPace;
}): TelegramChannel {
  const secret = Buffer.from(options.webhookSecret);
  const post = createJsonPoster(options.apiBase, 'Telegram');
  return {
    id: 'telegram',
    readMessages(request) {
      const header = request.headers[TELEGRAM_SECRET_HEADER];
      const given = Buffer.from(typeof header === 'string' ? header : '');
      if (given.length !== secret.length || !timingSafeEqual(given, secret))
        throw new SignatureError(
          `the ${TELEGRAM_SECRET_HEADER} header does not match TELEGRAM_WEBHOOK_SECRET`,
        );
      return readTelegramUpdate(parseJsonBody(request.body));
    },
    port: {
      id: 'telegram',
      async send(message: OutboundMessage, timeoutMs = options.timeoutMs) {
        const chatId = chatOf(message.conversationId);
        await takeSendSlot(options.pace, chatId, 'Telegram', slotWaitMs(timeoutMs, options.timeoutMs));
        const answer = await post(
          `bot${options.botToken}/sendMessage`,
          { chat_id: chatId, text: message.text },
          { timeoutMs: options.timeoutMs },
        );
        throwUnlessSent(answer);
      },
    },
  };
}

function chatOf(conversationId: string): string {
  const chat = conversationId.startsWith(CONVERSATION_PREFIX)
    ? conversationId.slice(CONVERSATION_PREFIX.length)
    : '';
  if (!/^-?\d{1,20}$/.test(chat)) throw new ChannelRefusedError(`"${conversationId}" is not a Telegram chat`);
  return chat;
}

interface TelegramError {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number };
}

/**
 * Telegram's answers (core.telegram.org/bots/api#making-requests): `ok` true is sent. 429 asks to
 * wait `retry_after` seconds. 400 and 403 refuse this message for good (the buyer blocked the
 * bot, the chat is gone, the text is refused): never retried. Anything else (5xx, 401 or 404 for a
 * token Telegram does not know: the shop fixes it and the message goes then) is retried.
 */
function throwUnlessSent(answer: JsonAnswer): void {
  const body = (answer.json ?? {}) as TelegramError;
  if (answer.status === 200 && body.ok === true) return;
  const reason = `Telegram answered ${answer.status}${body.description ? `: ${body.description}` : ''}`;
  if (answer.status === 429) {
    const seconds = Number(body.parameters?.retry_after ?? answer.headers['retry-after'] ?? 1);
    throw new ChannelSendError(reason, { retryAfterMs: (Number.isFinite(seconds) ? seconds : 1) * 1000 });
  }
  if (answer.status === 400 || answer.status === 403) throw new ChannelRefusedError(reason);
  throw new ChannelSendError(reason);
}
