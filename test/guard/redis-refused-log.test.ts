import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelPort } from '../../src/channels/channel.ts';
import { createRedisRefusedLog } from '../../src/guard/redis-refused-log.ts';
import { REFUSED_KEPT } from '../../src/guard/refused-log.ts';
import { createSendMessage } from '../../src/outbox/send-message.ts';
import { OutboundBlockedError } from '../../src/shared/errors.ts';
import { keys } from '../../src/shared/keys.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { createMetrics } from '../../src/stats/prom-metrics.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';

describe('the refused-message log', () => {
  const prefix = uniquePrefix();
  const redis = new Redis(TEST_REDIS_URL);
  const k = keys(prefix);
  const log = createRedisRefusedLog(redis, k, silentLogger());
  afterAll(async () => {
    await deletePrefix(prefix);
    redis.disconnect();
  });

  it('records a bot message the guard stops once, however often it is tried, with the matched part only', async () => {
    const sent: string[] = [];
    const channel: ChannelPort = {
      id: 'generic',
      send: async (m) => {
        sent.push(m.text);
      },
    };
    const send = createSendMessage({
      channels: { generic: channel },
      ownDomains: [],
      metrics: createMetrics({}),
      log: silentLogger(),
      refused: log,
    });
    const job = {
      channel: 'generic' as const,
      message: {
        messageId: 'm-blocked-1',
        conversationId: 'c-9',
        buyerId: 'b-1',
        text: '亲，加我微信 shop_2024 领券，另外您的尺码是M',
        from: 'bot' as const,
        kind: 'answer' as const,
      },
    };
    await expect(send(job)).rejects.toThrow(OutboundBlockedError);
    await expect(send(job)).rejects.toThrow(OutboundBlockedError);
    await send({ ...job, message: { ...job.message, messageId: 'm-fine', text: '亲，您的尺码是M' } });
    expect(sent).toEqual(['亲，您的尺码是M']);
    const entries = await log.recent(10);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      rule: 'qq-or-wechat',
      from: 'bot',
      conversationId: 'c-9',
      messageId: 'm-blocked-1',
      match: 'shop_2024',
    });
    expect(entries[0]!.agent).toBeUndefined();
    expect(JSON.stringify(await redis.lrange(k.guardRefused(), 0, -1))).not.toContain('尺码');
  });

  it(`keeps the newest ${REFUSED_KEPT} entries and sets no expiry`, async () => {
    for (let i = 0; i < REFUSED_KEPT + 5; i += 1) {
      await log.record({
        rule: 'profanity',
        from: 'agent',
        agent: 'ann',
        conversationId: `c-${i}`,
        match: '滚',
        at: new Date(Date.UTC(2026, 10, 11, 0, 0, i)),
      });
    }
    expect(await redis.llen(k.guardRefused())).toBe(REFUSED_KEPT);
    expect(await redis.ttl(k.guardRefused())).toBe(-1);
    const [newest] = await log.recent(1);
    expect(newest).toMatchObject({
      conversationId: `c-${REFUSED_KEPT + 4}`,
      agent: 'ann',
      at: new Date(Date.UTC(2026, 10, 11, 0, 0, REFUSED_KEPT + 4)).toISOString(),
    });
  }, 30_000);
});
