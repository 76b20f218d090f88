import { afterAll, describe, expect, it } from 'vitest';
import { createRedisOrderStore } from '../../src/orders/redis-order-store.ts';
import { keys } from '../../src/shared/keys.ts';
import { Redis } from 'ioredis';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

describe('reminder figures per day of the shop', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('counts sent, skipped by reason and converted on their own days, and adds a range up', async () => {
    const orders = createRedisOrderStore(redis, keys(prefix), 3600, 'Asia/Shanghai');
    // 23:30 on the 11th and 00:30 on the 12th in Shanghai (both the 11th in UTC).
    await orders.countReminder('sent', new Date('2026-11-11T15:30:00Z'));
    await orders.countReminder('skipped', new Date('2026-11-11T15:31:00Z'), 'quiet hours');
    await orders.countReminder('converted', new Date('2026-11-11T16:30:00Z'));
    await orders.countReminder('skipped', new Date('2026-11-11T16:31:00Z'), 'quiet hours');
    await orders.countReminder('skipped', new Date('2026-11-11T16:32:00Z'), 'order is paid');

    expect(await orders.reminderStats({ from: '2026-11-11', to: '2026-11-11' })).toEqual({
      sent: 1,
      converted: 0,
      skipped: 1,
      skippedBy: { 'quiet hours': 1 },
      conversionRate: 0,
    });
    expect(await orders.reminderStats({ from: '2026-11-12', to: '2026-11-12' })).toMatchObject({
      sent: 0,
      converted: 1,
      skippedBy: { 'quiet hours': 1, 'order is paid': 1 },
      conversionRate: null,
    });
    expect(await orders.reminderStats({ from: '2026-11-11', to: '2026-11-12' })).toMatchObject({
      sent: 1,
      converted: 1,
      skipped: 3,
      conversionRate: 1,
    });
    // Since the start, as GET /v1/admin/reminders/stats has it.
    expect(await orders.reminderStats()).toMatchObject({ sent: 1, converted: 1, skipped: 3 });
  });
});
