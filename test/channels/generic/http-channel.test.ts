import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpChannel } from '../../../src/channels/generic/http-channel.ts';
import { ChannelSendError } from '../../../src/shared/errors.ts';
import { FakeChannel } from '../../helpers/fake-channel.ts';

const SECRET = 'test-secret';
const message = (n: number) => ({
  messageId: `out-${n}`,
  conversationId: 'c-1',
  buyerId: 'b-1',
  text: '您好',
  from: 'bot' as const,
  kind: 'answer' as const,
});

describe('the HTTP channel', () => {
  let silent: Server | undefined;
  afterEach(() => silent?.closeAllConnections());
  afterEach(() => new Promise<void>((done) => (silent ? silent.close(() => done()) : done())));

  it('delivers signed messages one after another on kept-alive sockets, and a refusal throws', async () => {
    const shop = new FakeChannel(SECRET);
    const url = await shop.start();
    const channel = createHttpChannel({ url, secret: SECRET, timeoutMs: 2_000 });
    for (let n = 0; n < 3; n++) await channel.send(message(n));
    shop.failNext = 1;
    await expect(channel.send(message(3))).rejects.toThrow(ChannelSendError);
    expect(shop.received.map((m) => m.messageId)).toEqual(['out-0', 'out-1', 'out-2']);
    expect(shop.badSignatures).toBe(0);
    await shop.stop();
  });

  it('gives up on a channel that does not answer within the timeout', async () => {
    silent = createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((done) => silent!.listen(0, '127.0.0.1', done));
    const channel = createHttpChannel({
      url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/send`,
      secret: SECRET,
      timeoutMs: 200,
    });
    const started = Date.now();
    await expect(channel.send(message(0))).rejects.toThrow(ChannelSendError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
