import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChannelPort, OutboundMessage } from '../../src/channels/channel.ts';
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
import { buyerMessage, FIXTURE_CATALOG, SECRET, signedPost, sleep, startTestService, waitFor } from '../helpers/service.ts';

/** The shop's send API as a port: records what it took, and refuses a message's first `failures[id]` tries. */
class FlakyChannel implements ChannelPort {
  readonly name = 'generic';
  readonly took: OutboundMessage[] = [];
  constructor(private readonly failures: Record<string, number>) {}
  async send(message: OutboundMessage) {
    if ((this.failures[message.messageId] ?? 0) > 0) {
      this.failures[message.messageId]! -= 1;
      throw new ChannelSendError('channel answered 503');
    }
    this.took.push(message);
  }
}

describe("a conversation's messages in the outbox", () => {
  const prefix = uniquePrefix();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const k = keys(prefix);
  const line = createConversationLine(redis, k);
  const outbox = createOutbox(redis, prefix, 5, line);
  const workers: ReturnType<typeof createOutboxWorker>[] = [];
  const connections: Redis[] = [];
  const startWorker = (channel: ChannelPort) => {
    const send = createSendMessage({ channel, ownDomains: [], metrics: createMetrics({}), log: silentLogger() });
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    const worker = createOutboxWorker({
      connection, lockMs: 5_000, prefix, send, concurrency: 16, backoffMs: 300, backoffMaxMs: 300,
      metrics: createMetrics({}), isUnpaid: async () => true, line, queue: outbox.queue, log: silentLogger(),
    });
    workers.push(worker);
    return worker;
  };
  const job = (conversationId: string, id: string): OutboxJob => ({ channel: 'generic', message: { messageId: id, conversationId, buyerId: 'b-1', text: `reply ${id}`, from: 'bot', kind: 'answer' } });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
  });
  afterAll(async () => {
    await outbox.close();
    await deletePrefix(prefix);
    for (const c of [redis, ...connections]) c.disconnect();
  });

  it('leave in the order they were queued: one waiting for a retry is not overtaken; other conversations go on', async () => {
    const channel = new FlakyChannel({ a1: 2 });
    startWorker(channel);
    for (const id of ['a1', 'a2', 'a3']) await outbox.enqueue(job('c-a', id));
    await outbox.enqueue(job('c-other', 'o1'));
    await waitFor(() => (channel.took.length === 4 ? true : undefined), 8_000, 'all four sent');
    expect(channel.took.filter((m) => m.conversationId === 'c-a').map((m) => m.messageId)).toEqual(['a1', 'a2', 'a3']);
    // The other conversation did not wait for a1's retries.
    expect(channel.took[0]!.messageId).toBe('o1');
    expect(await redis.llen(k.outboxLine('c-a'))).toBe(0);
    // Waiting in line used none of their attempts.
    expect((await outbox.queue.getJob('a3'))!.attemptsMade).toBe(1);
  });

  it('gets past a first-in-line whose job is gone (a crash between joining the line and queueing)', async () => {
    const channel = new FlakyChannel({});
    startWorker(channel);
    await line.join('c-b', 'never-queued');
    await outbox.enqueue(job('c-b', 'b1'));
    await waitFor(() => (channel.took.length ? true : undefined), 8_000, 'b1 sent');
    expect(channel.took.map((m) => m.messageId)).toEqual(['b1']);
    expect(await redis.llen(k.outboxLine('c-b'))).toBe(0);
  });
});

describe("a buyer's answers while earlier ones wait in the outbox", () => {
  const channel = new FakeChannel(SECRET);

  it('go behind them, not straight to the channel once it takes messages again', async () => {
    // The first answer's direct send and first outbox try fail; its retry comes 8 s later. The
    // worker's direct sends stop for 5 s after a failure: the second question comes after that.
    const service = await startTestService({ CHANNEL_SEND_URL: await channel.start(), CATALOG_FILE: FIXTURE_CATALOG, OUTBOX_BACKOFF_MS: '8000', OUTBOX_BACKOFF_MAX_MS: '8000' });
    try {
      channel.failNext = 2;
      const first = buyerMessage({ text: '发什么快递' });
      await signedPost(`${service.url}/v1/channels/generic/messages`, first);
      await waitFor(() => (channel.attempts.length >= 2 ? true : undefined), 5_000, 'two failed tries');
      await sleep(5_500);
      const second = buyerMessage({ conversationId: first.conversationId, text: '有什么优惠吗' });
      await signedPost(`${service.url}/v1/channels/generic/messages`, second);
      const replies = await waitFor(() => (channel.to(first.conversationId).length >= 2 ? channel.to(first.conversationId) : undefined), 10_000, 'both answers');
      expect(replies.map((r) => r.inReplyTo)).toEqual([first.messageId, second.messageId]);
    } finally {
      await service.close();
      await channel.stop();
    }
  }, 30_000);
});
