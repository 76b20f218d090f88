import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import {
  adminHeaders,
  buyerMessage,
  FIXTURE_CATALOG,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

describe('a buyer message through the whole pipeline', () => {
  const channel = new FakeChannel(SECRET);
  let service: TestService;
  let send: (body: ReturnType<typeof buyerMessage>) => Promise<Response>;
  const replyTo = (conversationId: string, count = 1) =>
    waitFor(
      () => (channel.to(conversationId).length >= count ? channel.to(conversationId) : undefined),
      8_000,
      `reply to ${conversationId}`,
    );

  beforeAll(async () => {
    const url = await channel.start();
    service = await startTestService({ CHANNEL_SEND_URL: url, CATALOG_FILE: FIXTURE_CATALOG });
    send = (body) => signedPost(`${service.url}/v1/channels/generic/messages`, body);
  });
  afterAll(async () => {
    await service.close();
    await channel.stop();
  });

  it('answers a signed 在吗 at CHANNEL_SEND_URL, signed, from the bot', async () => {
    const message = buyerMessage({ text: '在吗' });
    expect((await send(message)).status).toBe(202);
    const [reply] = await replyTo(message.conversationId);
    expect(reply).toMatchObject({
      conversationId: message.conversationId,
      buyerId: 'buyer-1',
      from: 'bot',
      kind: 'answer',
      inReplyTo: message.messageId,
    });
    expect(reply!.text).toContain('测试小店');
    expect(channel.badSignatures).toBe(0);
  });

  it.each([
    ['zh', '这件是什么面料的？', '73%竹纤维 27%棉'],
    ['en', 'what material is this shirt made of?', '73% bamboo fibre, 27% cotton'],
    ['es', '¿de qué tela está hecha la camiseta?', '73% fibra de bambú, 27% algodón'],
  ])('answers a fabric question with a productId from the catalog, in %s', async (_lang, text, fabric) => {
    const message = buyerMessage({ text, productId: 't-1' });
    await send(message);
    const [reply] = await replyTo(message.conversationId);
    expect(reply!.text).toContain(fabric);
  });

  it('recommends the size whose chart row fits 163 cm and 100 斤 (50 kg)', async () => {
    const message = buyerMessage({ text: '我身高163，体重100斤，穿什么码', productId: 't-1' });
    await send(message);
    const [reply] = await replyTo(message.conversationId);
    expect(reply!.text).toMatch(/建议拍M码/);
  });

  it('asks which item when a product question names none, then answers once it is given', async () => {
    const first = buyerMessage({ text: '有什么颜色？还有货吗' });
    await send(first);
    const [ask] = await replyTo(first.conversationId);
    expect(ask!.text).toMatch(/哪件/);
    await send(buyerMessage({ conversationId: first.conversationId, text: '就这件', productId: 't-1' }));
    const replies = await replyTo(first.conversationId, 2);
    expect(replies[1]!.text).toContain('白色、黑色');
  });

  it('asks for height and weight once, then sizes from the next message', async () => {
    const first = buyerMessage({ text: 'what size should I get?', productId: 't-1' });
    await send(first);
    const [ask] = await replyTo(first.conversationId);
    expect(ask!.text).toMatch(/height and weight/);
    await send(buyerMessage({ conversationId: first.conversationId, text: '165cm 55kg' }));
    const replies = await replyTo(first.conversationId, 2);
    expect(replies[1]!.text).toMatch(/size M/);
  });

  it('sends one answer for a duplicated messageId', async () => {
    const message = buyerMessage({ text: 'hello' });
    await send(message);
    await send(message);
    await send(message);
    await replyTo(message.conversationId);
    await sleep(500);
    expect(channel.to(message.conversationId)).toHaveLength(1);
  });

  it('hands an angry buyer to a person with one notice; while waiting, answers only a question of fact', async () => {
    const first = buyerMessage({ text: '垃圾质量！！！我要投诉你们，给差评' });
    await send(first);
    const [notice] = await replyTo(first.conversationId);
    expect(notice).toMatchObject({ kind: 'handoff', from: 'bot' });
    await send(buyerMessage({ conversationId: first.conversationId, text: '在吗' }));
    await send(buyerMessage({ conversationId: first.conversationId, text: '什么面料', productId: 't-1' }));
    const [, fabric] = await replyTo(first.conversationId, 2);
    expect(fabric).toMatchObject({ kind: 'answer', from: 'bot' });
    // Both read (in the history), and nothing more sent than the notice and the fabric answer.
    const body = await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/conversations/${first.conversationId}`, {
        headers: adminHeaders(),
      });
      const read = await res.json();
      return read.messages.filter((m: { from: string }) => m.from === 'buyer').length === 3
        ? read
        : undefined;
    });
    await sleep(200);
    expect(channel.to(first.conversationId)).toHaveLength(2);
    expect(body.conversation.mode).toBe('waiting');
    expect(body.messages.filter((m: { from: string }) => m.from === 'buyer')).toHaveLength(3);
  });

  it('asks to clarify the first message it does not understand and hands off the second', async () => {
    const first = buyerMessage({ text: 'asdf qwerty zxcv' });
    await send(first);
    const [clarify] = await replyTo(first.conversationId);
    expect(clarify!.kind).toBe('answer');
    await send(buyerMessage({ conversationId: first.conversationId, text: 'qwop zzzz' }));
    const replies = await replyTo(first.conversationId, 2);
    expect(replies[1]!.kind).toBe('handoff');
  });

  it('keeps the conversation history, buyer and bot, for the admin API', async () => {
    const message = buyerMessage({ text: '发什么快递', productId: 't-1' });
    await send(message);
    await replyTo(message.conversationId);
    const unauth = await fetch(`${service.url}/v1/admin/conversations/${message.conversationId}`);
    expect(unauth.status).toBe(401);
    const res = await fetch(`${service.url}/v1/admin/conversations/${message.conversationId}`, {
      headers: adminHeaders(),
    });
    const body = await res.json();
    expect(body.messages.map((m: { from: string }) => m.from)).toEqual(['buyer', 'bot']);
    expect(body.messages[0]).toMatchObject({ text: '发什么快递', intent: 'shipping.courier' });
  });
});
