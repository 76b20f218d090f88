import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { adminHeaders, buyerMessage, SECRET, signedPost, sleep, startTestService, waitFor, type TestService } from '../helpers/service.ts';

describe('hostile input at the webhook', () => {
  const channel = new FakeChannel(SECRET);
  let service: TestService;
  let url: string;

  beforeAll(async () => {
    service = await startTestService({ CHANNEL_SEND_URL: await channel.start(), CHAT_RATE_PER_MINUTE: '5' });
    url = `${service.url}/v1/channels/generic/messages`;
  });
  afterAll(async () => {
    await service.close();
    await channel.stop();
  });

  it('never answers 5xx to any signed JSON body (fast-check, 300 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 6 }), fc.constantFrom('', ' ', 'null', '[]', '{}', '{"a":', '\u0000'), fc.string({ maxLength: 300 })), async (raw) => {
        const res = await signedPost(url, undefined, { raw });
        await res.body?.cancel();
        return [202, 400, 413].includes(res.status);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('handles messages whose every field is fuzzed around the valid shape (fast-check, 300 cases)', async () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('\u200b\u200b', '\u202e在吗', '😀'.repeat(999), '😀'.repeat(1001), 'a\u0000b', '\t\n'));
    const id = fc.oneof(fc.string({ minLength: 0, maxLength: 250 }), fc.constant('x:y:z'), fc.constant('12345'));
    await fc.assert(
      fc.asyncProperty(id, id, id, text, fc.option(fc.string({ maxLength: 30 })), async (messageId, conversationId, buyerId, t, productId) => {
        const res = await signedPost(url, { messageId, conversationId, buyer: { id: buyerId }, text: t, ...(productId ? { productId } : {}) });
        await res.body?.cancel();
        return res.status === 202 || res.status === 400;
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('refuses deeply nested JSON and ignores prototype-pollution keys', async () => {
    const deep = await signedPost(url, undefined, { raw: `${'['.repeat(20_000)}${']'.repeat(20_000)}` });
    expect(deep.status).toBe(400);
    const polluting = `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"messageId":"m-${randomUUID()}","conversationId":"c-${randomUUID()}","buyer":{"id":"b","__proto__":{"admin":true}},"text":"在吗"}`;
    const res = await signedPost(url, undefined, { raw: polluting });
    expect(res.status).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strips zero-width and direction marks, and refuses a text that is only those', async () => {
    const onlyMarks = await signedPost(url, buyerMessage({ text: '\u200b\u200f\u202e\u2066' }));
    expect(onlyMarks.status).toBe(400);
    const hidden = buyerMessage({ text: '在\u200b吗\u202e' });
    expect((await signedPost(url, hidden)).status).toBe(202);
    const history = await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/conversations/${hidden.conversationId}`, { headers: adminHeaders() });
      return res.ok ? (await res.json()).messages : undefined;
    });
    expect(history[0].text).toBe('在吗');
  });

  it('stays healthy with nothing failed in its workers', async () => {
    await sleep(1000);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const failed = await (await fetch(`${service.url}/v1/admin/inbound/failed`, { headers: adminHeaders() })).json();
    expect(failed.total).toBe(0);
  });

  it('answers a flood from one buyer once, calmly, then listens', async () => {
    const conversationId = `c-${randomUUID()}`;
    for (let i = 0; i < 30; i++) await signedPost(url, buyerMessage({ conversationId, text: '在吗' }));
    await waitFor(() => (channel.to(conversationId).length >= 13 ? true : undefined), 10_000, 'the replies');
    await sleep(800);
    const replies = channel.to(conversationId);
    expect(replies).toHaveLength(13);
    expect(replies[12]!.text).toMatch(/一条一条/);
    const buyerMessages = await waitFor(async () => {
      const history = await (await fetch(`${service.url}/v1/admin/conversations/${conversationId}`, { headers: adminHeaders() })).json();
      const mine = history.messages.filter((m: { from: string }) => m.from === 'buyer');
      return mine.length >= 30 ? mine : undefined;
    }, 10_000, 'all thirty messages in the history');
    expect(buyerMessages).toHaveLength(30);
    expect(channel.to(conversationId)).toHaveLength(13);
  });

  it('limits one address on the public web chat with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${service.url}/v1/chat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversationId: `web-${randomUUID()}`, text: 'hi' }) });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(0, 5).every((s) => s === 202) || statuses.includes(429)).toBe(true);
  });
});
