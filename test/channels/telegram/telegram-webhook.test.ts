import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TELEGRAM_SECRET_HEADER } from '../../../src/channels/telegram/telegram-channel.ts';
import { FakeTelegram } from '../../helpers/fake-telegram.ts';
import {
  adminHeaders,
  failedOutboxMessage,
  FIXTURE_CATALOG,
  signedPost,
  sleep,
  startTestService,
  useTestService,
  waitFor,
  localTimeIn,
} from '../../helpers/service.ts';

const TOKEN = '123456789:AAHtestTokenForTheFakeTelegram_x';
const WEBHOOK_SECRET = 'tg-hook-secret_123';

const telegram = new FakeTelegram(TOKEN);
afterAll(() => telegram.stop());
const telegramEnv = async () => ({
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
  TELEGRAM_API_BASE: await telegram.start(),
  OUTBOX_BACKOFF_MS: '100',
  OUTBOX_BACKOFF_MAX_MS: '400',
  AGENT_TOKENS: 'ann:ann-token',
  CATALOG_FILE: FIXTURE_CATALOG,
  WORK_HOURS: '00:00-24:00',
});

let updateId = randomInt(1_000_000, 2_000_000);
const newChat = () => randomInt(100_000_000, 900_000_000);

/** An Update as Telegram posts it for a buyer's text in a private chat. */
function update(chatId: number, text: string | undefined, from: object = {}) {
  updateId += 1;
  return {
    update_id: updateId,
    message: {
      message_id: updateId % 10_000,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Ana' },
      from: { id: chatId, is_bot: false, first_name: 'Ana', language_code: 'en', ...from },
      ...(text === undefined ? { photo: [{ file_id: 'x', width: 90, height: 90 }] } : { text }),
    },
  };
}

describe('the Telegram channel', () => {
  const { service } = useTestService(telegramEnv);
  const post = (body: unknown, secret: string | null = WEBHOOK_SECRET) =>
    fetch(`${service.url}/v1/channels/telegram/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { [TELEGRAM_SECRET_HEADER]: secret } : {}),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const answers = (chat: number, n: number) =>
    waitFor(() => (telegram.to(chat).length >= n ? telegram.to(chat) : undefined), 8_000, `${n} answers`);

  it('answers a buyer who came from a product link about that product, in their chat', async () => {
    const chat = newChat();
    const started = await post(update(chat, '/start t-1'));
    expect(started.status).toBe(200);
    await answers(chat, 1);
    expect((await post(update(chat, 'Which size should I take? I am 172 cm and 62 kg'))).status).toBe(200);
    const [, size] = await answers(chat, 2);
    expect(size!.text).toMatch(/\bL\b/);

    const stored = await fetch(`${service.url}/v1/admin/conversations/telegram:${chat}`, {
      headers: adminHeaders(),
    }).then((r) => r.json());
    expect(stored.conversation).toMatchObject({ channel: 'telegram', productId: 't-1', language: 'en' });
    expect(stored.messages[0]).toMatchObject({ from: 'buyer', text: 'hello' });
  });

  it("keeps the generic webhook out of a Telegram chat's conversation", async () => {
    const chat = newChat();
    const res = await signedPost(`${service.url}/v1/channels/generic/messages`, {
      messageId: `m-${randomUUID()}`,
      conversationId: `telegram:${chat}`,
      buyer: { id: String(chat) },
      text: 'hello',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].message).toMatch(/"telegram:".* belong to those channels/);
  });

  it('answers an update Telegram delivers twice once', async () => {
    const chat = newChat();
    const body = update(chat, 'How long does shipping take?');
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    await answers(chat, 1);
    await sleep(500);
    expect(telegram.to(chat)).toHaveLength(1);
  });

  it('refuses a request without the webhook secret, and takes nothing from it', async () => {
    const chat = newChat();
    for (const secret of [null, 'not-the-secret', `${WEBHOOK_SECRET}x`]) {
      const res = await post(update(chat, 'hello?'), secret);
      expect(res.status, `secret ${secret}`).toBe(401);
      expect((await res.json()).error.code).toBe('CHANNEL_SIGNATURE_INVALID');
    }
    await sleep(300);
    expect(telegram.calls.filter((c) => c === String(chat))).toEqual([]);
  });

  it('takes updates with no buyer text without answering, and refuses a body that is no update', async () => {
    const chat = newChat();
    expect((await post(update(chat, undefined))).status).toBe(200); // a photo
    expect((await post(update(chat, 'hello', { is_bot: true }))).status).toBe(200);
    expect((await post({ update_id: (updateId += 1), edited_message: { text: 'x' } })).status).toBe(200);
    expect((await post(update(chat, ' \u200b '))).status).toBe(200);
    expect((await post('{not json')).status).toBe(400);
    expect((await post({ message: { text: 'no update id' } })).status).toBe(400);
    await sleep(400);
    expect(telegram.calls.filter((c) => c === String(chat))).toEqual([]);
  });

  it("waits the retry_after of Telegram's 429 before sending again", async () => {
    const chat = newChat();
    telegram.retryAfterSeconds = 1;
    telegram.floodNext = 1;
    const postedAt = Date.now();
    await post(update(chat, 'How long does shipping take?'));
    const [answer] = await answers(chat, 1);
    expect(answer!.atMs - postedAt).toBeGreaterThanOrEqual(950);
    expect(telegram.calls.filter((c) => c === String(chat))).toHaveLength(2);
  });

  it('keeps the answer through an outage and sends it once Telegram is back', async () => {
    const chat = newChat();
    telegram.downNext = 2;
    await post(update(chat, 'How long does shipping take?'));
    const [answer] = await answers(chat, 1);
    expect(answer!.text.length).toBeGreaterThan(0);
    expect(telegram.calls.filter((c) => c === String(chat)).length).toBeGreaterThanOrEqual(3);
  });

  it('lists an answer to a buyer who blocked the bot as cannot be sent, without retrying it', async () => {
    const chat = newChat();
    telegram.blocked.add(String(chat));
    await post(update(chat, 'How long does shipping take?'));
    const failed = await failedOutboxMessage(service, `telegram:${chat}`);
    expect(failed.failedReason).toMatch(/cannot be sent: Telegram answered 403: Forbidden: bot was blocked/);
    const tried = telegram.calls.filter((c) => c === String(chat)).length;
    await sleep(600);
    // Refused for good: not tried again.
    expect(telegram.calls.filter((c) => c === String(chat))).toHaveLength(tried);
  });

  it('hands an upset buyer to the desk, shows the channel there, and sends the agent reply to Telegram', async () => {
    const chat = newChat();
    await post(update(chat, 'I want to talk to a real person, not a bot'));
    const [notice] = await answers(chat, 1);
    expect(notice!.text.length).toBeGreaterThan(0);
    const desk = (path: string, body?: unknown) =>
      fetch(`${service.url}/v1/desk${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const claimed = await (await desk('/handoffs/claim')).json();
    expect(claimed.handoff).toMatchObject({ conversationId: `telegram:${chat}`, channel: 'telegram' });
    expect(
      (await desk(`/handoffs/${claimed.handoff.id}/messages`, { text: 'Hi Ana, Ann here.' })).status,
    ).toBe(202);
    const [, reply] = await answers(chat, 2);
    expect(reply!.text).toBe('Hi Ana, Ann here.');
  });
});

describe('the unpaid-order reminder of a Telegram buyer', () => {
  it('goes to the Telegram chat the order event names, through the generic order webhook', async () => {
    const at = localTimeIn(4);
    const s = await startTestService({
      ...(await telegramEnv()),
      SHOP_TZ: 'Asia/Shanghai',
      REMINDER_AT: at,
      REMINDER_MIN_DELAY: '0',
      QUIET_HOURS: 'off',
    });
    try {
      const chat = newChat();
      const res = await signedPost(`${s.url}/v1/channels/generic/orders`, {
        eventId: `e-${randomUUID()}`,
        type: 'created',
        orderId: `o-${randomUUID().slice(0, 8)}`,
        buyerId: String(chat),
        conversationId: `telegram:${chat}`,
        at: new Date().toISOString(),
        items: [{ productId: 't-1', qty: 1, price: 79 }],
        total: 79,
      });
      expect(res.status).toBe(202);
      const [reminder] = await waitFor(
        () => (telegram.to(chat).length ? telegram.to(chat) : undefined),
        12_000,
        'the reminder',
      );
      expect(reminder!.text).toMatch(/竹纤维圆领T恤/);
    } finally {
      await s.close();
    }
  }, 30_000);
});
