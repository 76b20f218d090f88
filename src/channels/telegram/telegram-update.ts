import { z } from 'zod';
import { validated } from '../../shared/parse-input.ts';
import { InboundMessageSchema, type InboundMessage } from '../message.ts';

/** The parts of a Telegram Update (core.telegram.org/bots/api#update) a buyer message uses; the rest is ignored. */
const UpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: z
    .object({
      date: z.number().int().nonnegative(),
      chat: z.object({ id: z.number().int() }),
      from: z
        .object({
          id: z.number().int(),
          is_bot: z.boolean().optional(),
          first_name: z.string().optional(),
          language_code: z.string().optional(),
        })
        .optional(),
      text: z.string().optional(),
    })
    .optional(),
});

/** Telegram allows 4,096 characters; we read a buyer's first 2,000, as on every channel. */
const TEXT_KEPT = 2000;

/** `/start <payload>` from a t.me/<bot>?start=<payload> link; Telegram allows A-Za-z0-9_- up to 64 characters. */
const START = /^\/start(?:@\w+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;

/**
 * Pressing Start is the buyer saying hello: it is read as a greeting in the language their
 * Telegram app uses (the history shows the greeting, not the command).
 */
function greetingFor(languageCode: string | undefined): string {
  const language = (languageCode ?? '').toLowerCase();
  if (language.startsWith('zh')) return '你好';
  if (language.startsWith('es')) return 'hola';
  return 'hello';
}

/**
 * The buyer message in a Telegram update, if it has one (CONTRACT.md "Telegram"): a message with
 * text from a person. Anything else (an edit, a photo, a bot, a button press) has none: the update
 * is taken and nothing is answered. Throws ValidationError for a body that is not an update.
 */
export function readTelegramUpdate(json: unknown): InboundMessage[] {
  const update = validated(UpdateSchema, json, 'Telegram update');
  const message = update.message;
  if (!message?.from || message.from.is_bot || message.text === undefined) return [];
  const start = START.exec(message.text.trim());
  const text = start ? greetingFor(message.from.language_code) : message.text.slice(0, TEXT_KEPT);
  const parsed = InboundMessageSchema.safeParse({
    messageId: String(update.update_id),
    conversationId: `telegram:${message.chat.id}`,
    buyer: {
      id: String(message.from.id),
      ...(message.from.first_name ? { name: message.from.first_name.slice(0, 100) } : {}),
    },
    text,
    sentAt: new Date(message.date * 1000).toISOString(),
    ...(start?.[1] ? { productId: start[1] } : {}),
  });
  // A text that is empty once cleaned (only spaces or control characters) asks nothing.
  return parsed.success ? [parsed.data] : [];
}
