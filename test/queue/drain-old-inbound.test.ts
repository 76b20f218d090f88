import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import {
  adminHeaders,
  buyerMessage,
  SECRET,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

/** An upgrade from a version that queued buyer messages in BullMQ loses none of them. */
describe('the old BullMQ inbound queue', () => {
  const channel = new FakeChannel(SECRET);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = uniquePrefix();
  const job = (text: string) => ({
    channel: 'generic',
    message: buyerMessage({ text }),
    receivedAt: new Date().toISOString(),
  });
  const waiting = job('在吗');
  const delayed = job('发什么快递');
  const failed = job('什么面料');
  let service: TestService | undefined;

  beforeAll(async () => {
    // What an earlier version left behind: a waiting job, a delayed one, and one that failed every attempt.
    const old = new Queue('{inbound}', { connection: redis, prefix });
    await old.add('message', failed, { jobId: 'in-failed', attempts: 1 });
    const failing = new Worker(
      '{inbound}',
      async () => {
        throw new Error('redis went away');
      },
      { connection: redis.duplicate(), prefix },
    );
    await waitFor(
      async () => ((await old.getFailedCount()) === 1 ? true : undefined),
      5_000,
      'the old job to fail',
    );
    await failing.close();
    await old.add('message', waiting, { jobId: 'in-waiting' });
    await old.add('message', delayed, { jobId: 'in-delayed', delay: 60_000 });
    await old.close();
  });
  afterAll(async () => {
    await service?.close();
    await channel.stop();
    redis.disconnect();
  });

  it('moves its messages into the stream and answers them, lists the failed one, and deletes the old queue', async () => {
    service = await startTestService({ KEY_PREFIX: prefix, CHANNEL_SEND_URL: await channel.start() });
    for (const { message } of [waiting, delayed]) {
      await waitFor(() => channel.to(message.conversationId)[0], 10_000, `an answer to ${message.text}`);
    }
    const list = await (
      await fetch(`${service.url}/v1/admin/inbound/failed`, { headers: adminHeaders() })
    ).json();
    expect(list).toMatchObject({
      total: 1,
      failed: [{ failedReason: 'redis went away', message: { messageId: failed.message.messageId } }],
    });
    expect(channel.to(failed.message.conversationId)).toEqual([]);
    expect(await redis.keys(`${prefix}:{inbound}:*`)).toEqual([]);
  });
});
