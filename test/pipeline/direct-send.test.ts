import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newConversation } from '../../src/conversations/conversation.ts';
import { createRedisConversationStore } from '../../src/conversations/redis-conversation-store.ts';
import { OUTBOX_QUEUE } from '../../src/outbox/outbox-queue.ts';
import { DELIVERED_RECORD, repliesRecord } from '../../src/outbox/replies-record.ts';
import { keys } from '../../src/shared/keys.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { TEST_REDIS_URL } from '../helpers/redis.ts';
import {
  buyerMessage,
  FIXTURE_CATALOG,
  signedPost,
  sleep,
  waitFor,
  useTestService,
} from '../helpers/service.ts';

/** Replies leave from the worker that wrote them; the outbox holds only what could not go at once. */
describe('replies sent at once', () => {
  const { service, channel } = useTestService({ CATALOG_FILE: FIXTURE_CATALOG });
  const redis = new Redis(TEST_REDIS_URL);
  let outbox: Queue;

  beforeAll(async () => {
    outbox = new Queue(OUTBOX_QUEUE, { connection: redis, prefix: service.prefix });
  });
  afterAll(async () => {
    await outbox.close();
    redis.disconnect();
  });

  it('answers without a trip through the outbox while the channel takes messages', async () => {
    const message = buyerMessage({ text: '发什么快递' });
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    const [reply] = await waitFor(() =>
      channel.to(message.conversationId).length ? channel.to(message.conversationId) : undefined,
    );
    expect(reply!.inReplyTo).toBe(message.messageId);
    await sleep(300);
    expect(channel.to(message.conversationId)).toHaveLength(1);
    expect(await outbox.getJob(reply!.messageId)).toBeUndefined();
    expect(await outbox.getJobCounts('completed', 'waiting', 'active', 'delayed', 'failed')).toEqual({
      completed: 0,
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
    });
  });

  it('sends again the stored answer of a message a worker handled but died before sending', async () => {
    // What a worker killed between its commit and its send leaves: the answer in the history, the done mark.
    const store = createRedisConversationStore(redis, keys(service.prefix), 3600, silentLogger());
    const message = buyerMessage({ text: '在吗' });
    const now = new Date();
    const answer = {
      messageId: `out-${message.messageId}`,
      from: 'bot' as const,
      text: '在的亲，请问有什么可以帮您？',
      at: now.toISOString(),
      kind: 'answer',
      inReplyTo: message.messageId,
    };
    const buyer = {
      messageId: message.messageId,
      from: 'buyer' as const,
      text: message.text,
      at: now.toISOString(),
    };
    await store.commit(
      newConversation(message.conversationId, message.buyer.id, 'generic', now),
      [buyer, answer],
      { done: { messageId: message.messageId, record: repliesRecord([]) } },
    );

    // The retried job comes back as the same message; here the channel's post drives it through the webhook.
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    await waitFor(() => (channel.to(message.conversationId).length ? true : undefined));
    await sleep(300);
    expect(channel.to(message.conversationId).map((m) => [m.messageId, m.text])).toEqual([
      [answer.messageId, answer.text],
    ]);
    expect((await store.history(message.conversationId)).map((e) => e.messageId)).toEqual([
      buyer.messageId,
      answer.messageId,
    ]);
    // Sent again once: a further run of the same message sends nothing more.
    expect(await store.begin(message.conversationId, message.messageId, 60)).toEqual({
      kind: 'done',
      record: DELIVERED_RECORD,
      inOutbox: 0,
    });
  });

  it('sends nothing twice when a job whose answer went out is run again (its worker died before the job was marked finished)', async () => {
    const message = buyerMessage({ text: '发什么快递' });
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    await waitFor(() => (channel.to(message.conversationId).length ? true : undefined));

    // What a worker does with a message whose worker died before acknowledging it: handle it again.
    const stream = keys(service.prefix).inboundStream();
    await redis.xadd(
      stream,
      '*',
      'job',
      JSON.stringify({ channel: 'generic', message, receivedAt: new Date().toISOString() }),
    );
    await waitFor(
      async () => ((await redis.xlen(stream)) === 0 ? true : undefined),
      8_000,
      'the re-run message to be handled and acknowledged',
    );
    const history = await createRedisConversationStore(
      redis,
      keys(service.prefix),
      3600,
      silentLogger(),
    ).history(message.conversationId);
    expect(history.map((e) => e.from)).toEqual(['buyer', 'bot']);
    await sleep(300);
    expect(channel.to(message.conversationId)).toHaveLength(1);
  });

  it('gives up on a channel slower than 2 s and hands the answer to the outbox, which waits for it', async () => {
    channel.slowNext = 1;
    channel.slowMs = 3_000;
    const message = buyerMessage({ text: '发什么快递' });
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    // The slow channel took the first try (it answered late); the outbox sent the same answer again.
    const [first, again] = await waitFor(
      () => (channel.to(message.conversationId).length >= 2 ? channel.to(message.conversationId) : undefined),
      10_000,
      'the outbox to send it',
    );
    expect([again!.messageId, again!.text]).toEqual([first!.messageId, first!.text]);
    expect(again!.receivedAtMs - first!.receivedAtMs).toBeGreaterThanOrEqual(1_900);
    expect(again!.receivedAtMs - first!.receivedAtMs).toBeLessThan(2_900);
    expect((await outbox.getJob(first!.messageId))?.data.message.messageId).toBe(first!.messageId);
  }, 15_000);
});
