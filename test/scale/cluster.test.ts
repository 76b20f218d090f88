import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { uniquePrefix } from '../helpers/redis.ts';
import { RedisCluster } from '../helpers/redis-cluster.ts';
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

/**
 * Two service instances on a 3-master Redis Cluster of the test's own (REDIS_CLUSTER_NODES):
 * answers, the desk, reminders and stats work, nothing is answered twice, and the keys spread
 * over the masters instead of piling into one slot.
 */
describe('on a Redis Cluster (3 masters)', () => {
  const cluster = new RedisCluster();
  const channel = new FakeChannel(SECRET);
  const prefix = uniquePrefix();
  const services: TestService[] = [];
  let reminderAt = '';

  beforeAll(async () => {
    await cluster.start(3);
    const channelUrl = await channel.start();
    reminderAt = localTimeIn(25);
    const env = {
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: cluster.nodes,
      KEY_PREFIX: prefix,
      CHANNEL_SEND_URL: channelUrl,
      AGENT_TOKENS: 'ann:ann-token',
      WORK_HOURS: '00:00-24:00',
      SHOP_TZ: TZ,
      REMINDER_AT: reminderAt,
      REMINDER_MIN_DELAY: '0',
      QUIET_HOURS: 'off',
    };
    services.push(await startTestService(env), await startTestService(env));
  }, 120_000);
  afterAll(async () => {
    for (const s of services) await s.stop();
    await channel.stop();
    await cluster.stop();
  }, 30_000);

  it('answers every message once across two instances, with the channel retrying on the other one', async () => {
    const [a, b] = services as [TestService, TestService];
    const tag = randomUUID().slice(0, 6);
    const accepted = new Set<string>();
    let duplicates = 0;
    for (let i = 0; i < 60; i++) {
      const message = buyerMessage({
        conversationId: `c-${tag}-${i % 12}`,
        text: ['在吗', '发什么快递', 'what is the fabric?'][i % 3]!,
        productId: 'p-1001',
      });
      for (const s of i % 4 === 0 ? [a, b] : [i % 2 ? a : b]) {
        const res = await signedPost(`${s.url}/v1/channels/generic/messages`, message);
        expect(res.status).toBe(202);
        if ((await res.json()).duplicate) duplicates += 1;
        accepted.add(message.messageId);
      }
    }
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    await waitFor(
      () => (new Set(mine().map((m) => m.inReplyTo)).size >= accepted.size ? true : undefined),
      30_000,
      'every message answered',
    );
    await sleep(500);
    const replies = mine();
    expect(duplicates).toBe(15);
    expect(replies).toHaveLength(60);
    expect(new Set(replies.map((m) => m.inReplyTo))).toEqual(accepted);
    expect(replies.find((m) => m.text.includes('纯棉') || /cotton/i.test(m.text))).toBeDefined();
  }, 60_000);

  it('hands off to a person, keeps the bot silent, and delivers the agent’s reply', async () => {
    const [a, b] = services as [TestService, TestService];
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${a.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '我要人工客服' }),
    );
    await waitFor(
      () => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined),
      10_000,
      'the hand-off notice',
    );
    await signedPost(`${b.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text: '在吗' }));
    const auth = { authorization: 'Bearer ann-token', 'content-type': 'application/json' };
    const claimed = await (
      await fetch(`${b.url}/v1/desk/handoffs/claim`, { method: 'POST', headers: auth })
    ).json();
    expect(claimed.handoff).toMatchObject({ conversationId, state: 'claimed', claimedBy: 'ann' });
    const sent = await fetch(`${a.url}/v1/desk/handoffs/${claimed.handoff.id}/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ text: '亲，我来帮您' }),
    });
    expect(sent.status).toBe(202);
    await waitFor(
      () => channel.to(conversationId).find((m) => m.from === 'agent'),
      10_000,
      'the agent’s reply',
    );
    expect(channel.to(conversationId).map((m) => m.kind)).toEqual(['handoff', 'agent']);
  }, 30_000);

  it('sends one afternoon reminder for an unpaid order, from one of the two instances', async () => {
    const [a, b] = services as [TestService, TestService];
    const order = {
      orderId: `o-${randomUUID().slice(0, 8)}`,
      buyerId: `b-${randomUUID().slice(0, 8)}`,
      conversationId: `c-${randomUUID()}`,
    };
    const event = {
      eventId: `e-${randomUUID()}`,
      type: 'created',
      ...order,
      at: new Date().toISOString(),
      items: [{ productId: 'p-1001', qty: 1, price: 79 }],
      total: 79,
    };
    expect((await signedPost(`${a.url}/v1/channels/generic/orders`, event)).status).toBe(202);
    expect((await signedPost(`${b.url}/v1/channels/generic/orders`, event)).status).toBe(202);
    const reminders = () => channel.to(order.conversationId).filter((m) => m.kind === 'reminder');
    await waitFor(() => (reminders().length ? true : undefined), 40_000, `the reminder at ${reminderAt}`);
    await sleep(1000);
    expect(reminders()).toHaveLength(1);
  }, 60_000);

  it('counts stats across instances and spreads the keys over the masters', async () => {
    // Each instance writes its counts once a second: wait until both have.
    const stats = await waitFor(
      async () => {
        const body = await (await fetch(`${services[1]!.url}/v1/stats`, { headers: adminHeaders() })).json();
        return body.conversations >= 13 ? body : undefined;
      },
      5_000,
      "both instances' counts",
    );
    expect(stats.conversations).toBeGreaterThanOrEqual(13);
    expect(stats.handoffs).toBeGreaterThanOrEqual(1);
    const perNode = await cluster.keysPerNode(prefix);
    expect(perNode.filter((n) => n > 0)).toHaveLength(3);
    process.stdout.write(`cluster keys per master: ${perNode.join(' / ')}\n`);
    // The inbound stream is sharded by conversation (8 shards on a Cluster): the duplicate marks
    // of the first test's 60 messages, each in its conversation's shard, sit on more than one master.
    const marksPerNode = await cluster.keysPerNode(prefix, `${prefix}:{inbox*}:seen:*`);
    expect(marksPerNode.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60);
    expect(marksPerNode.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    process.stdout.write(`inbound duplicate marks per master: ${marksPerNode.join(' / ')}\n`);
  });
});
