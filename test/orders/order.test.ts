import { describe, expect, it } from 'vitest';
import type { OrderEvent } from '../../src/orders/order-event.ts';
import { applyOrderEvent, type Order } from '../../src/orders/order.ts';
import { Redis } from 'ioredis';
import { errorAnswer } from '../../src/http/error-middleware.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createRedisOrderStore } from '../../src/orders/redis-order-store.ts';
import { keys } from '../../src/shared/keys.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

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

describe('the orders of a day', () => {
  it('files an order under the day it was placed, and moves it when an earlier event comes late', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const prefix = uniquePrefix();
    try {
      const store = createRedisOrderStore(redis, keys(prefix), 3600, 'Asia/Shanghai');
      const base = { orderId: 'o-late', buyerId: 'b', conversationId: 'c', items: [], total: 10 };
      // Paid (seen first) on the 12th in Shanghai; created on the 11th, arriving after.
      const paid = { ...base, eventId: 'e1', type: 'paid' as const, at: '2026-11-11T16:30:00Z' };
      const created = { ...base, eventId: 'e2', type: 'created' as const, at: '2026-11-11T15:50:00Z' };
      await store.update('o-late', (o) => applyOrderEvent(o, paid, new Date()));
      expect((await store.placedOn('2026-11-12', 10)).map((o) => o.orderId)).toEqual(['o-late']);
      await store.update('o-late', (o) => applyOrderEvent(o, created, new Date()));
      expect(await store.placedOn('2026-11-12', 10)).toEqual([]);
      expect((await store.placedOn('2026-11-11', 10)).map((o) => o.orderId)).toEqual(['o-late']);
    } finally {
      await deletePrefix(prefix);
      redis.disconnect();
    }
  });
});

describe('an order another request holds', () => {
  it('is not written, and the caller hears it is busy (an HTTP 409), not a bare error', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const prefix = uniquePrefix();
    try {
      const k = keys(prefix);
      const store = createRedisOrderStore(redis, k, 3600, 'Asia/Shanghai');
      await redis.set(`${k.order('o-held')}:lock`, 'someone-else', 'PX', 10_000);
      const event = {
        orderId: 'o-held',
        buyerId: 'b',
        conversationId: 'c',
        items: [],
        total: 10,
        eventId: 'e1',
        type: 'created' as const,
        at: '2026-11-11T15:50:00Z',
      };
      const failed = await store
        .update('o-held', (o) => applyOrderEvent(o, event, new Date()))
        .catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 'BUSY' });
      expect(errorAnswer(failed, silentLogger(), '/v1/admin/orders').status).toBe(409);
      expect(await store.get('o-held')).toBeUndefined();
    } finally {
      await deletePrefix(prefix);
      redis.disconnect();
    }
  });
});
