import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisProcess } from '../helpers/redis-process.ts';
import { gzipSync } from 'node:zlib';
import { signedHeaders } from '../../src/channels/generic/signature.ts';
import { buyerMessage, SECRET, signedPost, startTestService, type TestService } from '../helpers/service.ts';

describe('the generic channel webhook', () => {
  let service: TestService;
  let messagesUrl: string;
  let ordersUrl: string;

  beforeAll(async () => {
    service = await startTestService();
    messagesUrl = `${service.url}/v1/channels/generic/messages`;
    ordersUrl = `${service.url}/v1/channels/generic/orders`;
  });
  afterAll(async () => service.close());

  it('accepts a signed buyer message with 202', async () => {
    const res = await signedPost(messagesUrl, buyerMessage());
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, duplicate: false });
  });

  it('answers a repeated messageId with duplicate: true', async () => {
    const message = buyerMessage();
    expect(await (await signedPost(messagesUrl, message)).json()).toEqual({
      accepted: true,
      duplicate: false,
    });
    const again = await signedPost(messagesUrl, message);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: true, duplicate: true });
  });

  it('refuses a missing signature, a wrong one and a stale timestamp with 401', async () => {
    const body = JSON.stringify(buyerMessage());
    const unsigned = await fetch(messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect((await signedPost(messagesUrl, buyerMessage(), { secret: 'not-the-secret' })).status).toBe(401);
    const stale = await signedPost(messagesUrl, buyerMessage(), { nowMs: Date.now() - 301_000 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe('CHANNEL_SIGNATURE_INVALID');
  });

  it('refuses a body whose bytes changed after signing', async () => {
    const raw = JSON.stringify(buyerMessage());
    const { signedHeaders } = await import('../../src/channels/generic/signature.ts');
    const headers = signedHeaders('test-secret-123', raw);
    const res = await fetch(messagesUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: raw.replace('在吗', '在不'),
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ['empty text', { ...buyerMessage(), text: '   ' }, 'text'],
    ['text over 2000 characters', { ...buyerMessage(), text: '好'.repeat(2001) }, 'text'],
    ['missing messageId', { ...buyerMessage(), messageId: undefined }, 'messageId'],
    ['missing buyer id', { ...buyerMessage(), buyer: {} }, 'buyer.id'],
    ['wrong type', { ...buyerMessage(), conversationId: 42 }, 'conversationId'],
    ['bad sentAt', { ...buyerMessage(), sentAt: 'yesterday' }, 'sentAt'],
  ])('refuses %s with a 400 naming the field', async (_name, body, field) => {
    const res = await signedPost(messagesUrl, body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error.code).toBe('VALIDATION_FAILED');
    expect(json.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await signedPost(messagesUrl, undefined, { raw: '{"messageId": "x", ' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('INVALID_JSON');
  });

  it('refuses a body over 64 KB with 413', async () => {
    const res = await signedPost(messagesUrl, { ...buyerMessage(), padding: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a body over 64 KB sent without a length (chunked) with 413', async () => {
    const raw = JSON.stringify({ ...buyerMessage(), padding: 'x'.repeat(70_000) });
    const chunks = [raw.slice(0, 30_000), raw.slice(30_000)];
    const body = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(new TextEncoder().encode(next));
        else controller.close();
      },
    });
    const res = await fetch(messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, raw) },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('takes the same message with a query string, and a gzip-compressed one (read by Express, which inflates it)', async () => {
    expect((await signedPost(`${messagesUrl}?source=shop`, buyerMessage())).status).toBe(202);
    const raw = JSON.stringify(buyerMessage());
    const res = await fetch(messagesUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        ...signedHeaders(SECRET, raw),
      },
      body: gzipSync(raw),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, duplicate: false });
  });

  it('counts the webhook against the same per-address limit as the rest of /v1', async () => {
    const limited = await startTestService({ IP_RATE_PER_MINUTE: '3' });
    try {
      const url = `${limited.url}/v1/channels/generic/messages`;
      const minute = Math.floor(Date.now() / 60_000);
      expect((await signedPost(url, buyerMessage())).status).toBe(202);
      expect(
        (await fetch(`${limited.url}/v1/admin/conversations`, { headers: { authorization: 'Bearer nope' } }))
          .status,
      ).toBe(401);
      expect((await signedPost(url, buyerMessage())).status).toBe(202);
      const over = await signedPost(url, buyerMessage());
      // The fourth request of the minute is over the limit (202 only if a new minute began meanwhile).
      if (over.status === 202) expect(Math.floor(Date.now() / 60_000)).not.toBe(minute);
      else {
        expect(over.status).toBe(429);
        expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await over.json()).error.code).toBe('RATE_LIMITED');
        expect((await fetch(`${limited.url}/v1/admin/conversations`)).status).toBe(429);
      }
    } finally {
      await limited.close();
    }
  });

  it('accepts order events once per eventId and validates them', async () => {
    const event = {
      eventId: `e-${randomUUID()}`,
      type: 'created',
      orderId: 'o-1',
      buyerId: 'b-1',
      conversationId: 'c-1',
      at: new Date().toISOString(),
      items: [{ productId: 't-1', qty: 1, price: 79 }],
      total: 79,
    };
    expect(await (await signedPost(ordersUrl, event)).json()).toEqual({ accepted: true, duplicate: false });
    expect(await (await signedPost(ordersUrl, event)).json()).toEqual({ accepted: true, duplicate: true });
    const bad = await signedPost(ordersUrl, { ...event, eventId: 'e-2', type: 'refunded', total: -1 });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['type', 'total']));
    const empty = await signedPost(ordersUrl, { ...event, eventId: `e-${randomUUID()}`, items: [] });
    expect((await empty.json()).error.details.map((d: { path: string }) => d.path)).toEqual(['items']);
    const paidWithoutItems = await signedPost(ordersUrl, {
      ...event,
      eventId: `e-${randomUUID()}`,
      type: 'paid',
      items: [],
      at: '2026-11-11T10:00:00',
    });
    expect(paidWithoutItems.status).toBe(202);
  });

  it('stays healthy after all the bad input', async () => {
    const res = await fetch(`${service.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('when Redis is gone', () => {
  const redis = new RedisProcess();
  let service: TestService;

  beforeAll(async () => {
    await redis.start();
    service = await startTestService({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await redis.start();
    await service.close();
    await redis.stop();
  });

  it('answers 503 and accepts nothing, and /healthz says 503', async () => {
    const message = buyerMessage();
    expect((await signedPost(`${service.url}/v1/channels/generic/messages`, buyerMessage())).status).toBe(
      202,
    );
    await redis.stop('SIGKILL');
    const res = await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('QUEUE_UNAVAILABLE');
    expect((await fetch(`${service.url}/healthz`)).status).toBe(503);

    // Back up: the refused message is accepted as new, not called a duplicate.
    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${service.url}/healthz`)).status !== 200 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const retry = await signedPost(`${service.url}/v1/channels/generic/messages`, message);
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ accepted: true, duplicate: false });
  });
});
