import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { InboundOutcome } from '../../src/pipeline/handle-inbound.ts';
import { createInboundQueue } from '../../src/queue/inbound-queue.ts';
import { type InboundJob } from '../../src/queue/inbound-job.ts';
import { startInboundWorker, type InboundWorker } from '../../src/queue/inbound-worker.ts';
import { keys } from '../../src/shared/keys.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { buyerMessage, sleep, waitFor } from '../helpers/service.ts';

const HANDLED: InboundOutcome = {
  kind: 'handled',
  decision: { kind: 'silent', reason: 'flood' },
  replies: 0,
};

/** The inbound stream and its workers, with the use case replaced by what each test needs. */
describe('inbound stream', () => {
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  const workers: InboundWorker[] = [];
  const redis = () => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };
  const setup = () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const k = keys(prefix);
    return { k, queue: createInboundQueue(redis(), k) };
  };
  const start = async (
    k: ReturnType<typeof keys>,
    handleInbound: (job: InboundJob) => Promise<InboundOutcome>,
    options: { lockMs?: number; concurrency?: number } = {},
  ) => {
    const worker = await startInboundWorker({
      connection: redis(),
      reader: redis(),
      k,
      lockMs: options.lockMs ?? 30_000,
      concurrency: options.concurrency ?? 8,
      handleInbound,
      log: silentLogger(),
      backoffMs: 20,
    });
    workers.push(worker);
    return worker;
  };
  const drained = async (k: ReturnType<typeof keys>) => {
    const check = redis();
    await waitFor(
      async () => ((await check.xlen(k.inboundStream())) === 0 ? true : undefined),
      10_000,
      'the stream to empty',
    );
  };

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    for (const prefix of prefixes) await deletePrefix(prefix);
  });

  it('queues a message once per id, and a worker handles it once and removes it', async () => {
    const { k, queue } = setup();
    const handled: string[] = [];
    await start(k, async (job) => (handled.push(job.message.messageId), HANDLED));
    const message = buyerMessage();
    expect(await queue.accept('generic', message)).toEqual({ duplicate: false });
    expect(await queue.accept('generic', message)).toEqual({ duplicate: true });
    expect(await queue.accept('web', message)).toEqual({ duplicate: false }); // another channel's id space
    await drained(k);
    expect(handled).toEqual([message.messageId, message.messageId]);
    expect(await queue.view.counts()).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it('handles the messages of one conversation one after another, in the order they came', async () => {
    const { k, queue } = setup();
    const order: string[] = [];
    let running = 0;
    let overlap = false;
    await start(k, async (job) => {
      running += 1;
      if (running > 1) overlap = true;
      await sleep(Math.random() * 15);
      order.push(job.message.text);
      running -= 1;
      return HANDLED;
    });
    const conversationId = `c-${randomUUID()}`;
    const texts = Array.from({ length: 12 }, (_, i) => `第${i}条`);
    for (const text of texts) await queue.accept('generic', buyerMessage({ conversationId, text }));
    await drained(k);
    expect(order).toEqual(texts);
    expect(overlap).toBe(false);
  });

  it('tries a failing message again with growing waits, sets it aside after 8 attempts, and replays it from the admin view', async () => {
    const { k, queue } = setup();
    let fail = true;
    const attempts: number[] = [];
    await start(k, async () => {
      attempts.push(Date.now());
      if (fail) throw new Error('the store is down');
      return HANDLED;
    });
    const message = buyerMessage();
    await queue.accept('generic', message);
    const listed = await waitFor(
      async () => {
        const { failed, total } = await queue.view.failed(10);
        return total === 1 ? failed : undefined;
      },
      15_000,
      'the message in the failed list',
    );
    expect(attempts).toHaveLength(8);
    // 20 ms, 40 ms … 1.28 s between attempts (backoffMs 20 here, 500 ms in life).
    expect(attempts[7]! - attempts[6]!).toBeGreaterThanOrEqual(1_200);
    expect(listed[0]).toMatchObject({
      attemptsMade: 8,
      failedReason: 'the store is down',
      channel: 'generic',
      message: { messageId: message.messageId },
    });
    expect(await queue.view.counts()).toEqual({ waiting: 0, active: 0, failed: 1 });

    fail = false;
    expect(await queue.view.replay('1-1')).toBe(false);
    expect(await queue.view.replay('not an id')).toBe(false);
    expect(await queue.view.replay(listed[0]!.jobId)).toBe(true);
    await drained(k);
    expect(attempts).toHaveLength(9);
    expect((await queue.view.failed(10)).total).toBe(0);
  }, 20_000);

  it('lets a message waiting to be tried again give up its slot to the next', async () => {
    const { k, queue } = setup();
    const handled: string[] = [];
    await start(
      k,
      async (job) => {
        if (job.message.text === 'fails') throw new Error('a template is broken');
        handled.push(job.message.text);
        return HANDLED;
      },
      { concurrency: 1 },
    );
    await queue.accept('generic', buyerMessage({ text: 'fails' }));
    await queue.accept('generic', buyerMessage({ text: 'fine' }));
    // The first fails for 2.5 s in all (8 attempts); the second, with the only slot, goes meanwhile.
    await waitFor(
      () => (handled.includes('fine') ? true : undefined),
      1_000,
      'the second message handled while the first waits',
    );
    expect((await queue.view.failed(10)).total).toBe(0);
  });

  it('sets aside at once an entry that is not a buyer message', async () => {
    const { k, queue } = setup();
    const handled: string[] = [];
    await start(k, async (job) => (handled.push(job.message.messageId), HANDLED));
    await redis().xadd(k.inboundStream(), '*', 'job', '{"channel":"generic"');
    await redis().xadd(
      k.inboundStream(),
      '*',
      'job',
      JSON.stringify({ channel: 'fax', message: buyerMessage(), receivedAt: 'x' }),
    );
    const { failed } = await waitFor(
      async () => {
        const view = await queue.view.failed(10);
        return view.total === 2 ? view : undefined;
      },
      5_000,
      'both in the failed list',
    );
    expect(failed.map((f) => f.failedReason)).toEqual([
      expect.stringMatching(/^bad inbound job/),
      expect.stringMatching(/^bad inbound job/),
    ]);
    expect(failed[1]).toMatchObject({ raw: '{"channel":"generic"' });
    expect(handled).toEqual([]);
  });

  it('keeps an entry it could not set aside in the stream, and sets it aside once the failed list takes it', async () => {
    const { k, queue } = setup();
    const check = redis();
    await check.set(k.inboundFailed(), 'not a stream'); // the set-aside script fails on it (WRONGTYPE)
    await start(k, async () => HANDLED, { lockMs: 300 });
    await check.xadd(k.inboundStream(), '*', 'job', '{"channel":"generic"');
    await sleep(600); // tried and failed, more than once: the entry stays where it was
    expect(await check.xlen(k.inboundStream())).toBe(1);
    expect(await check.get(k.inboundFailed())).toBe('not a stream');
    await check.del(k.inboundFailed());
    const { failed } = await waitFor(
      async () => {
        const view = await queue.view.failed(10);
        return view.total === 1 ? view : undefined;
      },
      5_000,
      'the entry in the failed list',
    );
    expect(failed[0]).toMatchObject({
      raw: '{"channel":"generic"',
      failedReason: expect.stringMatching(/^bad inbound job/),
    });
    await drained(k);
  });

  it('counts a conversation busy elsewhere as no failure: the message waits its turn', async () => {
    const { k, queue } = setup();
    let calls = 0;
    await start(k, async () => (++calls < 4 ? { kind: 'busy' } : HANDLED));
    await queue.accept('generic', buyerMessage());
    await drained(k);
    expect(calls).toBe(4);
    expect((await queue.view.failed(10)).total).toBe(0);
  });

  it('takes over the messages of a worker that died, after the lock time', async () => {
    const { k, queue } = setup();
    const reader = redis();
    const connection = redis();
    // A worker that takes messages and never finishes them, then dies without a word (never closed).
    await startInboundWorker({
      connection,
      reader,
      k,
      lockMs: 600,
      concurrency: 8,
      handleInbound: () => new Promise(() => undefined),
      log: silentLogger(),
    });
    const message = buyerMessage();
    await queue.accept('generic', message);
    await waitFor(
      async () => ((await queue.view.counts()).active === 1 ? true : undefined),
      5_000,
      'the message taken',
    );
    connection.disconnect();
    reader.disconnect();

    const handled: string[] = [];
    const startedAt = Date.now();
    await start(k, async (job) => (handled.push(job.message.messageId), HANDLED), { lockMs: 600 });
    await drained(k);
    expect(handled).toEqual([message.messageId]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
  });

  it('sets aside a message whose workers keep dying while they handle it', async () => {
    const { k, queue } = setup();
    const poison = buyerMessage();
    const stream = k.inboundStream();
    await redis().xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    await queue.accept('generic', poison);
    // Delivered to a worker that died, and taken over 5 times by workers that died too.
    const [stream0] = (await redis().xreadgroup(
      'GROUP',
      'workers',
      'ghost',
      'COUNT',
      1,
      'STREAMS',
      stream,
      '>',
    )) as [string, [string, string[]][]][];
    const id = stream0![1][0]![0];
    for (let i = 0; i < 5; i++) await redis().xclaim(stream, 'workers', 'ghost', 0, id);
    const handled: string[] = [];
    await start(k, async (job) => (handled.push(job.message.messageId), HANDLED), { lockMs: 300 });
    const failed = await waitFor(
      async () => {
        const view = await queue.view.failed(10);
        return view.total === 1 ? view.failed[0] : undefined;
      },
      5_000,
      'the message set aside',
    );
    expect(failed).toMatchObject({
      failedReason: 'its worker stopped 6 times while handling it',
      message: { messageId: poison.messageId },
    });
    expect(handled).toEqual([]);
    await drained(k);
  });

  it('keeps the messages it is handling past the lock time: no other worker takes them over', async () => {
    const { k, queue } = setup();
    const handledBy: string[] = [];
    await start(k, async () => (await sleep(1_500), handledBy.push('slow'), HANDLED), { lockMs: 400 });
    await queue.accept('generic', buyerMessage());
    await waitFor(
      async () => ((await queue.view.counts()).active === 1 ? true : undefined),
      5_000,
      'the message taken',
    );
    await start(k, async () => (handledBy.push('other'), HANDLED), { lockMs: 400 });
    await drained(k);
    await sleep(300);
    expect(handledBy).toEqual(['slow']);
  });

  it('on close, finishes the message in hand and gives back the rest, which another worker takes at once', async () => {
    const { k, queue } = setup();
    const conversationId = `c-${randomUUID()}`;
    let release!: () => void;
    const first = new Promise<void>((done) => (release = done));
    const handled: string[] = [];
    const closing = await start(k, async (job) => {
      if (job.message.text === '一') await first;
      handled.push(`closing:${job.message.text}`);
      return HANDLED;
    });
    for (const text of ['一', '二', '三'])
      await queue.accept('generic', buyerMessage({ conversationId, text }));
    await waitFor(
      async () => ((await queue.view.counts()).active === 3 ? true : undefined),
      5_000,
      'all three taken',
    );
    const closed = closing.close();
    release();
    await closed;
    workers.splice(workers.indexOf(closing), 1);
    expect(handled).toEqual(['closing:一']);
    expect(await queue.view.counts()).toEqual({ waiting: 2, active: 0, failed: 0 });

    const startedAt = Date.now();
    await start(k, async (job) => (handled.push(`next:${job.message.text}`), HANDLED));
    await drained(k);
    expect(handled).toEqual(['closing:一', 'next:二', 'next:三']);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('goes on after its stream and group were lost (a Redis restarted empty)', async () => {
    const { k, queue } = setup();
    const handled: string[] = [];
    await start(k, async (job) => (handled.push(job.message.messageId), HANDLED));
    await redis().del(k.inboundStream());
    const message = buyerMessage();
    await queue.accept('generic', message);
    await waitFor(
      () => (handled.includes(message.messageId) ? true : undefined),
      10_000,
      'the message handled',
    );
  });
});
