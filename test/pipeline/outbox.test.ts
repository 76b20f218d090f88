import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import {
  adminHeaders,
  buyerMessage,
  FIXTURE_CATALOG,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

describe('the outbox', () => {
  const channel = new FakeChannel(SECRET);
  let service: TestService;

  beforeAll(async () => {
    const url = await channel.start();
    service = await startTestService({
      CHANNEL_SEND_URL: url,
      CATALOG_FILE: FIXTURE_CATALOG,
      OUTBOX_ATTEMPTS: '3',
      OUTBOX_BACKOFF_MS: '50',
      OUTBOX_BACKOFF_MAX_MS: '200',
    });
  });
  afterAll(async () => {
    await service.close();
    await channel.stop();
  });

  // The first try is the inbound worker's own, at once; the outbox's retries follow it.
  it('retries a channel error with the same messageId until the channel takes it', async () => {
    channel.failNext = 2;
    const message = buyerMessage({ text: '在吗' });
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    const [reply] = await waitFor(() =>
      channel.to(message.conversationId).length ? channel.to(message.conversationId) : undefined,
    );
    const tries = channel.attempts.filter((id) => id === reply!.messageId);
    expect(tries).toHaveLength(3);
  });

  it('keeps a message that failed every retry visible, and delivers it on replay', async () => {
    channel.failNext = Number.MAX_SAFE_INTEGER;
    const message = buyerMessage({ text: 'hello' });
    await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    const failed = await waitFor(
      async () => {
        const res = await fetch(`${service.url}/v1/admin/outbox/failed`, { headers: adminHeaders() });
        const body = await res.json();
        return body.failed.find(
          (f: { message: { conversationId: string } }) =>
            f.message?.conversationId === message.conversationId,
        );
      },
      8_000,
      'the failed message to be listed',
    );
    expect(failed.attemptsMade).toBe(3);
    expect(channel.to(message.conversationId)).toHaveLength(0);
    channel.failNext = 0;

    const replay = await fetch(`${service.url}/v1/admin/outbox/failed/${failed.jobId}/replay`, {
      method: 'POST',
      headers: adminHeaders(),
    });
    expect(replay.status).toBe(202);
    const [delivered] = await waitFor(() =>
      channel.to(message.conversationId).length ? channel.to(message.conversationId) : undefined,
    );
    expect(delivered!.messageId).toBe(failed.message.messageId);
    await sleep(200);
    const after = await (
      await fetch(`${service.url}/v1/admin/outbox/failed`, { headers: adminHeaders() })
    ).json();
    expect(after.failed.some((f: { jobId: string }) => f.jobId === failed.jobId)).toBe(false);
  });

  it('answers 404 to a replay of an unknown message', async () => {
    const res = await fetch(`${service.url}/v1/admin/outbox/failed/nope/replay`, {
      method: 'POST',
      headers: adminHeaders(),
    });
    expect(res.status).toBe(404);
  });
});

/** The 24 h outage in small: the same capped backoff, with waits of milliseconds instead of minutes. */
describe('the outbox through a channel outage', () => {
  const channel = new FakeChannel(SECRET);
  let service: TestService;

  beforeAll(async () => {
    const url = await channel.start();
    service = await startTestService({
      CHANNEL_SEND_URL: url,
      CATALOG_FILE: FIXTURE_CATALOG,
      OUTBOX_ATTEMPTS: '60',
      OUTBOX_BACKOFF_MS: '50',
      OUTBOX_BACKOFF_MAX_MS: '300',
    });
  });
  afterAll(async () => {
    await service.close();
    await channel.stop();
  });

  it('delivers every reply held back while the channel was down, once each, when it comes back', async () => {
    channel.failNext = Number.MAX_SAFE_INTEGER;
    const messages = Array.from({ length: 120 }, (_, i) =>
      buyerMessage({
        conversationId: `c-outage-${i % 40}-${process.pid}`,
        text: i % 2 ? '在吗' : '发什么快递',
      }),
    );
    for (const message of messages)
      expect((await signedPost(`${service.url}/v1/channels/generic/messages`, message)).status).toBe(202);
    // Each conversation's first reply is tried; its later ones wait behind it, in its line.
    await waitFor(
      () => (new Set(channel.attempts).size >= 40 ? true : undefined),
      15_000,
      "a first attempt at each conversation's first reply",
    );
    await sleep(2_000);
    expect(channel.received).toHaveLength(0);
    channel.failNext = 0;
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith('c-outage-'));
    await waitFor(() => (mine().length >= 120 ? true : undefined), 15_000, 'every reply after the outage');
    await sleep(500);
    expect(new Set(mine().map((m) => m.inReplyTo))).toEqual(new Set(messages.map((m) => m.messageId)));
    expect(mine()).toHaveLength(120);
    // Each conversation's answers arrived in the order of its questions.
    for (let c = 0; c < 40; c++) {
      const id = `c-outage-${c}-${process.pid}`;
      expect(
        mine()
          .filter((m) => m.conversationId === id)
          .map((m) => m.inReplyTo),
      ).toEqual(messages.filter((m) => m.conversationId === id).map((m) => m.messageId));
    }
    const failed = await (
      await fetch(`${service.url}/v1/admin/outbox/failed`, { headers: adminHeaders() })
    ).json();
    expect(failed.failed).toHaveLength(0);
  }, 45_000);
});
