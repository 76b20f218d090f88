import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  adminHeaders,
  buyerMessage,
  FIXTURE_CATALOG,
  signedPost,
  waitFor,
  talk as talkThrough,
  useTestService,
} from '../helpers/service.ts';

/**
 * How real buyers write, through the webhook: a greeting before the question, a price asked in
 * plain words, a question about the item the shop's data can't answer, a bare product link, and
 * an upset buyer who swears at nobody. (Patterns, not lines of the dev set.)
 */
describe('real buyers’ messages, through the webhook', () => {
  const { service, channel } = useTestService({ CATALOG_FILE: FIXTURE_CATALOG, WORK_HOURS: '00:00-24:00' });
  const agent = { authorization: 'Bearer ann-token' };

  /** One message in a new conversation about `productId`; its replies once they came. */
  async function ask(text: string, productId = 't-1') {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text, ...(productId ? { productId } : {}) }),
    );
    await waitFor(
      () => (channel.to(conversationId).length > 0 ? true : undefined),
      8_000,
      `a reply to ${text}`,
    );
    return { conversationId, replies: channel.to(conversationId) };
  }

  async function waitingHandoff(conversationId: string) {
    const list = (await (
      await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, { headers: agent })
    ).json()) as { handoffs: { id: string; conversationId: string; reason: string; priority: number }[] };
    return list.handoffs.find((h) => h.conversationId === conversationId);
  }

  it.each([
    ['你好，我想问下什么时候发货', /发货/],
    ['在么 这个有没有黑色的', /黑色/],
    ['hi there, how long does shipping take?', /ship/i],
    ['hola, ¿cuánto tarda el envío?', /env[ií]o|días/i],
  ])('answers the question after a greeting, not the greeting: %s', async (text, answer) => {
    const { replies } = await ask(text);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(answer);
    expect(replies[0]!.text).not.toMatch(/请问有什么可以帮您|How can I help you|¿En qué te puedo ayudar/);
  });

  it.each([
    ['这个多少钱', /¥79/],
    ['how much is it?', /¥79/],
    ['¿cuánto cuesta?', /¥79/],
  ])('answers a price question with the item’s price and the promotion on now: %s', async (text, price) => {
    const { replies } = await ask(text);
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(price);
    expect(replies[0]!.text).toMatch(/满300减40|40 off every 300/);
  });

  it('says a colleague will check a fact the shop did not give, and hands it over at normal priority', async () => {
    const { conversationId, replies } = await ask('这个帽子可以拆下来吗');
    expect(replies[0]!.kind).toBe('handoff');
    expect(replies[0]!.text).toMatch(/同事核实/);
    const handoff = await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off');
    expect(handoff).toMatchObject({ reason: 'product.info', priority: 3 });
  });

  it('answers from the shop’s FAQ in other words: the item’s own entries, then the shop’s; another item’s are no answer', async () => {
    const wash = await ask('这件能放洗衣机洗吗');
    expect(wash.replies[0]!.kind).toBe('answer');
    expect(wash.replies[0]!.text).toMatch(/30度以下反面洗/);
    const [en] = (await ask('can I put it in the washing machine?')).replies;
    expect(en!.text).toMatch(/30°C or below/);
    const [es] = (await ask('¿la puedo meter en la lavadora?')).replies;
    expect(es!.text).toMatch(/a máquina, a 30 °C como máximo/);
    const genuine = await ask('请问是正品吗', 't-2');
    expect(genuine.replies[0]!.text).toMatch(/假一赔三/);
    expect(await waitingHandoff(genuine.conversationId)).toBeUndefined();
    // The scarf has no washing entry: a colleague checks rather than the T-shirt's answer.
    const scarf = await ask('这个能机洗吗', 't-2');
    expect(scarf.replies[0]!.text).not.toMatch(/30度以下反面洗/);
  });

  it.each([
    ['有弹力吗', /微弹/],
    ['is it stretchy?', /slight stretch/],
    ['¿transparenta?', /colores oscuros.*no transparentan/],
    ['这件是哪里产的', /浙江杭州/],
  ])('answers a fact the shop gave, yes or no, not the fabric paragraph: %s', async (text, answer) => {
    const { conversationId, replies } = await ask(text);
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(answer);
    expect(replies[0]!.text).not.toMatch(/73%/); // the fabric paragraph
    expect(await waitingHandoff(conversationId)).toBeUndefined();
  });

  it('never guesses a fact the shop did not give: a colleague checks, at normal priority', async () => {
    const { conversationId, replies } = await ask('这件会起球吗');
    expect(replies[0]!.kind).toBe('handoff');
    expect(replies[0]!.text).toMatch(/同事核实/);
    expect(replies[0]!.text).not.toMatch(/不容易起球|会起球/);
    const handoff = await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off');
    expect(handoff).toMatchObject({ reason: 'product.info', priority: 3 });
  });

  it('answers stock and price per colour and size when the shop gives SKUs', async () => {
    const [black] = (await ask('黑色M码还有吗')).replies;
    expect(black!.text).toMatch(/黑色M码有货/);
    const [white] = (await ask('白色M码还有吗')).replies;
    expect(white!.text).toMatch(/白色M码暂时断货/);
    expect(white!.text).toMatch(/白色现在有货的尺码：S；M码还有的颜色：黑色/);
    const [en] = (await ask('do you have the white one in M?')).replies;
    expect(en!.text).toMatch(/white, size M, is sold out/);
    const [price] = (await ask('黑色M码多少钱')).replies;
    expect(price!.text).toMatch(/¥89/);
    const [plain] = (await ask('白色S码多少钱')).replies;
    expect(plain!.text).toMatch(/¥79/);
  });

  it.each([
    ['送运费险吗', /每单都送运费险/],
    ['is return shipping free?', /return shipping insurance/],
    ['怎么退货', /送运费险，寄回的运费由运费险补贴/],
  ])('answers return shipping insurance from the shop’s setting: %s', async (text, answer) => {
    const { replies } = await ask(text);
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(answer);
  });

  it.each([
    ['how long does shipping take to the US?', /United States.*7–12 days.*¥68/],
    ['¿envían a España?', /España.*8–15 días.*¥75, gratis desde ¥599/],
    ['能寄到巴西吗', /暂时还不能寄到.*西班牙、美国/],
  ])(
    'answers shipping abroad from the shop’s destinations, and says where it does not ship: %s',
    async (text, answer) => {
      const { replies } = await ask(text);
      expect(replies[0]!.kind).toBe('answer');
      expect(replies[0]!.text).toMatch(answer);
    },
  );

  it('greets a bare product link and asks what they want to know, with no hand-off', async () => {
    const { conversationId, replies } = await ask('https://item.taobao.com/item.htm?id=612345678901', '');
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(/有什么可以帮您|想了解/);
    expect(await waitingHandoff(conversationId)).toBeUndefined();
  });

  it('takes the item a shop link names as the one asked about; an unknown link names none', async () => {
    const { conversationId, replies } = await ask(
      'https://item.taobao.com/item.htm?id=612345678901 这个有M码吗',
      '',
    );
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(/M码/);
    expect(await waitingHandoff(conversationId)).toBeUndefined();
    const unknown = await ask('https://item.taobao.com/item.htm?id=699999999999 这个有M码吗', '');
    expect(unknown.replies[0]!.text).toMatch(/哪件|which/);
  });

  it('answers every question of messages run together, through stickers and placeholders', async () => {
    const { replies } = await ask('在吗!@@@!这件有黑色的吗!@@@!什么时候能发货');
    const texts = replies.map((r) => r.text).join('\n');
    expect(texts).toMatch(/黑色/);
    expect(texts).toMatch(/发货|发出/);
    const [price] = (await ask('[表情]这个多少钱呀😊😊')).replies;
    expect(price!.text).toMatch(/¥79/);
  });

  it.each([
    // defects and quality
    '裤子褪色褪的好严重，洗一次就这样',
    'the shirt fell apart after one wash',
    'la camiseta se rompió al primer lavado',
    // service
    '你们这是在忽悠人吧',
    'honestly what a service, third time I ask and still nothing',
    'no eres de ayuda, llevo una semana esperando',
    // chasing and waiting
    '都六天了还没发货 你们到底发不发',
    'this is the third time I ask where my parcel is',
    'tercera vez que pregunto por mi pedido y nada',
    // sarcasm
    '呵呵 你们家的服务可真好 等了一个礼拜',
    'wow, two weeks for a reply. great service guys',
    'qué buen servicio, dos semanas sin respuesta',
    // threats
    '再不退款我就打12315',
    'I will file a chargeback if this is not fixed today',
    'os voy a denunciar, me vendisteis un producto roto',
  ])('hands an upset buyer who uses no swear word to a person first: %s', async (text) => {
    const { conversationId, replies } = await ask(text);
    expect(replies[0]!.kind).toBe('handoff');
    // An apology first, and never "don't be anxious".
    expect(replies[0]!.text).toMatch(/抱歉|sorry|Lo siento/);
    expect(replies[0]!.text).not.toMatch(/不要着急|don't worry|no te preocupes/i);
    const handoff = await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off');
    expect(handoff!.priority).toBe(1);
  });

  const talk = (lines: string[], productId?: string) => talkThrough(service, channel, lines, productId);

  it('reads measurements alone as a size question, in 斤 too', async () => {
    const [reply] = await talk(['一米六五 105斤']);
    expect(reply).toMatch(/建议拍M码/);
  });

  it('asks for the height when only the weight is given, then recommends with both', async () => {
    const [first, second] = await talk(['我120斤穿什么码', '165']);
    expect(first).toMatch(/身高/);
    expect(first).not.toMatch(/—/);
    expect(second).toMatch(/M码/);
    const [en] = await talk(["I'm 165 cm, which size?"]);
    expect(en).toMatch(/weigh/);
  });

  it('takes the height as the answer to a size question asked first of two', async () => {
    const [both, size] = await talk(['我120斤穿什么码，什么时候发货', '165']);
    expect(both).toMatch(/身高/);
    expect(both).toMatch(/发货/);
    expect(size).toMatch(/M码/);
  });

  it('keeps a size told beside another answer as the topic of the next message', async () => {
    const [both, larger] = await talk(['155 45kg穿什么码，什么时候发货', 'M码会大吗']);
    expect(both).toMatch(/建议拍S码/);
    expect(both).toMatch(/发货/);
    expect(larger).toMatch(/M码会偏大.*建议拍S码/);
    expect(larger).not.toMatch(/方便告诉我/);
    const [, black] = await talk(['什么时候发货，155 45kg穿什么码', '黑色呢']);
    expect(black).toMatch(/黑色S码有货/);
    // Beside a price answer, "那L呢" asks the price (in L).
    const [, price] = await talk(['155 45kg穿什么码，多少钱', '那L呢']);
    expect(price).toMatch(/¥/);
    expect(price).not.toMatch(/偏大|建议拍/);
    // Not after a message more: "新疆呢" after the answers is about shipping there.
    const [, , region] = await talk(['155 45kg穿什么码，什么时候发货', '好的', '新疆呢']);
    expect(region).not.toMatch(/S码/);
  });

  it('weighs a size named after a size answer against the measurements given, never asking again', async () => {
    const [asked, fit, larger, soldOut, black] = await talk([
      '穿什么码',
      '155 45kg',
      '那M呢',
      'L呢',
      '黑色呢',
    ]);
    expect(asked).toMatch(/身高和体重/);
    // The fixture gives no model's measurements: no blank where they would be.
    expect(fit).toMatch(/建议拍S码/);
    expect(fit).not.toMatch(/—|模特/);
    expect(larger).toMatch(/M码会偏大.*建议拍S码/);
    expect(soldOut).toMatch(/L码暂时断货.*建议拍S码/);
    // The colour asked after a size answer is asked in the size that fits.
    expect(black).toMatch(/黑色S码有货/);
    const [, , en] = await talk(['which size would fit me?', "I'm 155cm and 45kg", 'and M?']);
    expect(en).toMatch(/size M .*loose.*S fits best/);
  });

  /** A conversation to write to one message at a time; `send` returns the bot's last reply. */
  function conversation() {
    const conversationId = `c-${randomUUID()}`;
    const send = async (text: string, productId?: string) => {
      const before = channel.to(conversationId).length;
      await signedPost(
        `${service.url}/v1/channels/generic/messages`,
        buyerMessage({ conversationId, text, ...(productId ? { productId } : {}) }),
      );
      await waitFor(() => channel.to(conversationId)[before], 8_000, `a reply to ${text}`);
      return channel.to(conversationId).at(-1)!.text;
    };
    /** An agent claims this buyer's hand-off (not the oldest waiting one: other tests leave theirs) and resolves it. */
    const claimAndResolve = async (intent: string) => {
      const post = (path: string, body?: unknown) =>
        fetch(`${service.url}/v1/desk${path}`, {
          method: 'POST',
          headers: { ...agent, 'content-type': 'application/json' },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      const { id } = (await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off'))!;
      expect((await post(`/handoffs/${id}/claim`)).status).toBe(200);
      expect((await post(`/handoffs/${id}/resolve`, { intent })).status).toBe(200);
    };
    return { send, claimAndResolve };
  }

  it('assumes no size the bot once said fits after a person has had the buyer', async () => {
    const { send, claimAndResolve } = conversation();
    await send('转人工', 't-1');
    // Answered while the buyer waits for the person.
    expect(await send('155 45kg穿什么码')).toMatch(/建议拍S码/);
    await claimAndResolve('product.size');
    const black = await send('黑色呢');
    expect(black).toMatch(/黑色/);
    expect(black).not.toMatch(/S码/);
  });

  it('takes no size told beside a hand-off as the topic once a person has had the buyer', async () => {
    const { send, claimAndResolve } = conversation();
    expect(await send('155 45kg穿什么码，帽子能拆吗', 't-1')).toMatch(/建议拍S码[\s\S]*请同事核实/);
    await claimAndResolve('product.info');
    expect(await send('那M呢')).not.toMatch(/建议拍S码/);
  });

  it('says what the item is made of without a blank for care the shop did not give', async () => {
    const [en] = await talk(['what is it made of?']);
    expect(en).toMatch(/bamboo/);
    expect(en).not.toMatch(/—|Care/);
  });

  it.each(['ok', '👍', 'https://item.taobao.com/item.htm?id=612345678901'])(
    'keeps the conversation’s language for a reply too short to tell: %s',
    async (short) => {
      const [, reply] = await talk(['有黑色吗', short]);
      expect(reply).toMatch(/[\u4e00-\u9fff]/);
    },
  );

  it('reads typos, homophones and no punctuation', async () => {
    const [colour, dispatch] = await talk(['这件有黑色滴么', '几天发货呀亲']);
    expect(colour).toMatch(/有黑色的/);
    expect(dispatch).toMatch(/3天内发货/);
  });

  it('answers a price follow-up about another size', async () => {
    const [blackM, blackS] = await talk(['黑色M码多少钱', '那S呢']);
    expect(blackM).toMatch(/¥89/);
    expect(blackS).toMatch(/¥79/);
  });

  it('hands the buyer to a person the second time in a row it does not understand', async () => {
    const [first, second] = await talk(['嗯嗯那个东西就是那个啥', '你们老板几岁了']);
    expect(first).toMatch(/没太明白|您是想问/);
    expect(second).toMatch(/转接人工/);
  });

  it('looks up the order whose number the buyer types, not only the latest', async () => {
    const conversationId = `c-${randomUUID()}`;
    const orderId = `o-${randomUUID().slice(0, 8)}`;
    const base = Date.parse('2026-11-20T10:00:00+08:00');
    for (const [i, type] of (['created', 'paid', 'shipped'] as const).entries()) {
      const event = {
        eventId: `e-${randomUUID()}`,
        type,
        orderId,
        buyerId: 'b-typed',
        conversationId: `c-other-${orderId}`,
        at: new Date(base + i * 3600_000).toISOString(),
        items: [{ productId: 't-1', qty: 1, price: 79 }],
        total: 79,
      };
      expect((await signedPost(`${service.url}/v1/channels/generic/orders`, event)).status).toBe(202);
    }
    await waitFor(
      async () =>
        (await (await fetch(`${service.url}/v1/admin/orders/${orderId}`, { headers: adminHeaders() })).json())
          .order?.state === 'shipped'
          ? true
          : undefined,
      5_000,
      'the order shipped',
    );
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: `我的订单号是${orderId} 到哪了` }),
    );
    const [reply] = await waitFor(
      () => (channel.to(conversationId).length ? channel.to(conversationId) : undefined),
      8_000,
      'the answer',
    );
    expect(reply!.text).toContain(orderId);
    expect(reply!.text).toMatch(/已在.*发出/);
  });

  it.each([
    'gracias por la ayuda, despues de dos semanas esperando por fin me llego el paquete',
    'thank you so much, the parcel finally came after a long wait',
    '收到了 质量很好 谢谢老板 辛苦了',
  ])('keeps a grateful buyer with the bot, with no apology or hand-off: %s', async (text) => {
    const { conversationId, replies } = await ask(text);
    expect(replies[0]!.kind).toBe('answer');
    expect(await waitingHandoff(conversationId)).toBeUndefined();
  });

  it.each([
    ['ok cool thanks, is it good?', /bamboo|didn't quite get/],
    ['好的谢谢亲 什么时候到嘛', /没太明白|发货|送达/],
  ])('answers no thanks to a message that asks something: %s', async (text, reply) => {
    const { replies } = await ask(text);
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(reply);
    expect(replies[0]!.text).not.toMatch(/不客气|应该的|You're welcome|My pleasure|满意吗|satisf/i);
  });

  it('answers a question the shop’s FAQ answers beside another one, instead of dropping it', async () => {
    const { conversationId, replies } = await ask('是正品吗，穿什么码');
    const text = replies.map((r) => r.text).join('\n');
    expect(text).toMatch(/保证正品/);
    expect(text).toMatch(/身高和体重/);
    expect(await waitingHandoff(conversationId)).toBeUndefined();
  });

  it.each([
    ['有黑色吗，帽子能拆吗', /有黑色的/, /另外您问的商品细节，我请同事核实/],
    [
      'is it waterproof? and how long does shipping take?',
      /We ship within/,
      /your question about the item's details, let me ask a colleague to check/,
    ],
  ])(
    'answers what it can beside a fact the shop did not give, and hands that one over: %s',
    async (text, answered, checked) => {
      const { conversationId, replies } = await ask(text);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.kind).toBe('handoff');
      const reply = replies[0]!.text;
      expect(reply).toMatch(answered);
      expect(reply).toMatch(checked);
      expect(reply.search(answered)).toBeLessThan(reply.search(checked));
      const handoff = await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off');
      expect(handoff).toMatchObject({ reason: 'product.info', priority: 3 });
    },
  );

  it('hands a message over whole when a person is asked for beside a fact the shop did not give', async () => {
    const { conversationId, replies } = await ask('does the hood come off? I want to speak to a person');
    expect(replies[0]!.text).not.toMatch(/colleague to check/);
    const handoff = await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off');
    expect(handoff).toMatchObject({ reason: 'human.request' });
  });

  it('leaves a question the bot would ask back (height and weight) to the person who takes the message', async () => {
    const { conversationId, replies } = await ask('帽子能拆吗，我穿什么码');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/这个问题我请同事核实/);
    expect(replies[0]!.text).not.toMatch(/身高|体重/);
    const handoff = await waitFor(() => waitingHandoff(conversationId), 5_000, 'the hand-off');
    expect(handoff).toMatchObject({ reason: 'product.info', priority: 3 });
  });

  it('reads a buyer hoping the item is genuine as a question, not an accusation', async () => {
    const { conversationId, replies } = await ask('是正品吗 不会是假货吧');
    expect(replies[0]!.text).not.toMatch(/抱歉|不好意思|给您带来/);
    expect(replies[0]!.kind).toBe('answer');
    expect(await waitingHandoff(conversationId)).toBeUndefined();
    const accused = await ask('收到的就是假货 我要投诉');
    expect(accused.replies[0]!.kind).toBe('handoff');
    expect(await waitingHandoff(accused.conversationId)).toMatchObject({ priority: 1 });
  });

  it.each(['谢谢嘛', '好嘛，谢谢亲'])('still answers a thanks whose 嘛 asks nothing: %s', async (text) => {
    const { replies } = await ask(text);
    expect(replies[0]!.text).toMatch(/不客气|应该的|客气|感谢/);
  });

  it('asks which topic it is about when unsure, offering the likely ones, instead of guessing', async () => {
    const { replies } = await ask('嗯嗯那个东西就是那个啥');
    expect(replies[0]!.kind).toBe('answer');
    expect(replies[0]!.text).toMatch(/没太明白|您是想问/);
  });
});
