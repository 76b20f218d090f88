import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { uniquePrefix, deletePrefix } from '../helpers/redis.ts';
import {
  adminHeaders,
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
  localTimeIn,
} from '../helpers/service.ts';

const TZ = 'Asia/Shanghai';

function orderEvent(
  type: 'created' | 'paid' | 'cancelled' | 'shipped',
  order: { orderId: string; buyerId: string; conversationId: string },
  productId = 'p-1001',
) {
  return {
    eventId: `e-${randomUUID()}`,
    type,
    ...order,
    at: new Date().toISOString(),
    items: [{ productId, qty: 1, price: 79 }],
    total: 79,
  };
}

function newOrder() {
  return {
    orderId: `o-${randomUUID().slice(0, 8)}`,
    buyerId: `b-${randomUUID().slice(0, 8)}`,
    conversationId: `c-${randomUUID()}`,
  };
}

describe('the afternoon unpaid-order reminder', () => {
  const channel = new FakeChannel(SECRET);
  let channelUrl: string;
  const running: TestService[] = [];
  const reminders = (conversationId: string) =>
    channel.to(conversationId).filter((m) => m.kind === 'reminder');

  async function service(env: Record<string, string>): Promise<TestService> {
    const s = await startTestService({
      CHANNEL_SEND_URL: channelUrl,
      SHOP_TZ: TZ,
      REMINDER_MIN_DELAY: '0',
      QUIET_HOURS: 'off',
      ...env,
    });
    running.push(s);
    return s;
  }
  const post = (s: TestService, path: string, body: unknown) =>
    signedPost(`${s.url}/v1/channels/generic/${path}`, body);

  beforeAll(async () => {
    channelUrl = await channel.start();
  }, 30_000);
  afterEach(async () => {
    for (const s of running.splice(0)) await s.close();
  }, 30_000);
  afterAll(async () => channel.stop());

  it('reminds an unpaid order once, at REMINDER_AT, naming the product, promising same-day shipping before the cut-off', async () => {
    const s = await service({ REMINDER_AT: localTimeIn(5), SHIP_CUTOFF: '23:59:59' });
    const order = newOrder();
    await post(s, 'orders', orderEvent('created', order));
    const [reminder] = await waitFor(
      () => (reminders(order.conversationId).length ? reminders(order.conversationId) : undefined),
      15_000,
      'the reminder',
    );
    const stored = await (
      await fetch(`${s.url}/v1/admin/orders/${order.orderId}`, { headers: adminHeaders() })
    ).json();
    const lateMs = reminder!.receivedAtMs - Date.parse(stored.order.reminder.scheduledFor);
    expect(reminder!.text).toContain('男款纯棉圆领短袖T恤');
    expect(reminder!.text).toMatch(/今天就能发货/);
    expect(reminder).toMatchObject({ from: 'bot', kind: 'reminder', buyerId: order.buyerId });
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(2000);
    process.stdout.write(`reminder reached the channel ${lateMs} ms after REMINDER_AT\n`);
    await sleep(500);
    expect(reminders(order.conversationId)).toHaveLength(1);
  }, 30_000);

  it('drops a reminder held up by a down channel once the buyer has paid', async () => {
    const s = await service({
      REMINDER_AT: localTimeIn(4),
      OUTBOX_BACKOFF_MS: '100',
      OUTBOX_BACKOFF_MAX_MS: '200',
    });
    const order = newOrder();
    const orderUrl = `${s.url}/v1/admin/orders/${order.orderId}`;
    const stored = async () => (await (await fetch(orderUrl, { headers: adminHeaders() })).json()).order;
    await post(s, 'orders', orderEvent('created', order));
    channel.failNext = 1_000_000;
    try {
      await waitFor(
        async () => ((await stored())?.reminder?.sentAt ? true : undefined),
        15_000,
        'the reminder to be claimed',
      );
      const attempts = channel.attempts.length;
      await waitFor(
        () => (channel.attempts.length > attempts ? true : undefined),
        5_000,
        'a failed send attempt',
      );
      await post(s, 'orders', orderEvent('paid', order));
      await waitFor(
        async () => ((await stored())?.state === 'paid' ? true : undefined),
        5_000,
        'the payment',
      );
    } finally {
      channel.failNext = 0;
    }
    await sleep(1_500);
    expect(reminders(order.conversationId)).toHaveLength(0);
  }, 30_000);

  it('sends none for an order paid before REMINDER_AT, and none for repeated created events but one', async () => {
    const s = await service({ REMINDER_AT: localTimeIn(5) });
    const paid = newOrder();
    await post(s, 'orders', orderEvent('created', paid));
    await post(s, 'orders', orderEvent('paid', paid));
    const repeated = newOrder();
    const created = orderEvent('created', repeated);
    await post(s, 'orders', created);
    await post(s, 'orders', created);
    await post(s, 'orders', { ...created, eventId: `e-${randomUUID()}` });
    await waitFor(
      () => (reminders(repeated.conversationId).length ? true : undefined),
      15_000,
      'the repeated order’s reminder',
    );
    await sleep(800);
    expect(reminders(repeated.conversationId)).toHaveLength(1);
    expect(reminders(paid.conversationId)).toHaveLength(0);
  }, 30_000);

  it('schedules an order placed after REMINDER_AT for the next day, and none inside quiet hours', async () => {
    const s = await service({ REMINDER_AT: localTimeIn(-3600), UNPAID_CLOSE_MINUTES: '2880' });
    const late = newOrder();
    await post(s, 'orders', orderEvent('created', late));
    const { order } = await waitFor(async () => {
      const res = await fetch(`${s.url}/v1/admin/orders/${late.orderId}`, { headers: adminHeaders() });
      const body = res.ok
        ? ((await res.json()) as { order: { reminder?: { scheduledFor?: string } } })
        : undefined;
      return body?.order.reminder?.scheduledFor ? body : undefined;
    });
    const inHours = (Date.parse(order.reminder!.scheduledFor!) - Date.now()) / 3600_000;
    expect(inHours).toBeGreaterThan(22.9);
    expect(inHours).toBeLessThan(23.1);

    const quiet = await service({
      REMINDER_AT: localTimeIn(5),
      QUIET_HOURS: `${localTimeIn(-60).slice(0, 5)}-${localTimeIn(600).slice(0, 5)}`,
    });
    const q = newOrder();
    await post(quiet, 'orders', orderEvent('created', q));
    await sleep(3500);
    const res = await (
      await fetch(`${quiet.url}/v1/admin/orders/${q.orderId}`, { headers: adminHeaders() })
    ).json();
    expect(res.order.reminder?.scheduledFor).toBeUndefined();
    expect(reminders(q.conversationId)).toHaveLength(0);
  }, 30_000);

  it('keeps a scheduled reminder through a restart of the service', async () => {
    const prefix = uniquePrefix();
    const first = await startTestService({
      CHANNEL_SEND_URL: channelUrl,
      SHOP_TZ: TZ,
      REMINDER_MIN_DELAY: '0',
      QUIET_HOURS: 'off',
      REMINDER_AT: localTimeIn(6),
      KEY_PREFIX: prefix,
    });
    const order = newOrder();
    await post(first, 'orders', orderEvent('created', order));
    await waitFor(async () =>
      (await fetch(`${first.url}/v1/admin/orders/${order.orderId}`, { headers: adminHeaders() })).ok
        ? true
        : undefined,
    );
    await first.stop();
    const second = await service({ KEY_PREFIX: prefix, REMINDER_AT: '15:30' });
    expect(second.prefix).toBe(prefix);
    await waitFor(
      () => (reminders(order.conversationId).length ? true : undefined),
      15_000,
      'the reminder after restart',
    );
    expect(reminders(order.conversationId)).toHaveLength(1);
    await deletePrefix(prefix);
  }, 30_000);

  it('sends one reminder with two instances on one Redis, and one per buyer per day', async () => {
    const prefix = uniquePrefix();
    const env = { REMINDER_AT: localTimeIn(8), KEY_PREFIX: prefix };
    const a = await service(env);
    await service(env);
    const first = newOrder();
    const second = { ...newOrder(), buyerId: first.buyerId, conversationId: first.conversationId };
    await post(a, 'orders', orderEvent('created', first));
    await post(a, 'orders', orderEvent('created', second));
    await waitFor(() => (reminders(first.conversationId).length ? true : undefined), 15_000, 'a reminder');
    await sleep(1000);
    expect(reminders(first.conversationId)).toHaveLength(1);
  }, 30_000);

  it('sends none while a person has the conversation, and writes to an English buyer in English', async () => {
    const s = await service({ REMINDER_AT: localTimeIn(5), SHIP_CUTOFF: '00:00:01' });
    const handedOff = newOrder();
    await post(
      s,
      'messages',
      buyerMessage({ conversationId: handedOff.conversationId, text: 'I want to talk to a real person' }),
    );
    await waitFor(() => (channel.to(handedOff.conversationId).length ? true : undefined));
    await post(s, 'orders', orderEvent('created', handedOff));
    const english = newOrder();
    await post(
      s,
      'messages',
      buyerMessage({
        conversationId: english.conversationId,
        text: 'hello, is the t-shirt cotton?',
        productId: 'p-1001',
      }),
    );
    await waitFor(() => (channel.to(english.conversationId).length ? true : undefined));
    await post(s, 'orders', orderEvent('created', english));
    const [reminder] = await waitFor(
      () => (reminders(english.conversationId).length ? reminders(english.conversationId) : undefined),
      15_000,
      'the English reminder',
    );
    expect(reminder!.text).toMatch(/Cotton crew-neck T-shirt|crew-neck/);
    expect(reminder!.text).toMatch(/tomorrow/);
    await sleep(500);
    expect(reminders(handedOff.conversationId)).toHaveLength(0);
  }, 30_000);

  it('counts a reminded order paid within 24 h as converted', async () => {
    const s = await service({ REMINDER_AT: localTimeIn(5) });
    const order = newOrder();
    await post(s, 'orders', orderEvent('created', order));
    await waitFor(() => (reminders(order.conversationId).length ? true : undefined), 15_000, 'the reminder');
    await waitFor(async () => {
      const r = await (
        await fetch(`${s.url}/v1/admin/orders/${order.orderId}`, { headers: adminHeaders() })
      ).json();
      return r.order.reminder?.sentAt ? true : undefined;
    });
    await post(s, 'orders', orderEvent('paid', order));
    const stats = await waitFor(async () => {
      const r = await (await fetch(`${s.url}/v1/admin/reminders/stats`, { headers: adminHeaders() })).json();
      return r.converted >= 1 ? r : undefined;
    });
    expect(stats).toMatchObject({ sent: 1, converted: 1, conversionRate: 1 });
    // The same in the day's figures (today in the shop's time zone).
    const today = await (await fetch(`${s.url}/v1/stats`, { headers: adminHeaders() })).json();
    expect(today.reminders).toMatchObject({ sent: 1, converted: 1, skipped: 0, skippedBy: {} });
  }, 30_000);
});
