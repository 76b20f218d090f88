import { z } from 'zod';
import { IsoDateSchema } from '../shared/iso-date.ts';
import { IdSchema } from '../shared/ids.ts';

/** An order event's fields, for a channel to narrow (the generic one refuses web-chat conversation ids). */
export const OrderEventFieldsSchema = z.object({
  eventId: IdSchema,
  type: z.enum(['created', 'paid', 'cancelled', 'shipped']),
  orderId: IdSchema,
  buyerId: IdSchema,
  conversationId: IdSchema,
  at: IsoDateSchema,
  items: z
    .array(
      z.object({
        productId: IdSchema,
        sku: z.string().max(200).optional(),
        qty: z.number().int().positive().max(100_000),
        price: z.number().nonnegative().max(10_000_000),
      }),
    )
    .max(500),
  total: z.number().nonnegative().max(100_000_000),
});

/** Paid, cancelled and shipped events may carry no items: the order's items come from created. */
export const withItemsWhenCreated = <S extends typeof OrderEventFieldsSchema>(schema: S) =>
  schema.refine((e) => e.type !== 'created' || e.items.length > 0, {
    path: ['items'],
    message: 'a created order needs at least one item',
  });

/** A change to an order on the shop's platform: created, paid, cancelled or shipped. */
export const OrderEventSchema = withItemsWhenCreated(OrderEventFieldsSchema);
export type OrderEvent = z.infer<typeof OrderEventSchema>;
