import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel, type ReceivedMessage } from '../helpers/fake-channel.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { RedisProcess } from '../helpers/redis-process.ts';
import { ServiceProcess } from '../helpers/service-process.ts';
import {
  adminHeaders,
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
} from '../helpers/service.ts';

/** Each accepted message answered exactly once: one reply id per message, one text per reply id. */
function audit(received: ReceivedMessage[], accepted: string[]) {
  const byInbound = new Map<string, Set<string>>();
  const textById = new Map<string, Set<string>>();
  for (const m of received) {
    if (!m.inReplyTo) continue;
    (byInbound.get(m.inReplyTo) ?? byInbound.set(m.inReplyTo, new Set()).get(m.inReplyTo)!).add(m.messageId);
    (textById.get(m.messageId) ?? textById.set(m.messageId, new Set()).get(m.messageId)!).add(m.text);
  }
  return {
    answered: accepted.filter((id) => byInbound.has(id)).length,
    twoReplies: [...byInbound.values()].filter((ids) => ids.size > 1).length,
    twoTexts: [...textById.values()].filter((texts) => texts.size > 1).length,
    redeliveries: received.length - new Set(received.map((m) => m.messageId)).size,
  };
}

describe('faults lose no accepted message and answer it once', () => {
  const channel = new FakeChannel(SECRET);
  let channelUrl: string;
  beforeAll(async () => {
    channelUrl = await channel.start();
  });
  afterAll(async () => channel.stop());

  async function sendMany(url: string, n: number, tag: string): Promise<string[]> {
    const accepted: string[] = [];
    for (let i = 0; i < n; i++) {
      const message = buyerMessage({
        conversationId: `c-${tag}-${i}`,
        text: i % 2 ? '在吗' : 'what is the fabric?',
        productId: 'p-1001',
      });
      const res = await signedPost(`${url}/v1/channels/generic/messages`, message).catch(() => undefined);
      if (res?.status === 202) accepted.push(message.messageId);
      await res?.body?.cancel();
    }
    return accepted;
  }

  it('kill -9 mid-processing: the jobs are picked up again, no buyer gets two answers to one message', async () => {
    const prefix = uniquePrefix();
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: prefix,
      WEBHOOK_SECRET: SECRET,
      CHANNEL_SEND_URL: channelUrl,
      WORKER_LOCK_MS: '2000',
      ADMIN_TOKEN: 'test-admin-token',
      AGENT_TOKENS: 'a:a-token',
    };
    const first = new ServiceProcess(env);
    await first.start();
    await first.ready(); // the workers are answering, so the kill finds them mid-work
    const tag = randomUUID().slice(0, 6);
    // All at once, then kill -9 while the workers are in the middle of them.
    const accepted = (
      await Promise.all(Array.from({ length: 5 }, (_, part) => sendMany(first.url, 30, `${tag}-${part}`)))
    ).flat();
    await first.stop('SIGKILL');
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    const beforeRestart = mine().length;
    const second = new ServiceProcess(env);
    await second.start();
    await waitFor(
      () => (audit(mine(), accepted).answered === accepted.length ? true : undefined),
      40_000,
      'every accepted message answered',
    );
    await sleep(1000);
    const result = audit(mine(), accepted);
    process.stdout.write(
      `kill -9: accepted ${accepted.length}, answered ${result.answered} (${beforeRestart} before the restart), two replies ${result.twoReplies}, two texts ${result.twoTexts}, same reply delivered again ${result.redeliveries}\n`,
    );
    expect(accepted.length).toBe(150);
    expect(result).toMatchObject({ answered: 150, twoReplies: 0, twoTexts: 0 });
    await second.stop('SIGTERM');
    await deletePrefix(prefix);
  }, 90_000);

  it('SIGTERM: stops accepting, finishes what it has, exits 0; the rest is answered after the restart', async () => {
    const prefix = uniquePrefix();
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: prefix,
      WEBHOOK_SECRET: SECRET,
      CHANNEL_SEND_URL: channelUrl,
      ADMIN_TOKEN: 'test-admin-token',
      AGENT_TOKENS: 'a:a-token',
    };
    const service = new ServiceProcess(env);
    await service.start();
    await service.ready();
    const tag = randomUUID().slice(0, 6);
    const accepted = await sendMany(service.url, 80, tag);
    const code = await service.stop('SIGTERM');
    expect(code).toBe(0);
    const refused = await signedPost(`${service.url}/v1/channels/generic/messages`, buyerMessage()).catch(
      () => 'connection refused',
    );
    expect(refused).toBe('connection refused');
    const again = new ServiceProcess(env);
    await again.start();
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    await waitFor(
      () => (audit(mine(), accepted).answered === accepted.length ? true : undefined),
      30_000,
      'every accepted message answered',
    );
    const result = audit(mine(), accepted);
    process.stdout.write(
      `SIGTERM: accepted ${accepted.length}, answered ${result.answered}, two replies ${result.twoReplies}, redelivered ${result.redeliveries}\n`,
    );
    expect(result).toMatchObject({ answered: accepted.length, twoReplies: 0, twoTexts: 0, redeliveries: 0 });
    await again.stop('SIGTERM');
    await deletePrefix(prefix);
  }, 90_000);

  it('Redis restarted mid-traffic: what was accepted is answered once Redis is back, nothing is accepted while it is gone', async () => {
    const redis = new RedisProcess();
    await redis.start();
    // A job in flight when Redis went away is picked up again after the job lock (WORKER_LOCK_MS,
    // 30 s by default); a short lock keeps the test short.
    const service = await startTestService({
      REDIS_URL: redis.url,
      CHANNEL_SEND_URL: channelUrl,
      WORKER_LOCK_MS: '2000',
    });
    const tag = randomUUID().slice(0, 6);
    const accepted: string[] = [];
    let refused = 0;
    let stop = false;
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        const message = buyerMessage({ conversationId: `c-${tag}-${i}`, text: '在吗' });
        const res = await signedPost(`${service.url}/v1/channels/generic/messages`, message).catch(
          () => undefined,
        );
        if (res?.status === 202) accepted.push(message.messageId);
        else refused += 1;
        await res?.body?.cancel();
        await sleep(5);
      }
    })();
    await sleep(700);
    await redis.stop('SIGTERM');
    await sleep(1500);
    await redis.start();
    await sleep(1500);
    stop = true;
    await traffic;
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    await waitFor(
      () => (audit(mine(), accepted).answered === accepted.length ? true : undefined),
      30_000,
      'every accepted message answered',
    );
    const result = audit(mine(), accepted);
    process.stdout.write(
      `Redis restart: accepted ${accepted.length}, refused with 503 while down ${refused}, answered ${result.answered}, two replies ${result.twoReplies}\n`,
    );
    expect(refused).toBeGreaterThan(0);
    expect(result).toMatchObject({ answered: accepted.length, twoReplies: 0, twoTexts: 0 });
    await service.close();
    await redis.stop();
  }, 90_000);

  it('two instances on one Redis give one answer per message', async () => {
    const prefix = uniquePrefix();
    const a = await startTestService({ KEY_PREFIX: prefix, CHANNEL_SEND_URL: channelUrl });
    const b = await startTestService({ KEY_PREFIX: prefix, CHANNEL_SEND_URL: channelUrl });
    const tag = randomUUID().slice(0, 6);
    const accepted: string[] = [];
    for (let i = 0; i < 100; i++) {
      const message = buyerMessage({
        conversationId: `c-${tag}-${i % 20}`,
        text: i % 3 ? '发什么快递' : '在吗',
      });
      // the channel retries the same message on the other instance: still one answer
      for (const s of i % 5 === 0 ? [a, b] : [i % 2 ? a : b]) {
        const res = await signedPost(`${s.url}/v1/channels/generic/messages`, message);
        if (res.status === 202 && !accepted.includes(message.messageId)) accepted.push(message.messageId);
      }
    }
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    await waitFor(
      () => (audit(mine(), accepted).answered === accepted.length ? true : undefined),
      30_000,
      'every message answered',
    );
    await sleep(500);
    const result = audit(mine(), accepted);
    expect(result).toMatchObject({ answered: 100, twoReplies: 0, twoTexts: 0, redeliveries: 0 });
    await a.stop();
    await b.close();
  }, 60_000);
});

describe('web and worker processes apart (ROLE)', () => {
  it('answers through a web process and a worker process sharing one Redis', async () => {
    const channel = new FakeChannel(SECRET);
    const channelUrl = await channel.start();
    const prefix = uniquePrefix();
    const web = await startTestService({ KEY_PREFIX: prefix, ROLE: 'web', CHANNEL_SEND_URL: channelUrl });
    const worker = await startTestService({
      KEY_PREFIX: prefix,
      ROLE: 'worker',
      CHANNEL_SEND_URL: channelUrl,
    });
    try {
      expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
      expect((await signedPost(`${worker.url}/v1/channels/generic/messages`, buyerMessage())).status).toBe(
        404,
      );
      const message = buyerMessage({ text: '在吗' });
      const accepted = await signedPost(`${web.url}/v1/channels/generic/messages`, message);
      expect(await accepted.text()).toBe('{"accepted":true,"duplicate":false}');
      const reply = await waitFor(() => channel.to(message.conversationId)[0]);
      expect(reply.inReplyTo).toBe(message.messageId);
      // The web process trains its classifier on the admin API's first classify request.
      const classified = await fetch(`${web.url}/v1/nlu/classify`, {
        method: 'POST',
        headers: adminHeaders(),
        body: JSON.stringify({ text: '这件衣服什么面料' }),
      });
      expect(classified.status).toBe(200);
      expect(await classified.json()).toMatchObject({ intent: 'product.fabric', language: 'zh' });
    } finally {
      await web.stop();
      await worker.close();
      await channel.stop();
    }
  }, 30_000);
});
