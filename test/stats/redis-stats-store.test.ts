import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/shared/keys.ts';
import { createProducerConnection, createWorkerConnection } from '../../src/boot/redis-connection.ts';
import { type RedisClient } from '../../src/shared/redis-client.ts';
import { createRedisStatsStore } from '../../src/stats/redis-stats-store.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { RedisProcess } from '../helpers/redis-process.ts';
import { waitFor } from '../helpers/wait.ts';

const at = (iso: string) => new Date(iso);
const TZ = 'Asia/Shanghai';

/** Answered messages are counted in memory and written each second: nothing may get lost on the way. */
describe('the stats store', () => {
  const prefix = uniquePrefix();
  const clients: RedisClient[] = [];
  const client = (url = TEST_REDIS_URL) => {
    const redis = new Redis(url);
    redis.on('error', () => undefined); // a test's own Redis is stopped before the clients are
    clients.push(redis);
    return redis;
  };
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await deletePrefix(prefix);
  });

  it('writes what it counted, so another instance reads the same figures', async () => {
    const k = keys(prefix);
    const writer = createRedisStatsStore(client(), k, TZ);
    await writer.message({
      intent: 'greeting',
      at: at('2026-11-11T01:10:00Z'),
      botResponseMs: 120,
      newConversation: true,
      channel: 'generic',
      conversationId: 'c1',
    });
    await writer.message({
      intent: 'greeting',
      at: at('2026-11-11T01:50:00Z'),
      botResponseMs: 80,
      newConversation: false,
      channel: 'generic',
      conversationId: 'c2',
    });
    await writer.message({
      intent: 'shipping.time',
      at: at('2026-11-11T02:05:00Z'),
      newConversation: true,
      channel: 'telegram',
      conversationId: 'c3',
    });
    await writer.close();

    const reader = createRedisStatsStore(client(), k, TZ);
    const summary = await reader.summary(undefined, at('2026-11-11T03:00:00Z'));
    expect(summary.conversations).toBe(2);
    expect(summary.intents).toEqual({ greeting: 2, 'shipping.time': 1 });
    expect(summary.messagesByChannel).toEqual({ generic: 2, telegram: 1 });
    // The shop's hours: 01:10Z is 09:10 in Shanghai.
    expect(summary).toMatchObject({ from: '2026-11-11', to: '2026-11-11', timeZone: TZ });
    expect(summary.messagesPerHour).toEqual([
      { hour: '2026-11-11T09', messages: 2, handoffs: 0 },
      { hour: '2026-11-11T10', messages: 1, handoffs: 0 },
    ]);
    expect(summary.botResponseMs).toEqual({ p50: 120, p95: 120, n: 2 });
    await reader.close();
  });

  it("counts each day of the shop's time zone apart, and a range adds them up", async () => {
    const k = keys(`${prefix}-days`);
    const store = createRedisStatsStore(client(), k, TZ);
    // 23:59 on 11 November and 00:01 on 12 November in Shanghai, both 11 November in UTC.
    await store.message({
      intent: 'greeting',
      at: at('2026-11-11T15:59:00Z'),
      botResponseMs: 10,
      newConversation: true,
      channel: 'generic',
      conversationId: 'c4',
    });
    await store.message({
      intent: 'price.discount',
      at: at('2026-11-11T16:01:00Z'),
      botResponseMs: 20,
      newConversation: true,
      channel: 'wecom',
      conversationId: 'c5',
    });
    await store.handoff('discount', at('2026-11-11T16:01:00Z'));
    await store.pickup(30_000, at('2026-11-11T16:02:00Z'));
    await store.waitBreach('100s', at('2026-11-11T16:02:40Z'));
    await store.waitBreach('3min', at('2026-11-11T16:04:00Z'));
    await store.firstAgentReply(200_000, at('2026-11-11T16:05:00Z'), 'ann');
    await store.handled('ann', 600_000, at('2026-11-11T16:12:00Z'));
    const eleventh = await store.summary(
      { from: '2026-11-11', to: '2026-11-11' },
      at('2026-11-12T00:00:00Z'),
    );
    expect(eleventh).toMatchObject({
      conversations: 1,
      handoffs: 0,
      intents: { greeting: 1 },
      messagesPerHour: [{ hour: '2026-11-11T23', messages: 1 }],
    });
    const twelfth = await store.summary(undefined, at('2026-11-12T00:00:00Z')); // today, in Shanghai
    expect(twelfth).toMatchObject({
      from: '2026-11-12',
      conversations: 1,
      handoffs: 1,
      handoffReasons: { discount: 1 },
      messagesByChannel: { wecom: 1 },
      agentPickupMs: { n: 1 },
      agentReplyBreaches: { over100s: 1, over3min: 1 },
      agentFirstReplyMs: { n: 1, p50: 200_000 },
      agentHandlingMs: { n: 1, p50: 600_000 },
      agents: {
        ann: { handled: 1, handlingMsAverage: 600_000, firstAnswers: 1, firstAnswerMsAverage: 200_000 },
      },
      messagesPerHour: [{ hour: '2026-11-12T00', messages: 1, handoffs: 1 }],
      agentFirstReplyWaits: { under30s: 0, under100s: 0, under3min: 0, over3min: 1 },
    });
    const both = await store.summary({ from: '2026-11-11', to: '2026-11-12' }, at('2026-11-12T00:00:00Z'));
    // The bot answered nothing here (no botAnswered): nothing to call resolved.
    expect(both).toMatchObject({
      conversations: 2,
      activeConversations: 2,
      handoffs: 1,
      autoResolutionRate: null,
    });
    expect(both.messagesPerHour.map((h) => h.hour)).toEqual(['2026-11-11T23', '2026-11-12T00']);
    await store.close();
    await deletePrefix(`${prefix}-days`);
  });

  it('adds to what is there, and its own summary includes what it has not written yet', async () => {
    const k = keys(`${prefix}-b`);
    const first = createRedisStatsStore(client(), k, TZ);
    await first.message({
      intent: 'invoice',
      at: at('2026-11-11T01:00:00Z'),
      botResponseMs: 10,
      newConversation: true,
      channel: 'generic',
      conversationId: 'c6',
    });
    await first.close();
    const second = createRedisStatsStore(client(), k, TZ);
    await second.message({
      intent: 'invoice',
      at: at('2026-11-11T01:30:00Z'),
      botResponseMs: 30,
      newConversation: true,
      channel: 'generic',
      conversationId: 'c7',
    });
    const summary = await second.summary(undefined, at('2026-11-11T02:00:00Z'));
    expect(summary).toMatchObject({
      conversations: 2,
      intents: { invoice: 2 },
      messagesPerHour: [{ hour: '2026-11-11T09', messages: 2 }],
    });
    expect(summary.botResponseMs.n).toBe(2);
    await second.close();
    await deletePrefix(`${prefix}-b`);
  });

  // The producer connection fails fast (the write fails and must be kept); the workers' connection,
  // which the service counts on, waits for Redis (the write waits, and what comes meanwhile queues behind it).
  for (const kind of ['fails fast', 'waits'] as const) {
    it(`keeps the counts while Redis is away and writes them once it is back (a connection that ${kind})`, async () => {
      const redis = new RedisProcess();
      await redis.start();
      try {
        const k = keys(`${prefix}-${kind.replace(' ', '-')}`);
        const target = { kind: 'single', url: redis.url } as const;
        const connection =
          kind === 'fails fast'
            ? createProducerConnection(target)
            : createWorkerConnection(target, 'stats-test');
        connection.on('error', () => undefined);
        clients.push(connection);
        const store = createRedisStatsStore(connection, k, TZ);
        await redis.stop();
        await store.message({
          intent: 'complaint',
          at: at('2026-11-11T05:00:00Z'),
          botResponseMs: 40,
          newConversation: true,
          channel: 'generic',
          conversationId: 'c8',
        });
        await new Promise((r) => setTimeout(r, 1_500)); // at least one write, while Redis is away
        await store.message({
          intent: 'complaint',
          at: at('2026-11-11T05:01:00Z'),
          botResponseMs: 60,
          newConversation: false,
          channel: 'generic',
          conversationId: 'c9',
        });
        await redis.start();
        const plain = client(redis.url);
        const intents = await waitFor(
          async () => {
            const counted = await plain.hgetall(`${k.stats()}:d:2026-11-11:intents`);
            return counted.complaint === '2' ? counted : undefined;
          },
          10_000,
          'both counts written after the restart',
        );
        expect(intents).toEqual({ complaint: '2' });
        expect(await plain.hget(`${k.stats()}:d:2026-11-11:totals`, 'conversations')).toBe('1');
        expect((await plain.lrange(`${k.stats()}:d:2026-11-11:bot-ms`, 0, -1)).sort()).toEqual(['40', '60']);
        await store.close();
      } finally {
        await redis.stop();
      }
    }, 30_000);
  }

  it('stops within a few seconds while Redis is away', async () => {
    const redis = new RedisProcess();
    await redis.start();
    try {
      const connection = createWorkerConnection({ kind: 'single', url: redis.url }, 'stats-test');
      connection.on('error', () => undefined);
      clients.push(connection);
      const store = createRedisStatsStore(connection, keys(`${prefix}-close`), TZ);
      await redis.stop();
      await store.message({
        intent: 'greeting',
        at: at('2026-11-11T05:00:00Z'),
        botResponseMs: 10,
        newConversation: true,
        channel: 'generic',
        conversationId: 'c10',
      });
      const started = Date.now();
      await store.close();
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await redis.stop();
    }
  }, 20_000);
});
