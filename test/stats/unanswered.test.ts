import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { keys } from '../../src/shared/keys.ts';
import { createRedisStatsStore } from '../../src/stats/redis-stats-store.ts';
import { questionKey } from '../../src/stats/bot-outcome.ts';
import { groupSimilar } from '../../src/stats/stats-store.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.ts';
import {
  adminHeaders,
  buyerMessage,
  FIXTURE_CATALOG,
  signedPost,
  useTestService,
  waitFor,
} from '../helpers/service.ts';

describe('what the bot could not answer', () => {
  it('groups a question however it was typed', () => {
    expect(questionKey('多少钱？')).toBe(questionKey(' 多少钱!! '));
    expect(questionKey('Is it Washable?')).toBe(questionKey('is it washable'));
    expect(questionKey('尺码 170cm')).toBe(questionKey('尺码 182 cm'));
    expect(questionKey('有弹力吗')).not.toBe(questionKey('会起球吗'));
  });

  it('lists the last days’ questions, most asked first, with their latest wording', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const prefix = uniquePrefix();
    try {
      const store = createRedisStatsStore(redis, keys(prefix), 'Asia/Shanghai');
      const ask = (text: string, iso: string, reason: 'not-understood' | 'no-fact' = 'not-understood') =>
        store.unanswered({
          text,
          intent: reason === 'no-fact' ? 'product.info' : 'None',
          reason,
          at: new Date(iso),
        });
      await ask('会起球吗', '2026-11-09T02:00:00Z', 'no-fact'); // 9 November in Shanghai
      await ask('会起球吗？', '2026-11-10T02:00:00Z', 'no-fact');
      await ask('会起球吗!!', '2026-11-11T02:00:00Z', 'no-fact');
      await ask('zxqv', '2026-11-11T03:00:00Z');
      await ask('ancient question', '2026-10-01T03:00:00Z');
      const now = new Date('2026-11-11T04:00:00Z');
      expect(await store.unansweredList(7, now, 10)).toEqual([
        {
          text: '会起球吗!!',
          count: 3,
          intent: 'product.info',
          reason: 'no-fact',
          lastAt: '2026-11-11T02:00:00.000Z',
        },
        {
          text: 'zxqv',
          count: 1,
          intent: 'None',
          reason: 'not-understood',
          lastAt: '2026-11-11T03:00:00.000Z',
        },
      ]);
      expect((await store.unansweredList(2, now, 10)).map((g) => g.count)).toEqual([2, 1]);
      await store.close();
    } finally {
      await deletePrefix(prefix);
      redis.disconnect();
    }
  });
});

describe('grouping similar questions', () => {
  const q = (text: string, count: number, reason: 'not-understood' | 'no-fact' = 'no-fact') => ({
    key: questionKey(text),
    text,
    count,
    intent: 'product.info',
    reason,
    lastAt: `2026-11-11T0${count}:00:00.000Z`,
  });

  it('joins questions worded alike to the most asked of them, within one reason', () => {
    const listed = groupSimilar(
      [
        q('这个有保修吗', 3),
        q('有保修吗亲', 1),
        q('有黑色吗', 2),
        q('有白色吗', 1),
        q('is it waterproof', 2),
        q('is this waterproof?', 1),
        q('do you ship to canada', 1, 'not-understood'),
        q('do you ship to spain', 1, 'not-understood'),
        q('有保修吗亲', 1, 'not-understood'),
      ],
      10,
    );
    expect(listed.map((g) => [g.text, g.count, g.similar ?? []])).toEqual([
      ['这个有保修吗', 4, ['有保修吗亲']],
      ['is it waterproof', 3, ['is this waterproof?']],
      ['有黑色吗', 2, []],
      ['有白色吗', 1, []],
      ['do you ship to canada', 1, []],
      ['do you ship to spain', 1, []],
      ['有保修吗亲', 1, []], // not understood, unlike its look-alike with no fact: apart
    ]);
    // The latest time asked of the group is the latest of its members.
    expect(listed[0]!.lastAt).toBe('2026-11-11T03:00:00.000Z');
    expect(groupSimilar([q('有黑色吗', 2), q('有白色吗', 1)], 1)).toHaveLength(1);
  });
});

describe('GET /v1/admin/unanswered', () => {
  const { service, channel } = useTestService({ CATALOG_FILE: FIXTURE_CATALOG, WORK_HOURS: '00:00-24:00' });
  const post = async (text: string, productId?: string) => {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text, ...(productId ? { productId } : {}) }),
    );
    await waitFor(
      () => (channel.to(conversationId).length ? true : undefined),
      8_000,
      `an answer to ${text}`,
    );
  };

  it('lists the messages the bot did not understand and the item questions the catalog could not answer', async () => {
    await post('zxqv blorp?');
    await post('zxqv   blorp!!');
    await post('这条围巾有弹力吗', 't-2');
    await post('发什么快递'); // answered: not listed
    const list = await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/unanswered?days=1`, { headers: adminHeaders() });
      const body = (await res.json()) as { text: string; count: number; reason: string }[];
      return body.length === 2 && body.some((g) => g.count === 2) ? body : undefined;
    });
    expect(list).toEqual([
      expect.objectContaining({ text: 'zxqv blorp!!', count: 2, intent: 'None', reason: 'not-understood' }),
      expect.objectContaining({
        text: '这条围巾有弹力吗',
        count: 1,
        intent: 'product.info',
        reason: 'no-fact',
      }),
    ]);
    expect(
      (await fetch(`${service.url}/v1/admin/unanswered?days=0`, { headers: adminHeaders() })).status,
    ).toBe(400);
    expect((await fetch(`${service.url}/v1/admin/unanswered`)).status).toBe(401);
  });
});
