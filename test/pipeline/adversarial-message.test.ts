import { describe, expect, it } from 'vitest';
import { buyerMessage, signedPost, waitFor, useTestService } from '../helpers/service.ts';

/** The reported stalls: each held every buyer's reply for seconds to minutes. */
const STALLERS = [
  `抬头${' '.repeat(800)}!`,
  `抬头${' '.repeat(1997)}!`,
  `company${' '.repeat(1993)}`,
  `vat${' '.repeat(1997)}`,
  `order${' '.repeat(1995)}`,
  `wechat${' '.repeat(1990)}`,
  `发票抬头是${'\u3000'.repeat(1994)}!`,
  `税号${'\t'.repeat(1997)}x`,
];

describe('a message built to make patterns backtrack', () => {
  const { service, channel } = useTestService();

  it(
    'holds back no other buyer: their reply comes at once and the service stays healthy',
    { timeout: 60_000 },
    async () => {
      const url = `${service.url}/v1/channels/generic/messages`;
      for (const text of STALLERS) {
        const res = await signedPost(
          url,
          buyerMessage({ text, conversationId: `c-staller-${text.length}-${text.charCodeAt(2)}` }),
        );
        expect(res.status).toBe(202);
      }
      const calm = buyerMessage({ text: '你好，什么时候发货？', conversationId: 'c-calm' });
      const sentAt = Date.now();
      expect((await signedPost(url, calm)).status).toBe(202);
      const health: number[] = [];
      const reply = await waitFor(
        async () => {
          health.push((await fetch(`${service.url}/healthz`)).status);
          return channel.to('c-calm')[0];
        },
        8_000,
        'the calm buyer answered',
      );
      expect(reply.receivedAtMs - sentAt).toBeLessThan(5_000);
      expect(health.every((s) => s === 200)).toBe(true);
      // Each staller was read and answered or handed off too, not set aside.
      await waitFor(
        () =>
          channel.received.filter((m) => m.conversationId.startsWith('c-staller-')).length >= STALLERS.length
            ? true
            : undefined,
        15_000,
        'every staller answered',
      );
    },
  );
});
