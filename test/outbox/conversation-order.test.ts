import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChannelPort } from '../../src/channels/channel.ts';
import type { OutboundMessage } from '../../src/channels/message.ts';
import { createConversationLine } from '../../src/outbox/conversation-line.ts';
import { createOutbox, type OutboxJob } from '../../src/outbox/outbox-queue.ts';
import { createOutboxWorker } from '../../src/outbox/outbox-worker.ts';
import { createSendMessage } from '../../src/outbox/send-message.ts';
import { ChannelSendError } from '../../src/shared/errors.ts';
import { keys } from '../../src/shared/keys.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createMetrics } from '../../src/stats/prom-metrics.ts';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import {
  buyerMessage,
  FIXTURE_CATALOG,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
} from '../helpers/service.ts';

/** The shop's send API as a port: records what it took and when, and refuses a message's first `failures[id]` tries. */
class FlakyChannel implements ChannelPort {
  readonly id = 'generic';
  readonly took: (OutboundMessage & { at: number })[] = [];
  readonly refused: string[] = [];
  constructor(private readonly failures: Record<string, number>) {}
  async send(message: OutboundMessage) {
    if ((this.failures[message.messageId] ?? 0) > 0) {
      this.failures[message.messageId]! -= 1;
      this.refused.push(message.messageId);
      throw new ChannelSendError('channel answered 503');
    }
    this.took.push({ ...message, at: Date.now() });
  }
}

describe("a conversation's messages in the outbox", () => {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefixes: string[] = [];
  const opened: { close(): Promise<void> }[] = [];
  const connections: Redis[] = [redis];
  /** An outbox of its own for each test (nothing left from another test's retries), with its worker on `channel`. */
  const setup = (channel: ChannelPort) => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const k = keys(prefix);
    const line = createConversationLine(redis, k);
    const outbox = createOutbox(redis, prefix, 50, line, silentLogger());
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    const send = createSendMessage({
      channels: { generic: channel },
      ownDomains: [],
      metrics: createMetrics({}),
      log: silentLogger(),
    });
    const worker = createOutboxWorker({
      connection,
      lockMs: 5_000,
      prefix,
      send,
      concurrency: 16,
      backoffMs: 300,
      backoffMaxMs: 300,
      metrics: createMetrics({}),
      isUnpaid: async () => true,
      markUndelivered: async () => undefined,
      line,
      queue: outbox.queue,
      log: silentLogger(),
    });
    opened.push(worker, outbox);
    return { k, line, outbox };
  };
  const job = (conversationId: string, id: string): OutboxJob => ({
    channel: 'generic',
    message: {
      messageId: id,
      conversationId,
      buyerId: 'b-1',
      text: `reply ${id}`,
      from: 'bot',
      kind: 'answer',
    },
  });

  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deletePrefix(prefix);
    for (const c of connections) c.disconnect();
  });

  it('leave in the order they were queued: one waiting for a retry is not overtaken; other conversations go on', async () => {
    const channel = new FlakyChannel({ a1: 2 });
    const { k, outbox } = setup(channel);
    for (const id of ['a1', 'a2', 'a3']) await outbox.enqueue(job('c-a', id));
    await outbox.enqueue(job('c-other', 'o1'));
    // The channel takes a message before its job is marked completed (that is what counts an
    // attempt): wait for the jobs, not the channel, or a3 may still be active with 0 attempts.
    await waitFor(
      async () => ((await outbox.queue.getCompletedCount()) === 4 ? true : undefined),
      8_000,
      'all four sent and completed',
    );
    expect(channel.took.filter((m) => m.conversationId === 'c-a').map((m) => m.messageId)).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
    // The other conversation did not wait for a1's retries.
    expect(channel.took[0]!.messageId).toBe('o1');
    expect(await redis.llen(k.outboxLine('c-a'))).toBe(0);
    // Waiting in line used none of their attempts.
    expect((await outbox.queue.getJob('a3'))!.attemptsMade).toBe(1);
  });

  it('is woken by the one before it as soon as that one is sent, not at its next look', async () => {
    // a1 needs 17 tries, 0.3 s apart (about 5 s): meanwhile a2's own looks have grown to 4 s apart.
    const channel = new FlakyChannel({ a1: 16 });
    const { outbox } = setup(channel);
    await outbox.enqueue(job('c-w', 'a1'));
    await outbox.enqueue(job('c-w', 'a2'));
    await waitFor(() => (channel.took.length === 2 ? true : undefined), 15_000, 'both sent');
    const [first, second] = channel.took;
    expect([first!.messageId, second!.messageId]).toEqual(['a1', 'a2']);
    expect(second!.at - first!.at).toBeLessThan(1_000);
  });

  it('lets the rest go past one message the channel keeps refusing while it takes others', async () => {
    const channel = new FlakyChannel({ x1: 1_000 });
    const { k, outbox } = setup(channel);
    await outbox.enqueue(job('c-x', 'x1'));
    await outbox.enqueue(job('c-x', 'x2'));
    await waitFor(() => (channel.refused.length >= 3 ? true : undefined), 5_000, 'x1 refused three times');
    expect(channel.took).toEqual([]); // x2 still waits: so far the channel took nothing, it may be down
    await outbox.enqueue(job('c-other', 'o2'));
    await waitFor(
      () => (channel.took.some((m) => m.messageId === 'x2') ? true : undefined),
      8_000,
      'x2 sent past x1',
    );
    expect(channel.took.map((m) => m.messageId)).toEqual(['o2', 'x2']);
    expect(await redis.lrange(k.outboxLine('c-x'), 0, -1)).toEqual([]); // x1 retries apart
  });

  it('waits for a first-in-line whose job is not there yet, and passes one whose job never came', async () => {
    const channel = new FlakyChannel({});
    const { k, line, outbox } = setup(channel);
    // Joined just now: its job may be on its way (joining comes first). b1 waits.
    await line.join('c-b', 'b0');
    await outbox.enqueue(job('c-b', 'b1'));
    await sleep(1_000);
    expect(channel.took).toEqual([]);
    await outbox.enqueue(job('c-b', 'b0'));
    await waitFor(() => (channel.took.length === 2 ? true : undefined), 5_000, 'b0 and b1 sent');
    expect(channel.took.map((m) => m.messageId)).toEqual(['b0', 'b1']);
    // Joined a minute ago and no job since (a crash between the two): passed.
    await line.join('c-g', 'ghost');
    await redis.hset(k.outboxLineJoined('c-g'), 'ghost', Date.now() - 60_000);
    await outbox.enqueue(job('c-g', 'g1'));
    await waitFor(() => (channel.took.length === 3 ? true : undefined), 5_000, 'g1 sent');
    expect(await redis.llen(k.outboxLine('c-g'))).toBe(0);
  });
});

describe("a buyer's answers while earlier ones wait in the outbox", () => {
  const channel = new FakeChannel(SECRET);

  it('go behind them, not straight to the channel once it takes messages again', async () => {
    // The first answer's direct send and first outbox try fail; its retry comes 8 s later. The
    // worker's direct sends stop for 5 s after a failure: the second question comes after that.
    const service = await startTestService({
      CHANNEL_SEND_URL: await channel.start(),
      CATALOG_FILE: FIXTURE_CATALOG,
      OUTBOX_BACKOFF_MS: '8000',
      OUTBOX_BACKOFF_MAX_MS: '8000',
    });
    try {
      channel.failNext = 2;
      const first = buyerMessage({ text: '发什么快递' });
      await signedPost(`${service.url}/v1/channels/generic/messages`, first);
      await waitFor(() => (channel.attempts.length >= 2 ? true : undefined), 5_000, 'two failed tries');
      await sleep(5_500);
      const second = buyerMessage({ conversationId: first.conversationId, text: '有什么优惠吗' });
      await signedPost(`${service.url}/v1/channels/generic/messages`, second);
      const replies = await waitFor(
        () => (channel.to(first.conversationId).length >= 2 ? channel.to(first.conversationId) : undefined),
        10_000,
        'both answers',
      );
      expect(replies.map((r) => r.inReplyTo)).toEqual([first.messageId, second.messageId]);
    } finally {
      await service.close();
      await channel.stop();
    }
  }, 30_000);
});
