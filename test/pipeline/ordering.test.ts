import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  adminHeaders,
  buyerMessage,
  FIXTURE_CATALOG,
  signedPost,
  sleep,
  waitFor,
  useTestService,
} from '../helpers/service.ts';

describe('many messages of one conversation at once', () => {
  const { service, channel } = useTestService({ CATALOG_FILE: FIXTURE_CATALOG });

  it('answers each exactly once and keeps every buyer message in the history', async () => {
    const conversationId = `c-${randomUUID()}`;
    const texts = [
      '在吗',
      '什么面料',
      '有黑色吗',
      '发什么快递',
      '几天能到',
      '能便宜点吗',
      '怎么退货',
      '能开发票吗',
      '谢谢',
      '好的',
    ];
    await Promise.all(
      texts.map((text) =>
        signedPost(
          `${service.url}/v1/channels/generic/messages`,
          buyerMessage({ conversationId, text, productId: 't-1' }),
        ),
      ),
    );
    await waitFor(
      () => (channel.to(conversationId).length >= texts.length ? true : undefined),
      10_000,
      'ten replies',
    );
    await sleep(300);
    const replies = channel.to(conversationId);
    expect(replies).toHaveLength(texts.length);
    expect(new Set(replies.map((r) => r.inReplyTo)).size).toBe(texts.length);
    const body = await (
      await fetch(`${service.url}/v1/admin/conversations/${conversationId}`, { headers: adminHeaders() })
    ).json();
    expect(
      body.messages
        .filter((m: { from: string }) => m.from === 'buyer')
        .map((m: { text: string }) => m.text)
        .sort(),
    ).toEqual([...texts].sort());
  });
});
