import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.ts';
import { FakeWhatsApp } from '../../helpers/fake-whatsapp.ts';
import {
  adminHeaders,
  failedOutboxMessage,
  FIXTURE_CATALOG,
  signedPost,
  skippedReminder,
  sleep,
  startTestService,
  useTestService,
  waitFor,
  type TestService,
  localTimeIn,
} from '../../helpers/service.ts';

const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = 'EAAfakeAccessTokenForTheLocalGraphApi0123';
const APP_SECRET = 'fake-app-secret-0123456789';
const VERIFY_TOKEN = 'verify-me-please';

const whatsapp = new FakeWhatsApp(ACCESS_TOKEN, APP_SECRET);
afterAll(() => whatsapp.stop());
let apiBase: string | undefined;
const whatsappEnv = async (extra: Record<string, string> = {}) => ({
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  WHATSAPP_API_BASE: (apiBase ??= await whatsapp.start()),
  CATALOG_FILE: FIXTURE_CATALOG,
  OUTBOX_BACKOFF_MS: '100',
  OUTBOX_BACKOFF_MAX_MS: '400',
  AGENT_TOKENS: 'ann:ann-token',
  WORK_HOURS: '00:00-24:00',
  ...extra,
});

const newBuyer = () => String(randomInt(100_000_000, 999_999_999)) + String(randomInt(100, 999));
const HOUR = 3600_000;

/** A `messages` webhook as Meta posts it: one text from `from` to `phoneNumberId`, sent `agoMs` before now. */
function webhook(
  from: string,
  text: string,
  options: { agoMs?: number; id?: string; productId?: string; phoneNumberId?: string } = {},
) {
  const sentAt = Date.now() - (options.agoMs ?? 0);
  if ((options.phoneNumberId ?? PHONE_NUMBER_ID) === PHONE_NUMBER_ID)
    whatsapp.lastInbound.set(from, Math.max(whatsapp.lastInbound.get(from) ?? 0, sentAt));
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550783881',
                phone_number_id: options.phoneNumberId ?? PHONE_NUMBER_ID,
              },
              contacts: [{ profile: { name: 'Sofía' }, wa_id: from }],
              messages: [
                {
                  from,
                  id: options.id ?? `wamid.${randomUUID()}`,
                  timestamp: String(Math.floor(sentAt / 1000)),
                  type: 'text',
                  text: { body: text },
                  ...(options.productId
                    ? {
                        context: {
                          referred_product: {
                            catalog_id: '194836987003835',
                            product_retailer_id: options.productId,
                          },
                        },
                      }
                    : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

const post = (url: string, body: unknown, signature?: string | null) => {
  const raw = JSON.stringify(body);
  const sig = signature === undefined ? whatsapp.sign(raw) : signature;
  return fetch(`${url}/v1/channels/whatsapp/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'x-hub-signature-256': sig }) },
    body: raw,
  });
};
const sentTo = (buyer: string, n = 1) =>
  waitFor(
    () => (whatsapp.to(buyer).length >= n ? whatsapp.to(buyer) : undefined),
    8_000,
    `${n} messages to ${buyer}`,
  );
const callsTo = (buyer: string) => whatsapp.calls.filter((c) => c === buyer).length;

describe('the WhatsApp channel', () => {
  const { service } = useTestService(() => whatsappEnv());
  const desk = (path: string, body?: unknown) =>
    fetch(`${service.url}/v1/desk${path}`, {
      method: body === undefined && !path.endsWith('claim') ? 'GET' : 'POST',
      headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("answers Meta's subscribe handshake only with the verify token", async () => {
    const verify = (query: string) => fetch(`${service.url}/v1/channels/whatsapp/webhook?${query}`);
    const ok = await verify(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    for (const query of [
      'hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      `hub.mode=subscribe&hub.challenge=1`,
    ])
      expect((await verify(query)).status).toBe(403);
  });

  it('answers a buyer who asked from a catalog product about that product, from the shop number', async () => {
    const buyer = newBuyer();
    const res = await post(
      service.url,
      webhook(buyer, 'What size for 172 cm and 62 kg?', { productId: 't-1' }),
    );
    expect(res.status).toBe(200);
    const [answer] = await sentTo(buyer);
    expect(answer).toMatchObject({ phoneNumberId: PHONE_NUMBER_ID, type: 'text' });
    expect(answer!.text).toMatch(/\bL\b/);
    const stored = await fetch(`${service.url}/v1/admin/conversations/whatsapp:${PHONE_NUMBER_ID}:${buyer}`, {
      headers: adminHeaders(),
    }).then((r) => r.json());
    expect(stored.conversation).toMatchObject({ channel: 'whatsapp', productId: 't-1', buyerId: buyer });
  });

  it('refuses a post without the app secret’s signature over its raw body', async () => {
    const buyer = newBuyer();
    const body = webhook(buyer, 'hola');
    for (const signature of [null, 'sha256=00', whatsapp.sign(JSON.stringify(body), 'another-secret')]) {
      const res = await post(service.url, body, signature);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('CHANNEL_SIGNATURE_INVALID');
    }
    await sleep(300);
    expect(callsTo(buyer)).toBe(0);
  });

  it('answers a message Meta delivers twice once, and takes statuses and other numbers’ messages silently', async () => {
    const buyer = newBuyer();
    const body = webhook(buyer, '¿Cuánto tarda el envío?', { id: `wamid.${randomUUID()}` });
    expect((await post(service.url, body)).status).toBe(200);
    expect((await post(service.url, body)).status).toBe(200);
    const statuses = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { phone_number_id: PHONE_NUMBER_ID },
                statuses: [{ id: 'wamid.x', status: 'delivered', timestamp: '1', recipient_id: buyer }],
              },
            },
          ],
        },
      ],
    };
    expect((await post(service.url, statuses)).status).toBe(200);
    const other = newBuyer();
    expect((await post(service.url, webhook(other, 'hola', { phoneNumberId: '999' }))).status).toBe(200);
    await sentTo(buyer);
    await sleep(500);
    expect(whatsapp.to(buyer)).toHaveLength(1);
    expect(callsTo(other)).toBe(0);
  });

  it('waits out a rate limit and an outage, then sends', async () => {
    const limited = newBuyer();
    whatsapp.limitCode = 130429;
    whatsapp.limitNext = 1;
    await post(service.url, webhook(limited, 'How long does shipping take?'));
    await sentTo(limited);
    const down = newBuyer();
    whatsapp.downNext = 3;
    await post(service.url, webhook(down, 'How long does shipping take?'));
    await sentTo(down);
    expect(callsTo(down)).toBeGreaterThanOrEqual(4);
  });

  it('keeps retrying while Meta refuses the access token (190), and sends once it takes it again', async () => {
    const buyer = newBuyer();
    const refusals = whatsapp.tokenRefusals;
    whatsapp.accessToken = 'a-token-the-shop-has-not-set-yet';
    try {
      await post(service.url, webhook(buyer, 'How long does shipping take?'));
      // The immediate try, then the outbox's retries: refused, and tried again.
      await waitFor(() => (whatsapp.tokenRefusals >= refusals + 3 ? true : undefined), 8_000, 'retries');
      expect(whatsapp.to(buyer)).toHaveLength(0);
    } finally {
      whatsapp.accessToken = ACCESS_TOKEN;
    }
    await sentTo(buyer);
  });

  it('lists an answer to a number not on WhatsApp as cannot be sent, without retrying it', async () => {
    const buyer = newBuyer();
    whatsapp.undeliverable.add(buyer);
    await post(service.url, webhook(buyer, 'How long does shipping take?'));
    const conversationId = `whatsapp:${PHONE_NUMBER_ID}:${buyer}`;
    const failed = await failedOutboxMessage(service, conversationId);
    expect(failed.failedReason).toMatch(/cannot be sent: WhatsApp answered 400 \(131026\)/);
    const tried = callsTo(buyer);
    await sleep(500);
    expect(callsTo(buyer)).toBe(tried); // refused for good: not tried again
    const history = async () =>
      (
        await fetch(`${service.url}/v1/admin/conversations/${conversationId}`, {
          headers: adminHeaders(),
        }).then((r) => r.json())
      ).messages as { from: string; undelivered?: string }[];
    await waitFor(async () =>
      (await history()).find((m) => m.from === 'bot')?.undelivered ? true : undefined,
    );
    expect((await history()).find((m) => m.from === 'bot')?.undelivered).toMatch(/131026/);

    // The number is on WhatsApp after all: the shop replays the message, and the mark goes.
    whatsapp.undeliverable.delete(buyer);
    const replay = await fetch(`${service.url}/v1/admin/outbox/failed/${failed.jobId}/replay`, {
      method: 'POST',
      headers: adminHeaders(),
    });
    expect(replay.status).toBe(202);
    await sentTo(buyer);
    await waitFor(async () =>
      (await history()).find((m) => m.from === 'bot')?.undelivered ? undefined : true,
    );
  });

  it('keeps agents to the 24-hour window: shown at the desk, refused with 409 outside, open again when the buyer writes', async () => {
    const buyer = newBuyer();
    const conversationId = `whatsapp:${PHONE_NUMBER_ID}:${buyer}`;
    // The buyer asked for a person 25 hours ago (Meta delivers late, or the shop was offline).
    await post(service.url, webhook(buyer, 'I want to talk to a real person', { agoMs: 25 * HOUR }));
    const notice = await failedOutboxMessage(service, conversationId);
    expect(notice.failedReason).toMatch(/outside WhatsApp's 24-hour window/);
    expect(callsTo(buyer)).toBe(0); // not even tried: Meta would refuse it (131047)
    const history = await waitFor(async () => {
      const stored = await fetch(`${service.url}/v1/admin/conversations/${conversationId}`, {
        headers: adminHeaders(),
      }).then((r) => r.json());
      const bot = (stored.messages as { from: string; undelivered?: string }[]).find((m) => m.from === 'bot');
      return bot?.undelivered ? stored.messages : undefined;
    });
    expect(history[1].undelivered).toMatch(/cannot be sent: outside WhatsApp's 24-hour window/);

    const waiting = await waitFor(async () => {
      const list = await desk('/handoffs?state=waiting').then((r) => r.json());
      return (list.handoffs as { id: string; conversationId: string }[]).find(
        (h) => h.conversationId === conversationId,
      );
    });
    const claimed = await (await desk(`/handoffs/${waiting.id}/claim`)).json();
    expect(claimed.handoff.channel).toBe('whatsapp');
    expect(claimed.sendState).toMatchObject({ open: false, code: 'WINDOW_CLOSED' });
    expect(Date.parse(claimed.sendState.windowEndsAt)).toBeLessThan(Date.now());
    const refused = await desk(`/handoffs/${waiting.id}/messages`, { text: 'Hi Sofía, Ann here.' });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.code).toBe('WINDOW_CLOSED');

    await post(service.url, webhook(buyer, 'hello?'));
    const open = await desk(`/handoffs/${waiting.id}`).then((r) => r.json());
    expect(open.sendState).toMatchObject({ open: true });
    expect(Date.parse(open.sendState.windowEndsAt)).toBeGreaterThan(Date.now() + 23 * HOUR);
    expect((await desk(`/handoffs/${waiting.id}/messages`, { text: 'Hi Sofía, Ann here.' })).status).toBe(
      202,
    );
    const [reply] = await sentTo(buyer);
    expect(reply).toMatchObject({ type: 'text', text: 'Hi Sofía, Ann here.' });
  });
});

describe('the desk page with a WhatsApp buyer outside the window', () => {
  const { service } = useTestService(() => whatsappEnv());
  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('shows the channel and that the agent cannot reply, before they type', async () => {
    browser = await launchChromium();
    const buyer = newBuyer();
    await post(service.url, webhook(buyer, 'I want to talk to a real person', { agoMs: 25 * HOUR }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${service.url}/desk`);
    await page.fill('#token', 'ann-token');
    await page.click('#login');
    await page.waitForSelector('#waiting .item');
    expect(await page.textContent('#waiting .item')).toContain('WhatsApp');
    await page.click('#claim');
    await page.waitForSelector('#messages .msg.buyer');
    const facts = await page.textContent('#facts');
    expect(facts).toContain('WhatsApp');
    expect(facts).toMatch(/can reply\s*no: outside WhatsApp's 24-hour window/);
    expect(await page.isDisabled('#send')).toBe(true);
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/desk-whatsapp.png' });
    await page.close();
  }, 60_000);
});

describe('the unpaid-order reminder of a WhatsApp buyer outside the window', () => {
  const running: TestService[] = [];
  afterAll(async () => {
    for (const s of running) await s.close();
  });

  /** A service whose reminder falls 4 s from now; the buyer last wrote 30 h ago, then ordered. */
  async function remindLateBuyer(extra: Record<string, string>) {
    const at = localTimeIn(4);
    const s = await startTestService(
      await whatsappEnv({
        SHOP_TZ: 'Asia/Shanghai',
        REMINDER_AT: at,
        REMINDER_MIN_DELAY: '0',
        QUIET_HOURS: 'off',
        ...extra,
      }),
    );
    running.push(s);
    const buyer = newBuyer();
    await post(s.url, webhook(buyer, 'ok', { agoMs: 30 * HOUR }));
    const orderId = `o-${randomUUID().slice(0, 8)}`;
    const res = await signedPost(`${s.url}/v1/channels/generic/orders`, {
      eventId: `e-${randomUUID()}`,
      type: 'created',
      orderId,
      buyerId: buyer,
      conversationId: `whatsapp:${PHONE_NUMBER_ID}:${buyer}`,
      at: new Date().toISOString(),
      items: [{ productId: 't-1', qty: 1, price: 79 }],
      total: 79,
    });
    expect(res.status).toBe(202);
    return { s, buyer, orderId };
  }

  it('goes as the configured template naming the product', async () => {
    const { buyer } = await remindLateBuyer({ WHATSAPP_REMINDER_TEMPLATE: 'unpaid_reminder:en_US' });
    const [reminder] = await waitFor(
      () => (whatsapp.to(buyer).length ? whatsapp.to(buyer) : undefined),
      12_000,
      'the reminder',
    );
    expect(reminder).toMatchObject({
      type: 'template',
      template: {
        name: 'unpaid_reminder',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Bamboo crew-neck T-shirt' }] }],
      },
    });
  }, 30_000);

  it('is skipped with the reason when the shop has no template', async () => {
    const { s, buyer, orderId } = await remindLateBuyer({});
    // An order naming a chat on a channel this shop has not switched on is not counted as reminded.
    const telegramOrder = `o-${randomUUID().slice(0, 8)}`;
    await signedPost(`${s.url}/v1/channels/generic/orders`, {
      eventId: `e-${randomUUID()}`,
      type: 'created',
      orderId: telegramOrder,
      buyerId: 'tg-1',
      conversationId: 'telegram:4242',
      at: new Date().toISOString(),
      items: [{ productId: 't-1', qty: 1, price: 79 }],
      total: 79,
    });
    expect(await skippedReminder(s, orderId)).toMatch(
      /outside WhatsApp's 24-hour window, and no WHATSAPP_REMINDER_TEMPLATE/,
    );
    expect(callsTo(buyer)).toBe(0);

    expect(await skippedReminder(s, telegramOrder)).toBe('the telegram channel is not switched on');
  }, 30_000);
});
