import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/channels/generic/signature.ts';
import { rawRequest, type RawAnswer } from '../helpers/raw-request.ts';
import {
  ADMIN,
  adminHeaders,
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
  useTestService,
} from '../helpers/service.ts';

describe('hostile input at the webhook', () => {
  const { service, channel } = useTestService({ CHAT_RATE_PER_MINUTE: '5' });
  let url: string;

  beforeAll(async () => {
    url = `${service.url}/v1/channels/generic/messages`;
  });

  it('never answers 5xx to any signed JSON body (fast-check, 300 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json({ maxDepth: 6 }),
          fc.constantFrom('', ' ', 'null', '[]', '{}', '{"a":', '\u0000'),
          fc.string({ maxLength: 300 }),
        ),
        async (raw) => {
          const res = await signedPost(url, undefined, { raw });
          await res.body?.cancel();
          return [202, 400, 413].includes(res.status);
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);

  it('handles messages whose every field is fuzzed around the valid shape (fast-check, 300 cases)', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('\u200b\u200b', '\u202e在吗', '😀'.repeat(999), '😀'.repeat(1001), 'a\u0000b', '\t\n'),
    );
    const id = fc.oneof(
      fc.string({ minLength: 0, maxLength: 250 }),
      fc.constant('x:y:z'),
      fc.constant('12345'),
    );
    await fc.assert(
      fc.asyncProperty(
        id,
        id,
        id,
        text,
        fc.option(fc.string({ maxLength: 30 })),
        async (messageId, conversationId, buyerId, t, productId) => {
          const res = await signedPost(url, {
            messageId,
            conversationId,
            buyer: { id: buyerId },
            text: t,
            ...(productId ? { productId } : {}),
          });
          await res.body?.cancel();
          return res.status === 202 || res.status === 400;
        },
      ),
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
      const res = await fetch(`${service.url}/v1/admin/conversations/${hidden.conversationId}`, {
        headers: adminHeaders(),
      });
      return res.ok ? (await res.json()).messages : undefined;
    });
    expect(history[0].text).toBe('在吗');
  });

  it('stays healthy with nothing failed in its workers', async () => {
    await sleep(1000);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const failed = await (
      await fetch(`${service.url}/v1/admin/inbound/failed`, { headers: adminHeaders() })
    ).json();
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
    const buyerMessages = await waitFor(
      async () => {
        const history = await (
          await fetch(`${service.url}/v1/admin/conversations/${conversationId}`, { headers: adminHeaders() })
        ).json();
        const mine = history.messages.filter((m: { from: string }) => m.from === 'buyer');
        return mine.length >= 30 ? mine : undefined;
      },
      10_000,
      'all thirty messages in the history',
    );
    expect(buyerMessages).toHaveLength(30);
    expect(channel.to(conversationId)).toHaveLength(13);
  });

  it('limits one address on the public web chat with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${service.url}/v1/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: `web-${randomUUID()}`, text: 'hi' }),
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(0, 5).every((s) => s === 202) || statuses.includes(429)).toBe(true);
  });
});

describe("a corrupt body or path is the client's mistake: 4xx with the error body, never 500, logged without a stack", () => {
  const lines: { level: number; msg: string; err?: unknown; code?: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ AGENT_TOKENS: 'ann:ann-token' }, { log });
  });
  afterAll(async () => {
    await service?.close();
  });

  const json = Buffer.from(JSON.stringify({ text: '在吗' }));
  const corrupt: Record<'gzip' | 'deflate' | 'br', Buffer[]> = {
    gzip: [
      Buffer.from('not gzip at all'),
      gzipSync(json).subarray(0, 12),
      Buffer.concat([gzipSync(json).subarray(0, 10), Buffer.from([0xff, 0xff, 0xff])]),
    ],
    deflate: [
      Buffer.from('not deflate'),
      deflateSync(json).subarray(0, 4),
      Buffer.from([0x78, 0x9c, 0xff, 0xff]),
    ],
    br: [
      Buffer.from('not brotli, or is it'),
      brotliCompressSync(json).subarray(0, 3),
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
    ],
  };
  const agent = { authorization: 'Bearer ann-token' };
  const admin = { authorization: `Bearer ${ADMIN}` };
  /** Every route that reads a body, with the auth it needs (the webhooks read the body to check its signature). */
  const bodyRoutes: { path: string; auth: Record<string, string>; before?: 'auth' }[] = [
    { path: '/v1/channels/generic/messages', auth: {} },
    { path: '/v1/channels/generic/orders', auth: {} },
    { path: '/v1/chat/messages', auth: {} },
    { path: '/v1/nlu/classify', auth: admin },
    { path: '/v1/nlu/classify', auth: {}, before: 'auth' },
    { path: '/v1/desk/handoffs/h-1/messages', auth: agent },
    { path: '/v1/desk/handoffs/h-1/resolve', auth: agent },
    { path: '/v1/desk/handoffs/h-1/transfer', auth: agent },
    { path: '/v1/desk/tasks/o-1/done', auth: agent },
    { path: '/v1/desk/handoffs/h-1/messages', auth: {}, before: 'auth' },
  ];

  const expectError = (res: RawAnswer, status: number, code: string) => {
    expect({
      status: res.status,
      code: (JSON.parse(res.body) as { error: { code: string } }).error.code,
    }).toEqual({ status, code });
    expect(JSON.parse(res.body)).toEqual({
      error: { code, message: expect.any(String), details: expect.any(Array) },
    });
  };

  it('answers a gzip, deflate or br body that does not decompress 400 BODY_NOT_DECODABLE on every route that reads one', async () => {
    for (const [encoding, bodies] of Object.entries(corrupt)) {
      for (const body of bodies) {
        for (const route of bodyRoutes) {
          const headers = {
            'content-type': 'application/json',
            'content-encoding': encoding,
            ...route.auth,
            ...signedHeaders(SECRET, body.toString('latin1')),
          };
          const res = await rawRequest(service.url, { method: 'POST', path: route.path, headers, body });
          if (route.before === 'auth') expectError(res, 401, 'UNAUTHORIZED');
          else expectError(res, 400, 'BODY_NOT_DECODABLE');
        }
      }
    }
  });

  it('still takes a body that does decompress, and answers an unknown encoding 415', async () => {
    const text = JSON.stringify({ text: '这件衣服什么面料' });
    for (const [encoding, packed] of [
      ['gzip', gzipSync(text)],
      ['deflate', deflateSync(text)],
      ['br', brotliCompressSync(text)],
    ] as const) {
      const res = await rawRequest(service.url, {
        method: 'POST',
        path: '/v1/nlu/classify',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding, ...admin },
        body: packed,
      });
      expect(res.status).toBe(200);
    }
    const unknown = await rawRequest(service.url, {
      method: 'POST',
      path: '/v1/chat/messages',
      headers: { 'content-type': 'application/json', 'content-encoding': 'x-unheard-of' },
      body: '{}',
    });
    expectError(unknown, 415, 'UNSUPPORTED_ENCODING');
    const charset = await rawRequest(service.url, {
      method: 'POST',
      path: '/v1/chat/messages',
      headers: { 'content-type': 'application/json; charset=klingon' },
      body: '{}',
    });
    expectError(charset, 415, 'UNSUPPORTED_CHARSET');
  });

  it('answers a path whose percent-encoding is not UTF-8 400 BAD_PATH, before and after authentication', async () => {
    const bad = ['%ED%A0%80', '%E0%A4%A', '%ff', '%C0%AF', '%'];
    const routes = (id: string): [string, string, Record<string, string>][] => [
      ['GET', `/v1/desk/handoffs/${id}`, agent],
      ['POST', `/v1/desk/handoffs/${id}/release`, agent],
      ['POST', `/v1/desk/handoffs/${id}/messages`, agent],
      ['POST', `/v1/desk/tasks/${id}/done`, agent],
      ['GET', `/v1/admin/conversations/${id}`, admin],
      ['GET', `/v1/admin/orders/${id}`, admin],
      ['GET', `/v1/admin/${id}/failed`, admin],
      ['POST', `/v1/admin/outbox/failed/${id}/replay`, admin],
      ['GET', `/v1/chat/conversations/${id}/messages`, {}],
    ];
    for (const id of bad) {
      for (const [method, path, auth] of routes(id)) {
        for (const headers of [auth, {}]) {
          const res = await rawRequest(service.url, {
            method,
            path,
            headers: { 'content-type': 'application/json', ...headers },
            body: '{}',
          });
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          expectError(res, 400, 'BAD_PATH');
        }
      }
    }
  });

  it('answers a request node:http cannot parse with the error body too, and closes the connection', async () => {
    const { port } = new URL(service.url);
    const exchange = (raw: string) =>
      new Promise<string>((done, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
        let answer = '';
        socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
        socket.on('close', () => done(answer));
        socket.on('error', reject);
      });
    const badLine = await exchange('GET /v1/desk/handoffs/\u0001 HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(badLine).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(badLine).toMatch(/\r\nx-content-type-options: nosniff\r\n/);
    expect(JSON.parse(badLine.slice(badLine.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'BAD_REQUEST', message: expect.any(String), details: [] },
    });
    const hugeHeaders = await exchange(
      `GET /healthz HTTP/1.1\r\nhost: x\r\nx-pad: ${'p'.repeat(20_000)}\r\n\r\n`,
    );
    expect(hugeHeaders).toMatch(/^HTTP\/1.1 431 /);
    expect(hugeHeaders).toMatch(/"code":"HEADERS_TOO_LARGE"/);
  });

  it('logged none of it as an error, and each refusal at info without a stack', () => {
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const refused = lines.filter((l) => l.msg === 'bad request refused');
    expect(refused.length).toBeGreaterThan(100);
    expect(refused.every((l) => l.level === 30 && l.err === undefined)).toBe(true);
    expect(new Set(refused.map((l) => l.code))).toEqual(
      new Set(['BODY_NOT_DECODABLE', 'BAD_PATH', 'UNSUPPORTED_ENCODING', 'UNSUPPORTED_CHARSET']),
    );
  });
});
