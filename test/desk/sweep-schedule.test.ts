import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_SWEEP_QUEUE } from '../../src/desk/sweep-worker.ts';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { RedisProcess } from '../helpers/redis-process.ts';
import {
  buyerMessage,
  SECRET,
  signedPost,
  startTestService,
  waitFor,
  type TestService,
  agentHeaders,
} from '../helpers/service.ts';

const auth = agentHeaders;

describe('the desk lease sweep after Redis comes back empty', () => {
  // A redis-server of this test's own: it is flushed, which the shared one must never be.
  const redisServer = new RedisProcess();
  const channel = new FakeChannel(SECRET);
  let service: TestService;
  let redis: Redis;

  beforeAll(async () => {
    await redisServer.start();
    redis = new Redis(redisServer.url);
    service = await startTestService({
      REDIS_URL: redisServer.url,
      CHANNEL_SEND_URL: await channel.start(),
      AGENT_TOKENS: 'ann:ann-token,bo:bo-token',
      WORK_HOURS: '00:00-24:00',
      AGENT_IDLE_SECONDS: '1',
      DESK_SWEEP_MS: '200',
    });
  });
  afterAll(async () => {
    await service?.close();
    redis?.disconnect();
    await channel.stop();
    await redisServer.stop();
    rmSync(redisServer.dir, { recursive: true, force: true });
  });

  it('puts its schedule back, and gives a silent agent’s claim back to the queue again', async () => {
    const schedulerKey = `${service.prefix}:${DESK_SWEEP_QUEUE}:repeat`;
    await waitFor(async () => (await redis.exists(schedulerKey)) === 1, 5_000, 'the sweep schedule');
    await redis.flushall(); // as after a restart without persistence: the schedule is gone
    expect(await redis.exists(schedulerKey)).toBe(0);

    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: 'human please' }),
    );
    await waitFor(
      () => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined),
      8_000,
      'the hand-off notice',
    );
    const claim = await fetch(`${service.url}/v1/desk/handoffs/claim`, {
      method: 'POST',
      headers: auth('ann'),
    });
    expect(claim.status).toBe(200);
    const { handoff } = (await claim.json()) as { handoff: { id: string; conversationId: string } };
    expect(handoff.conversationId).toBe(conversationId);

    // ann goes silent: her one-second lease runs out and the sweep gives the hand-off back.
    const waiting = await waitFor(
      async () => {
        const list = (
          (await (
            await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, { headers: auth('bo') })
          ).json()) as { handoffs: { id: string }[] }
        ).handoffs;
        return list.length === 1 ? list : undefined;
      },
      8_000,
      'the claim to be swept back to waiting',
    );
    expect(waiting.map((h) => h.id)).toEqual([handoff.id]);
    expect(await redis.exists(schedulerKey)).toBe(1);
  }, 30_000);
});
