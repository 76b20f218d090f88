import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../src/orders/order-event.ts';
import { applyOrderEvent, type Order } from '../../src/orders/order.ts';

const NOW = new Date('2025-06-02T00:00:00.000Z');
const ITEMS = [{ productId: 'tee-1', sku: 'tee-1-M', qty: 2, price: 99 }];

function event(type: OrderEvent['type'], at: string, extra: Partial<OrderEvent> = {}): OrderEvent {
  return {
    eventId: `e-${type}`,
    type,
    orderId: 'o1',
    buyerId: 'b1',
    conversationId: 'c1',
    at,
    items: ITEMS,
    total: 198,
    ...extra,
  };
}

const apply = (events: OrderEvent[]): Order =>
  events.reduce<Order | undefined>((order, e) => applyOrderEvent(order, e, NOW), undefined)!;

const CREATED = event('created', '2025-06-01T08:00:00.000Z');
const PAID = event('paid', '2025-06-01T08:01:00.000Z', {
  items: [{ productId: 'unknown', qty: 1, price: 0 }],
  total: 0,
});
const SHIPPED = event('shipped', '2025-06-01T20:00:00.000Z');
const CANCELLED = event('cancelled', '2025-06-01T09:00:00.000Z');

describe('applyOrderEvent', () => {
  it('starts an order from its created event', () => {
    expect(apply([CREATED])).toEqual({
      orderId: 'o1',
      buyerId: 'b1',
      conversationId: 'c1',
      state: 'created',
      items: ITEMS,
      total: 198,
      at: { created: CREATED.at },
      notes: [],
      updatedAt: NOW.toISOString(),
    });
  });

  it('moves from created to paid to shipped', () => {
    expect(apply([CREATED]).state).toBe('created');
    expect(apply([CREATED, PAID]).state).toBe('paid');
    expect(apply([CREATED, PAID, SHIPPED]).state).toBe('shipped');
  });

  it('keeps the created items and total when later events carry others', () => {
    const order = apply([CREATED, PAID]);
    expect(order.items).toEqual(ITEMS);
    expect(order.total).toBe(198);
  });

  it('ends paid with the created items when paid arrives before created', () => {
    const order = apply([PAID, CREATED]);
    expect(order.state).toBe('paid');
    expect(order.items).toEqual(ITEMS);
    expect(order.total).toBe(198);
  });

  it('does not go back from shipped when paid arrives late', () => {
    expect(apply([CREATED, SHIPPED, PAID]).state).toBe('shipped');
  });

  it('lets a cancellation win whatever arrives after it', () => {
    expect(apply([CREATED, CANCELLED, PAID, SHIPPED]).state).toBe('cancelled');
    expect(apply([CANCELLED, CREATED]).state).toBe('cancelled');
  });

  it('cancels a paid order', () => {
    expect(apply([CREATED, PAID, CANCELLED]).state).toBe('cancelled');
  });

  it('keeps one timestamp per event type whatever the arrival order', () => {
    expect(apply([SHIPPED, CREATED, PAID]).at).toEqual({
      created: CREATED.at,
      paid: PAID.at,
      shipped: SHIPPED.at,
    });
  });

  it('does not change the order it was given', () => {
    const order = apply([CREATED]);
    const copy = structuredClone(order);
    applyOrderEvent(order, PAID, NOW);
    expect(order).toEqual(copy);
  });
});
