import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { InboundOutcome } from '../../src/pipeline/handle-inbound.ts';
import { createInboundQueue } from '../../src/queue/inbound-queue.ts';
import { type InboundJob } from '../../src/queue/inbound-job.ts';
import { shardOf } from '../../src/queue/inbound-shards.ts';
import { startInboundWorker, type InboundWorker } from '../../src/queue/inbound-worker.ts';
import { keys, type Keys } from '../../src/shared/keys.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import { buyerMessage, waitFor } from '../helpers/service.ts';

const HANDLED: InboundOutcome = {
  kind: 'handled',
  decision: { kind: 'silent', reason: 'flood' },
  replies: 0,
};

/**
 * The inbound stream split by conversation into shards (each its own Cluster slot): producers and
 * workers with the real Redis, the use case replaced by what each test needs.
 */
describe('inbound stream shards', () => {
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  const workers: InboundWorker[] = [];
  const redis = () => {
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };
  const newKeys = () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    return keys(prefix);
  };
  const queueOf = async (k: Keys, shards: number) => {
    const queue = createInboundQueue(redis(), k, shards);
    await queue.ready();
    return queue;
  };
  const start = async (
    k: Keys,
    shardCount: number,
    handleInbound: (job: InboundJob) => Promise<InboundOutcome>,
    lockMs = 30_000,
  ) => {
    const worker = await startInboundWorker({
      connection: redis(),
      reader: redis(),
      k,
      shardCount,
      lockMs,
      concurrency: 8,
      handleInbound,
      log: silentLogger(),
      backoffMs: 20,
    });
    workers.push(worker);
    return worker;
  };
  const emptied = async (k: Keys, shards: number) => {
    const check = redis();
    await waitFor(
      async () => {
        const lengths = await Promise.all(
          Array.from({ length: shards }, (_, i) => check.xlen(k.inboundStream(i))),
        );
        return lengths.every((n) => n === 0) ? true : undefined;
      },
      10_000,
      'every shard to empty',
    );
  };

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    for (const prefix of prefixes) await deletePrefix(prefix);
  });

  it('puts each conversation in one shard, spreads conversations over them, and answers each message once, in order', async () => {
    const k = newKeys();
    const queue = await queueOf(k, 4);
    const handled = new Map<string, string[]>();
    await start(k, 4, async (job) => {
      const seen = handled.get(job.message.conversationId) ?? [];
      handled.set(job.message.conversationId, [...seen, job.message.text]);
      return HANDLED;
    });
    const conversations = Array.from({ length: 24 }, (_, i) => `c-${prefixes.at(-1)}-${i}`);
    for (let turn = 1; turn <= 3; turn++) {
      for (const conversationId of conversations) {
        const message = buyerMessage({ conversationId, text: `turn ${turn}` });
        expect(await queue.accept('generic', message)).toEqual({ duplicate: false });
        expect(await queue.accept('generic', message)).toEqual({ duplicate: true });
      }
    }
    await emptied(k, 4);
    for (const conversationId of conversations)
      expect(handled.get(conversationId)).toEqual(['turn 1', 'turn 2', 'turn 3']);

    // The duplicate marks sit in the conversation's shard; every shard got some.
    const check = redis();
    const marksPerShard = await Promise.all(
      [0, 1, 2, 3].map(async (shard) => (await check.keys(`${k.inboundSeen(shard, 'generic', '')}*`)).length),
    );
    expect(marksPerShard.reduce((a, b) => a + b, 0)).toBe(72);
    expect(marksPerShard.filter((n) => n > 0)).toHaveLength(4);
    for (const conversationId of conversations)
      expect(shardOf(conversationId, 4)).toBe(shardOf(conversationId, 4));
    expect(await queue.view.counts()).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it('lists failed messages of every shard, newest first, and replays one into its own shard', async () => {
    const k = newKeys();
    const queue = await queueOf(k, 4);
    const handled: string[] = [];
    await start(k, 4, async (job) => (handled.push(job.message.text), HANDLED));
    const check = redis();
    // Not buyer messages: set aside at once, one in shard 3, then one in shard 0.
    await check.xadd(k.inboundStream(3), '*', 'job', '{"channel":"generic"');
    await waitFor(
      async () => ((await queue.view.failed(10)).total === 1 ? true : undefined),
      5_000,
      'the first set aside',
    );
    await check.xadd(k.inboundStream(0), '*', 'job', '{"channel":"web"');
    const { failed } = await waitFor(
      async () => {
        const view = await queue.view.failed(10);
        return view.total === 2 ? view : undefined;
      },
      5_000,
      'both set aside',
    );
    expect(failed.map((f) => f.raw)).toEqual(['{"channel":"web"', '{"channel":"generic"']);
    expect(failed[0]!.jobId).toMatch(/^\d+-\d+$/);
    expect(failed[1]!.jobId).toMatch(/^\d+-\d+@3$/);
    expect(await queue.view.counts()).toEqual({ waiting: 0, active: 0, failed: 2 });
    expect((await queue.view.failed(1)).failed.map((f) => f.raw)).toEqual(['{"channel":"web"']);

    // A real message that failed in shard 2, replayed by its listed id: back into shard 2, handled.
    const message = buyerMessage({ text: 'replayed' });
    const shard = shardOf(message.conversationId, 4);
    await check.xadd(
      k.inboundFailed(shard),
      '*',
      'job',
      JSON.stringify({ channel: 'generic', message, receivedAt: new Date().toISOString() }),
      'reason',
      'x',
      'attempts',
      '8',
      'at',
      String(Date.now()),
    );
    const listed = (await queue.view.failed(10)).failed.find((f) => f.failedReason === 'x')!;
    expect(listed.jobId.endsWith(shard === 0 ? '' : `@${shard}`)).toBe(true);
    expect(await queue.view.replay(`${listed.jobId.split('@')[0]}@9`)).toBe(false); // no such shard
    expect(await queue.view.replay(listed.jobId)).toBe(true);
    await waitFor(
      () => (handled.includes('replayed') ? true : undefined),
      5_000,
      'the replayed message handled',
    );
    expect(await queue.view.replay(listed.jobId)).toBe(false);

    // Replaying all, with no worker running: both bad entries back in their own shards.
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await queue.view.replayAll();
    expect((await queue.view.failed(10)).total).toBe(0);
    expect([await check.xlen(k.inboundStream(0)), await check.xlen(k.inboundStream(3))]).toEqual([1, 1]);
  });

  it('reads every shard a producer ever wrote to, after the setting is lowered or raised', async () => {
    const k = newKeys();
    const handled: string[] = [];
    const handle = async (job: InboundJob) => (handled.push(job.message.messageId), HANDLED);

    // Written to 4 shards, then read by a worker set to 1: it reads all 4.
    const wide = await queueOf(k, 4);
    const early = Array.from({ length: 12 }, (_, i) => buyerMessage({ conversationId: `c-early-${i}` }));
    for (const m of early) await wide.accept('generic', m);
    const worker = await start(k, 1, handle, 1000);
    await waitFor(
      () => (early.every((m) => handled.includes(m.messageId)) ? true : undefined),
      5_000,
      'all four shards read',
    );

    // A producer set to 6 starts while that worker runs: the worker finds the two new shards.
    const wider = await queueOf(k, 6);
    const late = Array.from({ length: 24 }, (_, i) => buyerMessage({ conversationId: `c-late-${i}` }));
    expect(late.some((m) => shardOf(m.conversationId, 6) >= 4)).toBe(true);
    for (const m of late) await wider.accept('generic', m);
    await waitFor(
      () => (late.every((m) => handled.includes(m.messageId)) ? true : undefined),
      5_000,
      'the new shards read',
    );
    expect(worker.isRunning()).toBe(true);
    expect(await wider.view.counts()).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it('takes over what a dead worker held in any shard', async () => {
    const k = newKeys();
    const queue = await queueOf(k, 4);
    const reader = redis();
    const connection = redis();
    await startInboundWorker({
      connection,
      reader,
      k,
      shardCount: 4,
      lockMs: 600,
      concurrency: 8,
      handleInbound: () => new Promise(() => undefined),
      log: silentLogger(),
    });
    const messages = Array.from({ length: 8 }, (_, i) => buyerMessage({ conversationId: `c-dead-${i}` }));
    for (const m of messages) await queue.accept('generic', m);
    await waitFor(
      async () => ((await queue.view.counts()).active === 8 ? true : undefined),
      5_000,
      'all taken by the worker that dies',
    );
    connection.disconnect();
    reader.disconnect();

    const handled: string[] = [];
    await start(k, 4, async (job) => (handled.push(job.message.messageId), HANDLED), 600);
    await emptied(k, 4);
    expect(handled.sort()).toEqual(messages.map((m) => m.messageId).sort());
  });
});
