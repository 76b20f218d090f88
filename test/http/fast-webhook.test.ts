import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/channels/generic/signature.ts';
import { fastMessageWebhook } from '../../src/http/fast-webhook.ts';
import { createGenericChannel } from '../../src/channels/generic/generic-channel.ts';
import { RateLimitedError } from '../../src/http/rate-limit.ts';
import type { InboundMessage } from '../../src/channels/message.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createMetrics } from '../../src/stats/prom-metrics.ts';
import { buyerMessage, SECRET } from '../helpers/service.ts';

/**
 * Which requests the webhook takes itself and which go on to Express (here a stand-in answering
 * 599), and that a refusal leaves the keep-alive connection usable. The whole service's answers
 * are in webhook-route.test.ts.
 */
describe('the message webhook outside Express', () => {
  const queued: InboundMessage[] = [];
  let limitedIp: string | undefined;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const fast = fastMessageWebhook({
      channel: createGenericChannel({ secret: SECRET, timeoutMs: 1_000 }),
      inbound: {
        accept: async (_channel, message) => (queued.push(message), { duplicate: false }),
        view: undefined as never,
      },
      metrics: createMetrics({}),
      limit: (ip) => (ip === limitedIp ? new RateLimitedError('too many', 42) : undefined),
      log: silentLogger(),
    });
    server = createServer((req, res) => {
      if (!fast(req, res)) res.writeHead(599).end('express');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  /** One request on a given agent (keep-alive), with the socket it went over. */
  const send = (
    options: {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: Buffer | string;
      chunks?: string[];
    },
    agent?: import('node:http').Agent,
  ) =>
    new Promise<{ status: number; body: string; socket: unknown }>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: options.method ?? 'POST',
          path: options.path ?? '/v1/channels/generic/messages',
          headers: options.headers,
          ...(agent ? { agent } : {}),
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => done({ status: res.statusCode!, body, socket: req.socket }));
        },
      );
      req.on('error', fail);
      if (options.chunks) {
        for (const chunk of options.chunks) req.write(chunk);
        req.end();
      } else req.end(options.body);
    });
  const signed = (raw: string, extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    ...signedHeaders(SECRET, raw),
    ...extra,
  });

  it('takes a signed message on its path, with or without a query string', async () => {
    const raw = JSON.stringify(buyerMessage({ text: '在吗' }));
    expect(await send({ headers: signed(raw), body: raw })).toMatchObject({
      status: 202,
      body: '{"accepted":true,"duplicate":false}',
    });
    expect(
      (await send({ path: '/v1/channels/generic/messages?from=shop', headers: signed(raw), body: raw }))
        .status,
    ).toBe(202);
    expect(queued.at(-1)?.text).toBe('在吗');
  });

  it('leaves to Express another method, another spelling of the path, and a compressed body', async () => {
    const raw = JSON.stringify(buyerMessage());
    for (const path of [
      '/v1/channels/generic/messages/',
      '/V1/channels/generic/messages',
      '/v1/channels/generic/%6Dessages',
      '/v1/channels/generic/orders',
    ]) {
      expect((await send({ path, headers: signed(raw), body: raw })).status).toBe(599);
    }
    expect((await send({ method: 'PUT', headers: signed(raw), body: raw })).status).toBe(599);
    expect(
      (await send({ headers: signed(raw, { 'content-encoding': 'gzip' }), body: gzipSync(raw) })).status,
    ).toBe(599);
    expect((await send({ headers: signed(raw, { 'content-encoding': 'identity' }), body: raw })).status).toBe(
      202,
    );
  });

  it('answers a bad signature 401 and bad JSON 400, as errorMiddleware does', async () => {
    const raw = JSON.stringify(buyerMessage());
    const unsigned = await send({ headers: { 'content-type': 'application/json' }, body: raw });
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body).error.code).toBe('CHANNEL_SIGNATURE_INVALID');
    const broken = await send({ headers: signed('{"a":'), body: '{"a":' });
    expect([broken.status, JSON.parse(broken.body).error.code]).toEqual([400, 'INVALID_JSON']);
  });

  it('refuses a body over 64 KB, with or without a length, and 429 with retry-after, keeping the connection for the next request', async () => {
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const raw = JSON.stringify({ ...buyerMessage(), padding: 'x'.repeat(200_000) });
      const declared = await send({ headers: signed(raw), body: raw }, agent);
      expect([declared.status, JSON.parse(declared.body).error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
      const chunked = await send(
        { headers: signed(raw), chunks: [raw.slice(0, 50_000), raw.slice(50_000)] },
        agent,
      );
      expect(chunked.status).toBe(413);
      limitedIp = '127.0.0.1';
      const limited = await send({ headers: signed(raw), body: raw }, agent);
      limitedIp = undefined;
      expect([limited.status, JSON.parse(limited.body).error.code]).toEqual([429, 'RATE_LIMITED']);
      const ok = JSON.stringify(buyerMessage());
      const after = await send({ headers: signed(ok), body: ok }, agent);
      expect(after.status).toBe(202);
      // All four went over the one keep-alive connection.
      expect(new Set([declared.socket, chunked.socket, limited.socket, after.socket]).size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
