import { z } from 'zod';
import { sanitizeText } from './sanitize-text.ts';
import { IsoDateSchema } from '../shared/iso-date.ts';
import { IdSchema } from '../shared/ids.ts';

/** The channels a conversation can come from; each has an adapter under channels/<id>/. */
export const CHANNEL_IDS = ['generic', 'web', 'telegram', 'whatsapp', 'wecom'] as const;
export const ChannelIdSchema = z.enum(CHANNEL_IDS);
export type ChannelId = z.infer<typeof ChannelIdSchema>;

/**
 * The platforms' channels name their conversations `<channel>:<…>` (CONTRACT.md), so a
 * conversation's channel can be read off its id: an order event from the shop's platform that
 * names a Telegram chat is reminded there. Any other id is the generic channel's.
 */
export const NAMED_CHANNELS: readonly ChannelId[] = CHANNEL_IDS.filter((id) => id !== 'generic');

export function channelOfConversation(conversationId: string): ChannelId {
  const colon = conversationId.indexOf(':');
  const prefix = colon > 0 ? conversationId.slice(0, colon) : '';
  return NAMED_CHANNELS.find((channel) => channel === prefix) ?? 'generic';
}

/** A message text as buyers and agents send it: cleaned, 1–2000 characters. */
export const MessageTextSchema = z
  .string()
  .max(2000, 'text is over 2000 characters')
  .transform(sanitizeText)
  .pipe(z.string().min(1, 'text is empty'));

/** One buyer message, as every channel adapter hands it to the queue. */
export const InboundMessageSchema = z.object({
  messageId: IdSchema,
  conversationId: IdSchema,
  buyer: z.object({ id: IdSchema, name: z.string().max(100).optional() }),
  text: MessageTextSchema,
  sentAt: IsoDateSchema.optional(),
  productId: IdSchema.optional(),
  orderId: IdSchema.optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

/** One message from the bot or an agent, as the outbox hands it to a channel adapter. */
export const OutboundMessageSchema = z.object({
  messageId: z.string().min(1),
  conversationId: z.string().min(1),
  buyerId: z.string().min(1),
  text: z.string().min(1),
  from: z.enum(['bot', 'agent']),
  kind: z.enum(['answer', 'handoff', 'reminder', 'agent']),
  inReplyTo: z.string().optional(),
  /** A reminder's product, for a platform that sends reminders as a template naming it (WhatsApp). */
  productName: z.string().optional(),
});
export type OutboundMessage = z.infer<typeof OutboundMessageSchema>;
