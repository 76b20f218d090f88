import { z } from 'zod';
import { sanitizeText } from '../sanitize-text.ts';
import { isWebConversationId, WEB_CONVERSATION_PREFIX } from '../web/web-conversation-id.ts';

const id = z.string().trim().min(1).max(200);
/** ISO-8601 with or without an offset (without one, it is read as UTC). */
const isoDate = z.iso
  .datetime({ offset: true, local: true })
  .transform((t) => (/(Z|[+-]\d\d:?\d\d)$/i.test(t) ? t : `${t}Z`));

export const InboundMessageSchema = z.object({
  messageId: id,
  conversationId: id,
  buyer: z.object({ id, name: z.string().max(100).optional() }),
  text: z.string().max(2000, 'text is over 2000 characters').transform(sanitizeText).pipe(z.string().min(1, 'text is empty')),
  sentAt: isoDate.optional(),
  productId: id.optional(),
  orderId: id.optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

/** The built-in web chat's prefix is its own: a channel's conversation can't become, or reach into, a web chat. */
const channelConversationId = id.refine((value) => !isWebConversationId(value), `conversation ids starting with "${WEB_CONVERSATION_PREFIX}" belong to the built-in web chat`);

/** A buyer message as the generic channel may send it. */
export const GenericMessageSchema = InboundMessageSchema.extend({ conversationId: channelConversationId });

export const OrderEventSchema = z.object({
  eventId: id,
  type: z.enum(['created', 'paid', 'cancelled', 'shipped']),
  orderId: id,
  buyerId: id,
  conversationId: channelConversationId,
  at: isoDate,
  items: z
    .array(
      z.object({
        productId: id,
        sku: z.string().max(200).optional(),
        qty: z.number().int().positive().max(100_000),
        price: z.number().nonnegative().max(10_000_000),
      }),
    )
    .max(500),
  total: z.number().nonnegative().max(100_000_000),
})
  // paid, cancelled and shipped events may carry no items: the order's items come from created
  .refine((e) => e.type !== 'created' || e.items.length > 0, { path: ['items'], message: 'a created order needs at least one item' });
export type OrderEvent = z.infer<typeof OrderEventSchema>;
