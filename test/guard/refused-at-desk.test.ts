import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminHeaders,
  buyerMessage,
  signedPost,
  sleep,
  waitFor,
  useTestService,
} from '../helpers/service.ts';
import { ISSUE_16_LEAKS } from './fixtures/issue-16.ts';

const agent = { authorization: 'Bearer ann-token', 'content-type': 'application/json' };

describe('the outbound guard at the desk', () => {
  const { service: s, channel } = useTestService({
    WORK_HOURS: '00:00-24:00',
    SHOP_DOMAINS: 'xiaoer.example.com',
  });
  let conversationId: string;
  let handoffId: string;

  beforeAll(async () => {
    conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '我要人工客服' }),
    );
    await waitFor(
      () => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined),
      8_000,
      'the hand-off notice',
    );
    const claimed = await (
      await fetch(`${s.url}/v1/desk/handoffs/claim`, { method: 'POST', headers: agent })
    ).json();
    handoffId = claimed.handoff.id;
  }, 60_000);

  const say = (text: string) =>
    fetch(`${s.url}/v1/desk/handoffs/${handoffId}/messages`, {
      method: 'POST',
      headers: agent,
      body: JSON.stringify({ text }),
    });
  const refusedLog = (query = '') =>
    fetch(`${s.url}/v1/admin/guard/refused${query}`, { headers: adminHeaders() });

  it('answers every leak from issue 16 with 422 and its rule, sends none, and records each for the shop', async () => {
    for (const [text, rule] of ISSUE_16_LEAKS) {
      const res = await say(text);
      expect(res.status, text).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('OUTBOUND_GUARD');
      expect(body.error.details[0].rule, text).toBe(rule);
    }
    expect(
      (
        await say(
          '亲，订单号 3652871234567890123 已经发出，顺丰 SF1234567890123，详情见 https://xiaoer.example.com/o/1',
        )
      ).status,
    ).toBe(202);
    await waitFor(
      () => channel.to(conversationId).find((m) => m.from === 'agent'),
      8_000,
      'the allowed agent message',
    );
    await sleep(300);
    expect(
      channel
        .to(conversationId)
        .filter((m) => m.from === 'agent')
        .map((m) => m.text),
    ).toEqual([
      '亲，订单号 3652871234567890123 已经发出，顺丰 SF1234567890123，详情见 https://xiaoer.example.com/o/1',
    ]);

    const res = await refusedLog(`?limit=${ISSUE_16_LEAKS.length}`);
    expect(res.status).toBe(200);
    const { refused } = await res.json();
    expect(refused.map((e: { rule: string }) => e.rule)).toEqual(
      ISSUE_16_LEAKS.map(([, rule]) => rule).reverse(),
    );
    for (const entry of refused) {
      expect(entry).toMatchObject({ from: 'agent', agent: 'ann', conversationId });
      expect(Date.now() - Date.parse(entry.at)).toBeLessThan(60_000);
    }
    // The matched part only, not the message: 线下交易更便宜 is kept as 线下交易.
    expect(refused[0]).toMatchObject({ rule: 'off-platform', match: '线下交易' });
    expect(refused.find((e: { rule: string; match: string }) => e.match.includes('一 三 八'))).toMatchObject({
      rule: 'phone-number',
      match: '一 三 八 零 零 一 三 八 零 零 零',
    });
  }, 60_000);

  it('reads the refused log newest first, as many as asked, with the admin token only', async () => {
    expect((await say('my QQ is 87654321')).status).toBe(422);
    const { refused } = await (await refusedLog('?limit=2')).json();
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ rule: 'qq-or-wechat', match: '87654321' });
    expect((await fetch(`${s.url}/v1/admin/guard/refused`, { headers: agent })).status).toBe(401);
    expect((await refusedLog('?limit=0')).status).toBe(400);
  });
});
