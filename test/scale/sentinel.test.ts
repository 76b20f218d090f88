import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { RedisSentinelSet, SENTINEL_NAME } from '../helpers/redis-sentinel.ts';
import {
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

/** The service finds the primary through Sentinel and follows it through a failover. */
describe('with Redis Sentinel (REDIS_SENTINELS)', () => {
  const redis = new RedisSentinelSet();
  const channel = new FakeChannel(SECRET);
  let service: TestService;

  beforeAll(async () => {
    await redis.start();
    const channelUrl = await channel.start();
    service = await startTestService({
      REDIS_URL: '',
      REDIS_SENTINELS: redis.sentinels,
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
      CHANNEL_SEND_URL: channelUrl,
    });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await channel.stop();
    await redis.stop();
  }, 30_000);

  /** Posts like a channel does: a 503 (Redis failing over) is retried until it is accepted. */
  async function deliver(message: ReturnType<typeof buyerMessage>): Promise<number> {
    let refused = 0;
    for (;;) {
      const res = await signedPost(`${service.url}/v1/channels/generic/messages`, message).catch(
        () => undefined,
      );
      await res?.body?.cancel();
      if (res?.status === 202) return refused;
      refused += 1;
      await sleep(200);
    }
  }

  it('answers before and after the primary is killed and the replica promoted, once each', async () => {
    const tag = randomUUID().slice(0, 6);
    const before = Array.from({ length: 30 }, (_, i) =>
      buyerMessage({ conversationId: `c-${tag}-${i % 10}`, text: i % 2 ? '在吗' : '发什么快递' }),
    );
    for (const m of before) await deliver(m);
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    await waitFor(() => (mine().length >= 30 ? true : undefined), 15_000, 'the answers before the failover');

    // Replication is asynchronous: wait until the replica has everything, then kill the primary.
    const primary = new Redis(redis.ports.primary, '127.0.0.1');
    await primary.call('WAIT', '1', '2000');
    primary.disconnect();
    await redis.failOver();

    const after = Array.from({ length: 30 }, (_, i) =>
      buyerMessage({
        conversationId: `c-${tag}-${i % 10}`,
        text: i % 2 ? 'what is the fabric?' : '在吗',
        productId: 'p-1001',
      }),
    );
    let refused = 0;
    for (const m of after) refused += await deliver(m);
    await waitFor(() => (mine().length >= 60 ? true : undefined), 30_000, 'the answers after the failover');
    await sleep(500);
    const replies = mine();
    expect(replies).toHaveLength(60);
    expect(new Set(replies.map((m) => m.inReplyTo))).toEqual(
      new Set([...before, ...after].map((m) => m.messageId)),
    );
    process.stdout.write(
      `sentinel failover: 60 accepted, 60 answered, ${refused} posts refused with 503 during the failover\n`,
    );
  }, 90_000);
});

/** Sentinels that ask for their own password (requirepass in sentinel.conf): REDIS_SENTINEL_PASSWORD. */
describe('with Sentinels that need a password (REDIS_SENTINEL_PASSWORD)', () => {
  const redis = new RedisSentinelSet('sentinel-secret-1');
  const channel = new FakeChannel(SECRET);

  beforeAll(async () => {
    await redis.start();
  }, 60_000);
  afterAll(async () => {
    await channel.stop();
    await redis.stop();
  }, 30_000);

  it('finds the primary with the password, and does not start without it', async () => {
    const env = {
      REDIS_URL: '',
      REDIS_SENTINELS: redis.sentinels,
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
      CHANNEL_SEND_URL: await channel.start(),
    };
    const service = await startTestService({ ...env, REDIS_SENTINEL_PASSWORD: 'sentinel-secret-1' });
    try {
      const message = buyerMessage({ text: '在吗' });
      expect((await signedPost(`${service.url}/v1/channels/generic/messages`, message)).status).toBe(202);
      await waitFor(() => channel.to(message.conversationId)[0], 15_000, 'the answer');
    } finally {
      await service.stop();
    }
    await expect(startTestService(env)).rejects.toThrow();
  }, 60_000);
});
