import { z } from 'zod';
import type { OrderEvent } from './order-event.ts';

export const OrderSchema = z.object({
  orderId: z.string(),
  buyerId: z.string(),
  conversationId: z.string(),
  state: z.enum(['created', 'paid', 'shipped', 'cancelled']),
  items: z.array(
    z.object({ productId: z.string(), sku: z.string().optional(), qty: z.number(), price: z.number() }),
  ),
  total: z.number(),
  /** When each event happened, by type, as the channel reported it. */
  at: z.partialRecord(z.enum(['created', 'paid', 'shipped', 'cancelled']), z.string()),
  reminder: z
    .object({
      scheduledFor: z.string().optional(),
      sentAt: z.string().optional(),
      convertedAt: z.string().optional(),
      skipped: z.string().optional(),
    })
    .optional(),
  /** Tasks and notes for the shop, shown on the desk ("stop at warehouse", invoice details…). */
  notes: z.array(z.object({ at: z.string(), kind: z.string(), text: z.string() })).default([]),
  invoice: z
    .object({
      title: z.string().optional(),
      taxId: z.string().optional(),
      requestedAt: z.string(),
      /** When the shop marked it issued (the orders page). */
      issuedAt: z.string().optional(),
    })
    .optional(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof OrderSchema>;
export type OrderState = Order['state'];

/** Later stages win whatever order the events arrive in; a cancellation ends the order. */
const RANK: Record<OrderState, number> = { created: 0, paid: 1, shipped: 2, cancelled: 3 };

export function applyOrderEvent(order: Order | undefined, event: OrderEvent, now: Date): Order {
  const state = order && RANK[order.state] > RANK[event.type] ? order.state : event.type;
  const fromCreated = event.type === 'created' || !order;
  return {
    ...(order ?? { notes: [] }),
    orderId: event.orderId,
    buyerId: event.buyerId,
    conversationId: event.conversationId,
    state,
    items: fromCreated ? event.items : order.items,
    total: fromCreated ? event.total : order.total,
    at: { ...(order?.at ?? {}), [event.type]: event.at },
    updatedAt: now.toISOString(),
  };
}

/** When the order was placed: the created event's time, else the earliest event we have. */
export function placedAt(order: Order): Date {
  const times = Object.values(order.at).map((t) => Date.parse(t));
  return new Date(order.at.created ? Date.parse(order.at.created) : Math.min(...times));
}
