import { z } from 'zod';
import type { OrderEvent } from '../channels/generic/generic-schema.ts';

export const OrderSchema = z.object({
  orderId: z.string(),
  buyerId: z.string(),
  conversationId: z.string(),
  state: z.enum(['created', 'paid', 'shipped', 'cancelled']),
  items: z.array(z.object({ productId: z.string(), sku: z.string().optional(), qty: z.number(), price: z.number() })),
  total: z.number(),
  at: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof OrderSchema>;

/** Later stages win whatever order the events arrive in; a cancellation ends the order. */
const RANK: Record<Order['state'], number> = { created: 0, paid: 1, shipped: 2, cancelled: 3 };

export function applyOrderEvent(order: Order | undefined, event: OrderEvent, now: Date): Order {
  const state = order && RANK[order.state] > RANK[event.type] ? order.state : event.type;
  return {
    orderId: event.orderId,
    buyerId: event.buyerId,
    conversationId: event.conversationId,
    state,
    items: event.type === 'created' || !order ? event.items : order.items,
    total: event.type === 'created' || !order ? event.total : order.total,
    at: { ...(order?.at ?? {}), [event.type]: event.at },
    updatedAt: now.toISOString(),
  };
}
