import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../src/shared/zoned-time.ts';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import {
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
  agentHeaders,
} from '../helpers/service.ts';

const AGENTS = 'ann:ann-token,bo:bo-token,cy:cy-token,di:di-token,ed:ed-token';
const auth = agentHeaders;

describe('hand-offs and the agent desk', () => {
  const channel = new FakeChannel(SECRET);
  let channelUrl: string;
  const running: TestService[] = [];

  async function service(env: Record<string, string> = {}): Promise<TestService> {
    const s = await startTestService({
      CHANNEL_SEND_URL: channelUrl,
      AGENT_TOKENS: AGENTS,
      WORK_HOURS: '00:00-24:00',
      ...env,
    });
    running.push(s);
    return s;
  }
  const desk = (s: TestService, agent: string, path: string, body?: unknown) =>
    fetch(`${s.url}/v1/desk${path}`, {
      method:
        body === undefined &&
        !path.endsWith('claim') &&
        !path.endsWith('release') &&
        !path.endsWith('heartbeat')
          ? 'GET'
          : 'POST',
      headers: auth(agent),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  /** A buyer message that goes to a person; resolves once its notice reached the channel. */
  async function handOff(s: TestService, text = '我要人工客服', conversationId = `c-${randomUUID()}`) {
    await signedPost(`${s.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text }));
    await waitFor(
      () => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined),
      8_000,
      'the hand-off notice',
    );
    return conversationId;
  }

  beforeAll(async () => {
    channelUrl = await channel.start();
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.close();
  });
  afterAll(async () => channel.stop());

  it('takes an angry buyer through notice, silence, claim, agent reply, resolve and back to the bot', async () => {
    const s = await service();
    const conversationId = await handOff(s, '质量太差了！！！垃圾，我要投诉');
    expect(channel.to(conversationId)).toHaveLength(1);

    await signedPost(`${s.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text: '在吗' }));
    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '怎么退货' }),
    );
    await sleep(600);
    expect(channel.to(conversationId)).toHaveLength(1);

    const claim = await desk(s, 'ann', '/handoffs/claim');
    expect(claim.status).toBe(200);
    const claimed = await claim.json();
    expect(claimed.handoff).toMatchObject({
      conversationId,
      state: 'claimed',
      claimedBy: 'ann',
      reason: 'emotional',
      priority: 1,
    });
    expect(
      claimed.messages
        .filter((m: { from: string }) => m.from === 'buyer')
        .map((m: { text: string }) => m.text),
    ).toEqual(['质量太差了！！！垃圾，我要投诉', '在吗', '怎么退货']);

    const reply = await desk(s, 'ann', `/handoffs/${claimed.handoff.id}/messages`, {
      text: '亲，非常抱歉，我来帮您处理退货',
    });
    expect(reply.status).toBe(202);
    const agentMessage = await waitFor(() => channel.to(conversationId).find((m) => m.from === 'agent'));
    expect(agentMessage).toMatchObject({ kind: 'agent', text: '亲，非常抱歉，我来帮您处理退货' });

    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '好的谢谢' }),
    );
    await sleep(400);
    expect(channel.to(conversationId).filter((m) => m.from === 'bot')).toHaveLength(1);

    const resolved = await desk(s, 'ann', `/handoffs/${claimed.handoff.id}/resolve`, {
      intent: 'return.howto',
    });
    expect(resolved.status).toBe(200);
    // Back with the bot, which asks once how satisfied the buyer was; a question is answered as usual.
    const asked = await waitFor(() => channel.to(conversationId).filter((m) => m.from === 'bot')[1]);
    expect(asked.text).toMatch(/满意/);
    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '发什么快递' }),
    );
    const back = await waitFor(() => channel.to(conversationId).filter((m) => m.from === 'bot')[2]);
    expect(back.kind).toBe('answer');
    expect(back.text).toMatch(/快递/);
  });

  it('lets exactly one of five agents racing for one hand-off win', async () => {
    const s = await service();
    await handOff(s);
    const results = await Promise.all(
      ['ann', 'bo', 'cy', 'di', 'ed'].map((a) => desk(s, a, '/handoffs/claim')),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 204, 204, 204, 204]);
  });

  it('claims the hand-off an agent picks from the list; a second agent racing for it gets 409', async () => {
    const s = await service();
    const first = await handOff(s, 'transfer me to a human please');
    const picked = await handOff(s, '转人工');
    const waiting = (await (await desk(s, 'ann', '/handoffs?state=waiting')).json()).handoffs as {
      id: string;
      conversationId: string;
    }[];
    const id = waiting.find((h) => h.conversationId === picked)!.id;
    const results = await Promise.all(['ann', 'bo', 'cy'].map((a) => desk(s, a, `/handoffs/${id}/claim`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const won = await results.find((r) => r.status === 200)!.json();
    expect(won.handoff).toMatchObject({ id, conversationId: picked, state: 'claimed' });
    expect(won.messages.map((m: { text: string }) => m.text)).toContain('转人工');
    const lost = await results.find((r) => r.status === 409)!.json();
    expect(lost.error.code).toBe('HANDOFF_CONFLICT');
    // The other one still waits, first in line; an unknown id is 404.
    expect((await (await desk(s, 'di', '/handoffs/claim')).json()).handoff.conversationId).toBe(first);
    expect((await desk(s, 'di', '/handoffs/no-such-handoff/claim')).status).toBe(404);
  });

  it('claims emotional buyers first, then the oldest', async () => {
    const s = await service();
    const plain1 = await handOff(s, 'transfer me to a human please');
    const plain2 = await handOff(s, '转人工');
    const angry = await handOff(s, 'THIS IS A SCAM!!! I want my money back');
    const order = [];
    for (let i = 0; i < 3; i++)
      order.push((await (await desk(s, 'ann', '/handoffs/claim')).json()).handoff.conversationId);
    expect(order).toEqual([angry, plain1, plain2]);
  });

  it('gives a silent agent’s claim back to the queue, in its place', async () => {
    const s = await service({ AGENT_IDLE_SECONDS: '1', DESK_SWEEP_MS: '200' });
    const first = await handOff(s, 'human please');
    const second = await handOff(s, '人工');
    const taken = await (await desk(s, 'ann', '/handoffs/claim')).json();
    expect(taken.handoff.conversationId).toBe(first);
    const waiting = await waitFor(
      async () => {
        const list = (await (await desk(s, 'bo', '/handoffs?state=waiting')).json()).handoffs;
        return list.length === 2 ? list : undefined;
      },
      6_000,
      'the claim to expire',
    );
    expect(waiting.map((h: { conversationId: string }) => h.conversationId)).toEqual([first, second]);
    const late = await desk(s, 'ann', `/handoffs/${taken.handoff.id}/messages`, { text: 'still there?' });
    expect(late.status).toBe(409);
  });

  it('keeps a claim alive while the agent’s desk sends heartbeats', async () => {
    const s = await service({ AGENT_IDLE_SECONDS: '1', DESK_SWEEP_MS: '200' });
    await handOff(s, 'human please');
    const taken = await (await desk(s, 'ann', '/handoffs/claim')).json();
    for (let i = 0; i < 6; i++) {
      await sleep(400);
      expect((await desk(s, 'ann', '/heartbeat')).status).toBe(204);
    }
    const detail = await (await desk(s, 'ann', `/handoffs/${taken.handoff.id}`)).json();
    expect(detail.handoff).toMatchObject({ state: 'claimed', claimedBy: 'ann' });
  });

  it('loses no hand-off over a restart', async () => {
    const prefix = uniquePrefix();
    const first = await startTestService({
      CHANNEL_SEND_URL: channelUrl,
      AGENT_TOKENS: AGENTS,
      WORK_HOURS: '00:00-24:00',
      KEY_PREFIX: prefix,
    });
    const conversationId = await handOff(first, '我要找真人');
    await first.stop();
    const second = await service({ KEY_PREFIX: prefix });
    const claim = await (await desk(second, 'bo', '/handoffs/claim')).json();
    expect(claim.handoff.conversationId).toBe(conversationId);
    await deletePrefix(prefix);
  });

  it('refuses agent messages that break the shop rules, naming the rule, and sends nothing', async () => {
    const s = await service();
    const conversationId = await handOff(s);
    const { handoff } = await (await desk(s, 'ann', '/handoffs/claim')).json();
    for (const [text, rule] of [
      ['加我微信 shop_xiaoer88 私聊', 'qq-or-wechat'],
      ['打我电话 13812345678', 'phone-number'],
      ['去 www.othershop.com 买更便宜', 'outside-link'],
      ['你个傻逼', 'profanity'],
      ['转账到卡号 6222 0212 3456 7890 123', 'bank-account'],
      ['寄到杭州市西湖区文三路90号', 'street-address'],
    ] as const) {
      const res = await desk(s, 'ann', `/handoffs/${handoff.id}/messages`, { text });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('OUTBOUND_GUARD');
      expect(body.error.details[0].rule).toBe(rule);
    }
    await sleep(300);
    expect(channel.to(conversationId).filter((m) => m.from === 'agent')).toHaveLength(0);
  });

  it('releases, transfers, and refuses what is not yours or not allowed', async () => {
    const s = await service();
    await handOff(s);
    const { handoff } = await (await desk(s, 'ann', '/handoffs/claim')).json();
    expect((await desk(s, 'bo', `/handoffs/${handoff.id}/messages`, { text: 'hi' })).status).toBe(409);
    expect((await desk(s, 'ann', `/handoffs/${handoff.id}/transfer`, { agent: 'nobody' })).status).toBe(400);
    await desk(s, 'bo', '/heartbeat'); // transfer goes to an agent whose desk is open
    const moved = await (await desk(s, 'ann', `/handoffs/${handoff.id}/transfer`, { agent: 'bo' })).json();
    expect(moved.handoff.claimedBy).toBe('bo');
    expect((await desk(s, 'bo', `/handoffs/${handoff.id}/release`)).status).toBe(200);
    const waiting = (await (await desk(s, 'cy', '/handoffs?state=waiting')).json()).handoffs;
    expect(waiting.map((h: { id: string }) => h.id)).toContain(handoff.id);
    expect((await fetch(`${s.url}/v1/desk/handoffs?state=waiting`)).status).toBe(401);
    expect(
      (
        await fetch(`${s.url}/v1/desk/handoffs?state=waiting`, {
          headers: { authorization: 'Bearer wrong-token' },
        })
      ).status,
    ).toBe(401);
  });

  it('tells the buyer the expected wait when an agent is online, and when people are back outside working hours', async () => {
    const s = await service();
    await desk(s, 'ann', '/heartbeat');
    const withAgent = await handOff(s, 'can I talk to a person?');
    expect(channel.to(withAgent)[0]!.text).toMatch(/in about \d+ minutes/);

    const now = toLocal(new Date(), 'Asia/Shanghai');
    const later = (now.hour + 2) % 24;
    const closed = await service({
      WORK_HOURS: `${String(later).padStart(2, '0')}:00-${String(later).padStart(2, '0')}:30`,
    });
    const offHours = await handOff(closed, 'can I talk to a person?');
    expect(channel.to(offHours)[0]!.text).toMatch(
      new RegExp(`when we're back (today|tomorrow) at ${String(later).padStart(2, '0')}:00`),
    );
  });

  it('hands a discount ask beyond the shop’s limit to a person, and answers a small one with the promotions', async () => {
    const s = await service({ DISCOUNT_LIMIT: '20' });
    const big = `c-${randomUUID()}`;
    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: big, text: '能便宜50块吗', productId: 'p-1004' }),
    );
    const small = `c-${randomUUID()}`;
    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: small, text: '能便宜10块吗', productId: 'p-1004' }),
    );
    const [bigReply] = await waitFor(() => (channel.to(big).length ? channel.to(big) : undefined));
    const [smallReply] = await waitFor(() => (channel.to(small).length ? channel.to(small) : undefined));
    expect(bigReply!.kind).toBe('handoff');
    expect(smallReply!.kind).toBe('answer');
    expect(smallReply!.text).toMatch(/价格对每位顾客都是一样/);
  });
});

describe('npm run export-labels', () => {
  it('writes the messages agents labelled when resolving, for review', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const channel = new FakeChannel(SECRET);
    const s = await startTestService({
      CHANNEL_SEND_URL: await channel.start(),
      AGENT_TOKENS: AGENTS,
      WORK_HOURS: '00:00-24:00',
    });
    try {
      const conversationId = `c-${randomUUID()}`;
      await signedPost(
        `${s.url}/v1/channels/generic/messages`,
        buyerMessage({ conversationId, text: 'qwzx blorp asdf' }),
      );
      await signedPost(
        `${s.url}/v1/channels/generic/messages`,
        buyerMessage({ conversationId, text: 'zzzz mmmm' }),
      );
      await waitFor(() => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined));
      const { handoff } = await (
        await fetch(`${s.url}/v1/desk/handoffs/claim`, { method: 'POST', headers: auth('ann') })
      ).json();
      await fetch(`${s.url}/v1/desk/handoffs/${handoff.id}/resolve`, {
        method: 'POST',
        headers: auth('ann'),
        body: JSON.stringify({ intent: 'product.stock' }),
      });
      const dir = mkdtempSync(join(tmpdir(), 'labels-'));
      const run = spawnSync('npm', ['run', '-s', 'export-labels'], {
        encoding: 'utf8',
        env: { ...process.env, KEY_PREFIX: s.prefix, REDIS_URL: 'redis://127.0.0.1:6379', LABELS_DIR: dir },
      });
      expect(run.status).toBe(0);
      const written = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8'));
      const [corpus] = Object.values(written) as { data: unknown[] }[];
      expect(corpus!.data).toEqual([
        {
          intent: 'product.stock',
          utterances: expect.arrayContaining(['zzzz mmmm']),
          botGuessed: expect.any(Array),
        },
      ]);
    } finally {
      await s.close();
      await channel.stop();
    }
  }, 30_000);
});

describe('people-first reception', () => {
  it('gives a new conversation to a person while one is online, and to the bot when none is', async () => {
    const channel = new FakeChannel(SECRET);
    const s = await startTestService({
      CHANNEL_SEND_URL: await channel.start(),
      AGENT_TOKENS: AGENTS,
      WORK_HOURS: '00:00-24:00',
      RECEPTION_MODE: 'people-first',
      AGENT_ONLINE_SECONDS: '2',
    });
    try {
      const alone = `c-${randomUUID()}`;
      await signedPost(
        `${s.url}/v1/channels/generic/messages`,
        buyerMessage({ conversationId: alone, text: '在吗' }),
      );
      expect((await waitFor(() => channel.to(alone)[0])).kind).toBe('answer');
      await fetch(`${s.url}/v1/desk/heartbeat`, { method: 'POST', headers: auth('ann') });
      const served = `c-${randomUUID()}`;
      await signedPost(
        `${s.url}/v1/channels/generic/messages`,
        buyerMessage({ conversationId: served, text: '在吗' }),
      );
      const notice = await waitFor(() => channel.to(served)[0]);
      expect(notice.kind).toBe('handoff');
      expect(notice.text).toMatch(/预计\d+分钟内/);
    } finally {
      await s.close();
      await channel.stop();
    }
  }, 30_000);
});
