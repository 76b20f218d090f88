import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import {
  adminHeaders,
  buyerMessage,
  SECRET,
  signedPost,
  startTestService,
  waitFor,
  useTestService,
} from '../helpers/service.ts';

type EventType = 'created' | 'paid' | 'cancelled' | 'shipped';

describe('answers that know the buyer’s order', () => {
  // No reminders get in the way: REMINDER_AT sits inside quiet hours.
  const { service, channel } = useTestService({ REMINDER_AT: '23:00', QUIET_HOURS: '22:00-08:00' });

  async function orderIn(states: EventType[]) {
    const order = {
      orderId: `o-${randomUUID().slice(0, 8)}`,
      buyerId: 'b-1',
      conversationId: `c-${randomUUID()}`,
    };
    const base = Date.parse('2026-11-20T10:00:00+08:00');
    for (const [i, type] of states.entries()) {
      const event = {
        eventId: `e-${randomUUID()}`,
        type,
        ...order,
        at: new Date(base + i * 3600_000).toISOString(),
        items: [{ productId: 'p-1001', qty: 1, price: 79 }],
        total: 79,
      };
      expect((await signedPost(`${service.url}/v1/channels/generic/orders`, event)).status).toBe(202);
    }
    await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/orders/${order.orderId}`, { headers: adminHeaders() });
      return res.ok && (await res.json()).order.state === states[states.length - 1] ? true : undefined;
    });
    return order;
  }

  async function ask(conversationId: string, text: string): Promise<string> {
    const before = channel.to(conversationId).length;
    await signedPost(`${service.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text }));
    const replies = await waitFor(() =>
      channel.to(conversationId).length > before ? channel.to(conversationId) : undefined,
    );
    return replies[replies.length - 1]!.text;
  }

  const orderOf = async (orderId: string) =>
    (await (await fetch(`${service.url}/v1/admin/orders/${orderId}`, { headers: adminHeaders() })).json())
      .order;

  it('answers a change to an unpaid or shipped order itself, and hands a paid one to a person', async () => {
    const unpaid = await orderIn(['created']);
    expect(await ask(unpaid.conversationId, '地址填错了 能帮我改一下吗')).toMatch(/订单详情里就能直接修改/);
    const shipped = await orderIn(['created', 'paid', 'shipped']);
    expect(await ask(shipped.conversationId, '地址填错了 能帮我改一下吗')).toMatch(
      /已经在.*发出了，没法再修改/,
    );
    const paid = await orderIn(['created', 'paid']);
    const said = await ask(paid.conversationId, '地址填错了 能帮我改一下吗');
    expect(said).toMatch(/还没发货，我马上请同事联系仓库/);
    const waiting = await (
      await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, {
        headers: { authorization: 'Bearer ann-token' },
      })
    ).json();
    expect(
      waiting.handoffs.find((h: { conversationId: string }) => h.conversationId === paid.conversationId),
    ).toMatchObject({ reason: 'order.change' });
  });

  it('with no order known, explains how a change works, then hands what the buyer sends to a person', async () => {
    const conversationId = `c-${randomUUID()}`;
    expect(await ask(conversationId, '地址填错了 能帮我改一下吗')).toMatch(/把订单号和要改的内容发给我/);
    expect(await ask(conversationId, '改成浙江省杭州市西湖区文三路100号 张三')).toMatch(/转给同事/);
    const waiting = await (
      await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, {
        headers: { authorization: 'Bearer ann-token' },
      })
    ).json();
    expect(
      waiting.handoffs.find((h: { conversationId: string }) => h.conversationId === conversationId),
    ).toMatchObject({ reason: 'order.change' });
    // A thanks after the explanation is only a thanks.
    const other = `c-${randomUUID()}`;
    await ask(other, 'can I change the delivery address?');
    expect(await ask(other, 'ok thanks')).not.toMatch(/colleague/);
  });

  it('tells an unpaid buyer to close the order themselves', async () => {
    const order = await orderIn(['created']);
    expect(await ask(order.conversationId, '我想取消订单')).toMatch(/点「取消订单」就可以直接关闭/);
  });

  it('stops a paid, unshipped order at the warehouse, says when the buyer hears back, and notes it for the desk', async () => {
    const order = await orderIn(['created', 'paid']);
    expect(await ask(order.conversationId, '不想要了 帮我取消订单')).toMatch(
      /通知仓库拦截了，\d+月\d+日 \d\d:\d\d前给您回复/,
    );
    const stored = await orderOf(order.orderId);
    expect(stored.notes.map((n: { kind: string }) => n.kind)).toEqual(['warehouse-stop']);

    // the desk sees the task, and the buyer hears the warehouse's answer
    const agent = { authorization: 'Bearer ann-token', 'content-type': 'application/json' };
    const { tasks } = await (await fetch(`${service.url}/v1/desk/tasks`, { headers: agent })).json();
    expect(tasks.map((t: { orderId: string }) => t.orderId)).toContain(order.orderId);
    const done = await fetch(`${service.url}/v1/desk/tasks/${order.orderId}/done`, {
      method: 'POST',
      headers: agent,
      body: JSON.stringify({ stopped: true }),
    });
    expect(done.status).toBe(200);
    const result = await waitFor(() => channel.to(order.conversationId).find((m) => m.from === 'agent'));
    expect(result.text).toMatch(new RegExp(`订单${order.orderId}已经在仓库拦截成功`));
    expect(
      (await (await fetch(`${service.url}/v1/desk/tasks`, { headers: agent })).json()).tasks,
    ).toHaveLength(0);
  });

  it('asks a buyer with a shipped order to refuse the parcel, postage theirs', async () => {
    const order = await orderIn(['created', 'paid', 'shipped']);
    expect(await ask(order.conversationId, 'cancel my order please')).toMatch(
      /refuse the parcel at delivery.*return postage is on you/,
    );
  });

  it('gives a shipped order’s dates for a where-is-my-parcel question', async () => {
    const order = await orderIn(['created', 'paid', 'shipped']);
    expect(await ask(order.conversationId, '快递到哪了')).toMatch(
      /已在11月20日发出，预计11月22日到11月24日送达/,
    );
  });

  it('says a paid order needs no more payment', async () => {
    const order = await orderIn(['created', 'paid']);
    expect(await ask(order.conversationId, 'how do i pay for my order?')).toMatch(/received the payment/);
  });

  it('collects the invoice title and tax id, records them, and issues after receipt', async () => {
    const order = await orderIn(['created', 'paid']);
    expect(await ask(order.conversationId, '能开发票吗')).toMatch(/抬头和税号/);
    expect(await ask(order.conversationId, '抬头：杭州小二科技有限公司，税号91330106MA2B3C4D5E')).toMatch(
      /已登记.*杭州小二科技有限公司.*91330106MA2B3C4D5E.*确认收货后/,
    );
    expect((await orderOf(order.orderId)).invoice).toMatchObject({
      title: '杭州小二科技有限公司',
      taxId: '91330106MA2B3C4D5E',
    });
  });
});

describe('a bot answer that would break the shop rules', () => {
  it('is not sent, and stays visible with the rule', async () => {
    const channel = new FakeChannel(SECRET);
    const service = await startTestService({
      CHANNEL_SEND_URL: await channel.start(),
      REMINDER_AT: '23:00',
      QUIET_HOURS: '22:00-08:00',
    });
    try {
      const order = {
        orderId: `o-${randomUUID().slice(0, 8)}`,
        buyerId: 'b-1',
        conversationId: `c-${randomUUID()}`,
      };
      const event = {
        eventId: `e-${randomUUID()}`,
        type: 'paid',
        ...order,
        at: new Date().toISOString(),
        items: [{ productId: 'p-1001', qty: 1, price: 79 }],
        total: 79,
      };
      await signedPost(`${service.url}/v1/channels/generic/orders`, event);
      await waitFor(async () =>
        (await fetch(`${service.url}/v1/admin/orders/${order.orderId}`, { headers: adminHeaders() })).ok
          ? true
          : undefined,
      );
      // The buyer slips a phone number into the invoice title, which the bot would echo back.
      await signedPost(
        `${service.url}/v1/channels/generic/messages`,
        buyerMessage({
          conversationId: order.conversationId,
          text: '开发票 抬头：13812345678有限公司 税号91330106MA2B3C4D5E',
        }),
      );
      const failed = await waitFor(async () => {
        const body = await (
          await fetch(`${service.url}/v1/admin/outbox/failed`, { headers: adminHeaders() })
        ).json();
        return body.failed.find(
          (f: { message?: { conversationId: string } }) => f.message?.conversationId === order.conversationId,
        );
      });
      expect(failed.failedReason).toMatch(/outbound guard: phone-number/);
      expect(channel.to(order.conversationId)).toHaveLength(0);
    } finally {
      await service.close();
      await channel.stop();
    }
  });
});

describe('the warehouse’s answer, promised within the shop’s hours', () => {
  // 21:02 in Shanghai, shifts until 22:00: four hours of shop time end at 12:02 the next day, not 01:02.
  const { service, channel } = useTestService(
    {
      WORK_HOURS: '09:00-22:00',
      WAREHOUSE_REPLY_HOURS: '4',
      REMINDER_AT: '23:00',
      QUIET_HOURS: '22:00-08:00',
    },
    { clock: { now: () => new Date('2026-11-20T21:02:00+08:00') } },
  );

  it('promises a paid order’s stop at the warehouse for the next morning, not the middle of the night', async () => {
    const order = {
      orderId: `o-${randomUUID().slice(0, 8)}`,
      buyerId: 'b-1',
      conversationId: `c-${randomUUID()}`,
    };
    for (const [i, type] of (['created', 'paid'] as const).entries()) {
      const event = {
        eventId: `e-${randomUUID()}`,
        type,
        ...order,
        at: new Date(Date.parse('2026-11-20T20:00:00+08:00') + i * 60_000).toISOString(),
        items: [{ productId: 'p-1001', qty: 1, price: 79 }],
        total: 79,
      };
      expect((await signedPost(`${service.url}/v1/channels/generic/orders`, event)).status).toBe(202);
    }
    await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/admin/orders/${order.orderId}`, { headers: adminHeaders() });
      return res.ok && (await res.json()).order.state === 'paid' ? true : undefined;
    });
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: order.conversationId, text: '不想要了 帮我取消订单' }),
    );
    const [reply] = await waitFor(() => {
      const got = channel.to(order.conversationId);
      return got.length ? got : undefined;
    });
    expect(reply!.text).toMatch(/11月21日 12:02前给您回复/);
  });
});
