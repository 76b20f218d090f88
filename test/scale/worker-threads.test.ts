import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { listeningSockets } from '../helpers/listening-sockets.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { ServiceProcess } from '../helpers/service-process.ts';
import { ADMIN, adminHeaders, buyerMessage, SECRET, signedPost, waitFor } from '../helpers/service.ts';

/** `npm start` with WORKER_THREADS: HTTP on the main thread, the workers in a thread of the same process. */
describe('WORKER_THREADS', () => {
  const channel = new FakeChannel(SECRET);
  const prefix = uniquePrefix();
  let env: Record<string, string>;

  beforeAll(async () => {
    env = {
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: prefix,
      WEBHOOK_SECRET: SECRET,
      CHANNEL_SEND_URL: await channel.start(),
      WORKER_THREADS: '1',
      ADMIN_TOKEN: ADMIN,
    };
  });
  afterAll(async () => {
    await channel.stop();
    await deletePrefix(prefix);
  });

  it('is healthy once its worker thread reports ok, answers through it, and stops it on SIGTERM', async () => {
    const service = new ServiceProcess(env);
    await service.start();
    try {
      const health = async () => {
        const response = await fetch(`${service.url}/healthz`);
        return {
          status: response.status,
          checks: ((await response.json()) as { checks?: Record<string, boolean> }).checks,
        };
      };
      // The port is open, but the thread is still training: not healthy yet.
      expect((await health()).status).toBe(503);
      // HTTP is ready before the thread is: the one check failing is the thread's.
      const first = await waitFor(
        async () => {
          const now = await health();
          return now.status === 200 || now.checks ? now : undefined; // (no checks: the port is open, the HTTP side still starting)
        },
        20_000,
        'the HTTP side to be ready',
      );
      expect(first).toEqual({
        status: 503,
        checks: { nlu: true, redis: true, workers: true, workerThreads: false },
      });
      await waitFor(
        async () => (await health()).status === 200,
        20_000,
        '/healthz ok once the worker thread reports ok',
      );
      // Only HOST:PORT listens: the worker thread opens no port of its own (it once opened 0.0.0.0:<random>).
      expect(listeningSockets(service.pid!)).toEqual([`127.0.0.1:${new URL(service.url).port}`]);
      const metrics = () => fetch(`${service.url}/metrics`, { headers: adminHeaders() });
      expect(
        (await (await metrics()).text()).match(/^xiaoer_health_check\{check="workerThreads"\} (\d)/m)?.[1],
      ).toBe('1');
      expect(service.stdout).toMatch(/"threadId":\d+[^\n]*worker thread started/);
      // AGENT_TOKENS is left at its demo value: said once, by the main thread, not again by the worker thread.
      expect(service.stdout.match(/demo mode: AGENT_TOKENS is its public demo value/g)).toHaveLength(1);

      const message = buyerMessage({ text: '在吗' });
      expect((await signedPost(`${service.url}/v1/channels/generic/messages`, message)).status).toBe(202);
      const [reply] = await waitFor(
        () => (channel.to(message.conversationId).length ? channel.to(message.conversationId) : undefined),
        15_000,
        'an answer',
      );
      expect(reply).toMatchObject({ from: 'bot', inReplyTo: message.messageId });
      // The answer was sent from the thread; the main thread's /metrics counts it (reported each second).
      const sent = async () =>
        Number(
          (await (await metrics()).text()).match(
            /^xiaoer_messages_sent_total\{kind="answer",from="bot",channel="generic"\} (\d+)/m,
          )?.[1] ?? 0,
        );
      await waitFor(
        async () => ((await sent()) >= 1 ? true : undefined),
        5_000,
        "the thread's sent counter in /metrics",
      );
      expect(await sent()).toBe(1);

      // The admin API's classify is answered by the thread's classifier: the main thread has none to train.
      const classified = await fetch(`${service.url}/v1/nlu/classify`, {
        method: 'POST',
        headers: adminHeaders(),
        body: JSON.stringify({ text: '这件衣服什么面料' }),
      });
      expect(classified.status).toBe(200);
      expect(await classified.json()).toMatchObject({
        intent: 'product.fabric',
        language: 'zh',
        handoff: false,
      });

      expect(await service.stop('SIGTERM')).toBe(0);
      // The thread was asked to stop and stopped its own workers, rather than being cut off.
      expect(service.stdout).toMatch(/asked to stop by the main thread/);
      expect(service.stdout).not.toMatch(/worker thread exited; starting it again/);
    } finally {
      await service.stop('SIGKILL');
    }
  }, 60_000);
});
