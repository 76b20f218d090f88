import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSendPace } from '../../src/channels/redis-send-pace.ts';
import { keys } from '../../src/shared/keys.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

describe("a channel's send pace, kept in Redis for every instance", () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = uniquePrefix();
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('spaces sends to one chat by its interval, and all sends by the shop-wide rate', async () => {
    const pace = createRedisSendPace(redis, keys(prefix), 'telegram', { perSecond: 10, chatIntervalMs: 400 });
    // Each booking's wait counts from when Redis ran it: bookings made `slack` ms apart differ by
    // their slots' distance less that (a busy machine may run them tens of ms apart).
    const timed = async <T>(f: () => Promise<T>) => {
      const started = Date.now();
      const value = await f();
      return { value, slack: Date.now() - started + 1 };
    };
    const chat = await timed(() => Promise.all([1, 2, 3].map(() => pace.book('chat-a', 10_000))));
    const waits = chat.value.map((s) => s.waitMs).sort((a, b) => a - b);
    expect(chat.value.every((s) => s.booked)).toBe(true);
    expect(waits[0]).toBeLessThanOrEqual(5);
    expect(waits[1]).toBeGreaterThanOrEqual(400 - chat.slack);
    expect(waits[2]).toBeGreaterThanOrEqual(800 - chat.slack);

    // Other chats are held only by the shop-wide 100 ms a send, not by chat a's own gaps: the
    // three sends booked above took the slots 0, 100 and 200 ms from then.
    const others = await timed(() => Promise.all(['b', 'c'].map((c) => pace.book(`chat-${c}`, 10_000))));
    const otherWaits = others.value.map((s) => s.waitMs).sort((a, b) => a - b);
    expect(otherWaits[0]).toBeGreaterThanOrEqual(300 - chat.slack - others.slack);
    expect(otherWaits[0]).toBeLessThan(390);
    expect(otherWaits[1]! - otherWaits[0]!).toBeGreaterThanOrEqual(100 - others.slack);
  });

  it('books nothing when the slot is further off than the sender can wait', async () => {
    const pace = createRedisSendPace(redis, keys(prefix), 'slow', { perSecond: 1, chatIntervalMs: 1_000 });
    expect(await pace.book('x', 0)).toMatchObject({ booked: true });
    const refused = await pace.book('y', 500);
    expect(refused.booked).toBe(false);
    expect(refused.waitMs).toBeGreaterThan(500);
    // The refusal took no slot: the next caller who can wait gets the same one.
    const next = await pace.book('y', 5_000);
    expect(next.booked).toBe(true);
    expect(next.waitMs).toBeLessThanOrEqual(refused.waitMs);
  });
});
