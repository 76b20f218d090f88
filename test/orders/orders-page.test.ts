import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cspViolations, openWithToken, useChromium } from '../helpers/browser.ts';
import {
  ADMIN,
  adminHeaders,
  localTimeIn,
  say as sayTo,
  signedPost,
  statsOn,
  useTestService,
  waitFor,
} from '../helpers/service.ts';

const TZ = 'Asia/Shanghai';

/**
 * The orders page against what happened through the webhooks: unpaid orders and where their
 * reminder stands (sent, converted, skipped and why), an invoice a buyer asked for in chat and the
 * shop marking it issued, and a paid order the buyer asked to cancel (a warehouse stop).
 */
describe('the /orders page in headless Chromium', () => {
  // Chromium first: REMINDER_AT, read when the service starts, is six seconds after that.
  const browser = useChromium();

  const { service, channel } = useTestService(() => ({
    SHOP_TZ: TZ,
    REMINDER_AT: localTimeIn(6, TZ),
    REMINDER_MIN_DELAY: '0',
    QUIET_HOURS: 'off',
    SHIP_CUTOFF: '23:59:59',
  }));
  const orders = (query = '') =>
    fetch(`${service.url}/v1/admin/orders${query}`, { headers: adminHeaders() }).then((r) => r.json());
  const newOrder = (total: number) => ({
    orderId: `o-${randomUUID().slice(0, 8)}`,
    buyerId: `b-${randomUUID().slice(0, 8)}`,
    conversationId: `c-${randomUUID()}`,
    total,
  });
  type NewOrder = ReturnType<typeof newOrder>;
  const event = (type: 'created' | 'paid', order: NewOrder) =>
    signedPost(`${service.url}/v1/channels/generic/orders`, {
      eventId: `e-${randomUUID()}`,
      type,
      orderId: order.orderId,
      buyerId: order.buyerId,
      conversationId: order.conversationId,
      at: new Date().toISOString(),
      items: [{ productId: 'p-1001', qty: 2, price: order.total / 2 }],
      total: order.total,
    });
  const say = (order: NewOrder, text: string) =>
    sayTo(service, channel, order.conversationId, text, { buyerId: order.buyerId });

  it('lists the day’s orders with their reminders, invoices to issue and warehouse stops', async () => {
    const reminded = newOrder(158);
    const converted = newOrder(238);
    const paidFirst = newOrder(99);
    const invoiced = newOrder(318);
    const stopped = newOrder(129);
    const withPerson = newOrder(59);
    for (const o of [reminded, converted, paidFirst, invoiced, stopped, withPerson])
      await event('created', o);
    for (const o of [paidFirst, invoiced, stopped]) await event('paid', o);
    // The buyer asks for an invoice in chat, and another asks to cancel a paid order.
    await say(invoiced, '能开发票吗');
    await say(invoiced, '抬头：杭州小二科技有限公司，税号91330106MA2B3C4D5E');
    await say(stopped, '我不想要了，帮我取消订单');
    await say(withPerson, '转人工'); // a person has this buyer when the reminder is due: skipped

    // At REMINDER_AT the unpaid orders are reminded; one is paid after its reminder.
    await waitFor(
      async () => {
        const view = await orders();
        const state = (o: NewOrder) =>
          view.orders.find((r: { orderId: string }) => r.orderId === o.orderId)?.reminder.state;
        return state(reminded) === 'sent' && state(converted) === 'sent' ? true : undefined;
      },
      20_000,
      'the reminders sent',
    );
    await event('paid', converted);
    const view = await waitFor(
      async () => {
        const v = await orders();
        const row = (o: NewOrder) => v.orders.find((r: { orderId: string }) => r.orderId === o.orderId);
        return row(converted)?.reminder.state === 'converted' && row(withPerson)?.reminder.state === 'skipped'
          ? v
          : undefined;
      },
      10_000,
      'the conversion and the skip',
    );
    const row = (o: NewOrder) => view.orders.find((r: { orderId: string }) => r.orderId === o.orderId);
    expect(view.timeZone).toBe(TZ);
    expect(row(reminded)).toMatchObject({
      state: 'created',
      total: 158,
      items: 2,
      reminder: { state: 'sent' },
    });
    expect(row(converted).reminder).toMatchObject({ state: 'converted' });
    expect(row(converted).reminder.sentAt).toBeDefined();
    // Paid before the reminder was due: skipped, and why, or never needed.
    expect(['skipped', 'none']).toContain(row(paidFirst).reminder.state);
    if (row(paidFirst).reminder.state === 'skipped') expect(row(paidFirst).reminder.reason).toMatch(/paid/);
    expect(row(withPerson).reminder).toEqual({ state: 'skipped', reason: 'a person has the conversation' });
    expect(view.invoices).toEqual([
      expect.objectContaining({
        orderId: invoiced.orderId,
        title: '杭州小二科技有限公司',
        taxId: '91330106MA2B3C4D5E',
        state: 'paid',
      }),
    ]);
    expect(view.warehouse.map((w: { orderId: string }) => w.orderId)).toEqual([stopped.orderId]);
    // The same reminders in the day's figures: sent, converted, skipped by reason.
    const { reminders } = await statsOn(service);
    expect(reminders).toMatchObject({
      sent: 2,
      converted: 1,
      skipped: 1,
      skippedBy: { 'a person has the conversation': 1 },
      conversionRate: 0.5,
    });
    // Another day has none of them; bad input is refused.
    expect((await orders('?day=2020-01-01')).orders).toEqual([]);
    expect(
      (await fetch(`${service.url}/v1/admin/orders?day=2026-02-30`, { headers: adminHeaders() })).status,
    ).toBe(400);
    expect((await fetch(`${service.url}/v1/admin/orders`)).status).toBe(401);
    const issue = (orderId: string) =>
      fetch(`${service.url}/v1/admin/orders/${orderId}/invoice-issued`, {
        method: 'POST',
        headers: adminHeaders(),
      });
    expect((await issue(reminded.orderId)).status).toBe(409); // no invoice was asked for
    expect((await issue('o-nope')).status).toBe(404);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const blocked = cspViolations(page);
    await openWithToken(page, `${service.url}/orders`, ADMIN);
    await page.waitForSelector('#orders td');
    const table = await page.textContent('#orders');
    expect(table).toContain(reminded.orderId);
    expect(table).toMatch(/sent \d\d:\d\d/);
    expect(table).toMatch(/converted: paid \d\d:\d\d after the reminder at \d\d:\d\d/);
    expect(table).toContain('skipped: a person has the conversation');
    expect(await page.textContent('#summary')).toMatch(/6 orders · 2 unpaid/);
    expect(await page.textContent('#invoices')).toContain('杭州小二科技有限公司');
    expect(await page.textContent('#warehouse')).toContain(stopped.orderId);
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/orders.png', fullPage: true });
    // The shop issues the invoice: it leaves the list, on the page and in the API.
    const button = await page.$('#invoices button');
    await button!.click();
    await page.waitForFunction(() =>
      document.querySelector('#invoices')?.textContent?.includes('No invoice waits'),
    );
    expect((await orders()).invoices).toEqual([]);
    const again = await issue(invoiced.orderId);
    expect(again.status).toBe(200); // issuing twice keeps the first time
    expect((await again.json()).invoice.orderId).toBe(invoiced.orderId);
    // The buyer corrects the details after it was issued: it waits to be issued again, with them.
    await say(invoiced, '抬头改成杭州小二服饰有限公司，税号91330106MA2B3C4D5E');
    const reissue = await waitFor(
      async () => ((await orders()).invoices as { title: string }[])[0],
      8_000,
      'again',
    );
    expect(reissue.title).toBe('杭州小二服饰有限公司');
    expect(blocked).toEqual([]);
    await page.close();
  }, 60_000);
});
