import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisWebChatStore } from '../../src/channels/web/redis-web-chat-store.ts';
import { createRedisHandoffStore } from '../../src/desk/redis-handoff-store.ts';
import { keys } from '../../src/shared/keys.ts';
import { TEST_REDIS_URL } from '../helpers/redis.ts';
import {
  buyerMessage,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
const AGENT = { authorization: 'Bearer ann-token', 'content-type': 'application/json' };
const WEB_TTL_HOURS = 3;

async function startChat(s: TestService): Promise<string> {
  const res = await fetch(`${s.url}/v1/chat/conversations`, { method: 'POST' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { conversationId: string }).conversationId;
}
const say = (s: TestService, conversationId: string, text: string, productId?: string) =>
  fetch(`${s.url}/v1/chat/messages`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ conversationId, text, ...(productId ? { productId } : {}) }),
  });
const read = (s: TestService, conversationId: string) =>
  fetch(`${s.url}/v1/chat/conversations/${encodeURIComponent(conversationId)}/messages`);

interface ChatHistory {
  language?: string;
  messages: { from: string; text: string }[];
}
/** Waits until the conversation holds `count` messages (the buyer's and the bot's). */
const messagesOf = (s: TestService, conversationId: string, count: number) =>
  waitFor(
    async () => {
      const body = (await (await read(s, conversationId)).json()) as ChatHistory;
      return body.messages.length >= count ? body : undefined;
    },
    10_000,
    `${count} messages in ${conversationId}`,
  );

/** The limits count in fixed one-minute windows: a run that straddles a minute's end would see its counts reset. */
async function earlyInAMinute(secondsNeeded = 20): Promise<void> {
  const intoMinute = (Date.now() % 60_000) / 1000;
  if (intoMinute > 60 - secondsNeeded) await sleep((60 - intoMinute) * 1000 + 100);
}

describe('the web chat', () => {
  let service: TestService;
  let redis: Redis;
  beforeAll(async () => {
    service = await startTestService({
      WEB_CHAT_TTL_HOURS: String(WEB_TTL_HOURS),
      WORK_HOURS: '00:00-24:00',
    });
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await service.close();
  });

  it('serves the page, its script and the sample shop’s products', async () => {
    const page = await fetch(`${service.url}/chat`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/chat.js');
    const script = await fetch(`${service.url}/chat.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('/v1/chat/messages');
    const { products } = await (await fetch(`${service.url}/v1/chat/products`)).json();
    expect(products.length).toBeGreaterThanOrEqual(8);
  });

  it('answers a buyer about the product they picked, and says which language it answered in', async () => {
    const conversationId = await startChat(service);
    expect(conversationId).toMatch(/^web:[A-Za-z0-9_-]{24}$/);
    expect((await say(service, conversationId, 'what fabric is this', 'p-1001')).status).toBe(202);
    const history = await messagesOf(service, conversationId, 2);
    expect(history.messages[0]).toMatchObject({ from: 'buyer', text: 'what fabric is this' });
    expect(history.messages[1]!.from).toBe('bot');
    expect(history.messages[1]!.text).toContain('100% cotton');
    expect(history.language).toBe('en');
  });

  it('refuses an empty message, and any conversation the web chat did not start', async () => {
    const conversationId = await startChat(service);
    expect((await say(service, conversationId, '   ')).status).toBe(400);
    expect((await say(service, `web-${randomUUID()}`, 'hi')).status).toBe(400);
    const unknown = `web:${'a'.repeat(24)}`;
    const post = await say(service, unknown, 'hi');
    expect(post.status).toBe(404);
    expect((await post.json()).error.code).toBe('NOT_FOUND');
    expect((await read(service, unknown)).status).toBe(404);
    expect((await read(service, 'c-1')).status).toBe(400);
  });

  it('keeps a channel’s conversation out of the web chat, whatever its id looks like', async () => {
    const lookalike = `web-${randomUUID()}`;
    expect(
      (
        await signedPost(
          `${service.url}/v1/channels/generic/messages`,
          buyerMessage({ conversationId: lookalike, text: '我的地址是北京市朝阳区' }),
        )
      ).status,
    ).toBe(202);
    await waitFor(
      async () => ((await redis.exists(keys(service.prefix).history(lookalike))) === 1 ? true : undefined),
      8_000,
      'the channel conversation stored',
    );
    expect((await read(service, lookalike)).status).toBe(400);

    const refused = await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: `web:${'b'.repeat(24)}` }),
    );
    expect(refused.status).toBe(400);
    expect((await read(service, `web:${'b'.repeat(24)}`)).status).toBe(404);
  });

  it('keeps the channel out of a web chat conversation', async () => {
    const conversationId = await startChat(service);
    expect((await say(service, conversationId, '在吗')).status).toBe(202);
    await messagesOf(service, conversationId, 2);
    const intruder = await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '我是渠道消息' }),
    );
    expect(intruder.status).toBe(400);
    const order = await signedPost(`${service.url}/v1/channels/generic/orders`, {
      eventId: `e-${randomUUID()}`,
      type: 'created',
      orderId: `o-${randomUUID()}`,
      buyerId: 'b-1',
      conversationId,
      at: new Date().toISOString(),
      items: [{ productId: 'p-1001', qty: 1, price: 79 }],
      total: 79,
    });
    expect(order.status).toBe(400);
    await sleep(300);
    const history = (await (await read(service, conversationId)).json()) as ChatHistory;
    expect(history.messages.map((m) => m.text)).not.toContain('我是渠道消息');
  });

  it('gives every key of a web chat conversation, and its hand-off once resolved, the web chat’s short lifetime', async () => {
    const conversationId = await startChat(service);
    expect((await say(service, conversationId, '质量太差了！！！我要投诉')).status).toBe(202);
    await messagesOf(service, conversationId, 2);
    const channelConversation = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: channelConversation, text: '在吗' }),
    );
    await waitFor(
      async () =>
        (await redis.exists(keys(service.prefix).history(channelConversation))) === 1 ? true : undefined,
      8_000,
      'the channel conversation',
    );

    const k = keys(service.prefix);
    const webKeys = await redis.keys(`${k.conversation(conversationId)}*`);
    expect(webKeys).toEqual(
      expect.arrayContaining([
        k.conversation(conversationId),
        k.history(conversationId),
        k.webChat(conversationId),
      ]),
    );
    const handoff = await waitFor(
      async () => {
        const { handoffs } = (await (
          await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, { headers: AGENT })
        ).json()) as { handoffs: { id: string; conversationId: string }[] };
        return handoffs.find((h) => h.conversationId === conversationId);
      },
      8_000,
      'the web chat hand-off',
    );
    for (const key of webKeys) {
      const ttl = await redis.ttl(key);
      expect({ key, lives: ttl > 0 }).toEqual({ key, lives: true });
      expect({ key, short: ttl <= WEB_TTL_HOURS * 3600 }).toEqual({ key, short: true });
    }
    expect(await redis.ttl(k.history(channelConversation))).toBeGreaterThan(29 * 24 * 3600);
    // Waiting in the last lane, the hand-off must not vanish before an agent sees it.
    expect(await redis.ttl(k.handoff(handoff.id))).toBeGreaterThan(WEB_TTL_HOURS * 3600);
    const store = createRedisHandoffStore(redis, k, 30 * 24 * 3600, WEB_TTL_HOURS * 3600);
    await store.mutate(handoff.id, (h) => ({
      handoff: { ...h, state: 'resolved' as const, resolvedAt: new Date().toISOString() },
      value: true,
    }));
    const resolvedTtl = await redis.ttl(k.handoff(handoff.id));
    expect(resolvedTtl).toBeGreaterThan(0);
    expect(resolvedTtl).toBeLessThanOrEqual(WEB_TTL_HOURS * 3600);
  });

  it('puts a web chat complaint behind a channel buyer’s ordinary hand-off', async () => {
    const claimNext = () =>
      fetch(`${service.url}/v1/desk/handoffs/claim`, { method: 'POST', headers: AGENT });
    for (let drained = await claimNext(); drained.status === 200; drained = await claimNext())
      await drained.body?.cancel(); // earlier tests' hand-offs
    const web = await startChat(service);
    expect((await say(service, web, '质量太差了！！！垃圾，我要投诉')).status).toBe(202);
    await messagesOf(service, web, 2);
    await sleep(10); // the channel buyer's hand-off is the younger one
    const channelBuyer = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: channelBuyer, text: '我要人工客服' }),
    );
    await waitFor(
      async () => {
        const { handoffs } = (await (
          await fetch(`${service.url}/v1/desk/handoffs?state=waiting`, { headers: AGENT })
        ).json()) as { handoffs: unknown[] };
        return handoffs.length >= 2 ? true : undefined;
      },
      8_000,
      'both hand-offs waiting',
    );

    const first = await (await claimNext()).json();
    expect(first.handoff).toMatchObject({ conversationId: channelBuyer, priority: 3 });
    const second = await (await claimNext()).json();
    expect(second.handoff).toMatchObject({ conversationId: web, priority: 4 });
  });

  // Last here: it uses up this minute's new conversations.
  it('starts at most WEB_CHAT_NEW_PER_MINUTE conversations a minute across every instance', async () => {
    await earlyInAMinute();
    const k = keys(service.prefix);
    const minute = Math.floor(Date.now() / 60_000);
    // Another instance of the service, sharing the Redis: its starts count against the same limit.
    const otherInstance = createRedisWebChatStore(redis, k, { ttlSeconds: 3600, newPerMinute: 30 });
    const startedHere = Number((await redis.get(k.webChatsStarted(minute))) ?? 0);
    for (let i = startedHere; i < 29; i++) expect((await otherInstance.start()).kind).toBe('started');

    const last = await fetch(`${service.url}/v1/chat/conversations`, { method: 'POST' });
    const busy = await fetch(`${service.url}/v1/chat/conversations`, { method: 'POST' });
    expect(Math.floor(Date.now() / 60_000)).toBe(minute);
    expect([last.status, busy.status]).toEqual([201, 429]);
    expect((await busy.json()).error.code).toBe('WEB_CHAT_BUSY');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await otherInstance.start()).kind).toBe('busy');
  }, 45_000);
});

/** POST /v1/chat/conversations from another loopback address: the limits count per address. */
function startFrom(s: TestService, localAddress: string): Promise<number> {
  const url = new URL(`${s.url}/v1/chat/conversations`);
  return new Promise((done, fail) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end();
  });
}

describe('the web chat’s new conversations', () => {
  let service: TestService;
  let redis: Redis;
  beforeAll(async () => {
    service = await startTestService({ CHAT_NEW_PER_ADDRESS_PER_MINUTE: '2', WEB_CHAT_NEW_PER_MINUTE: '5' });
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await service.close();
  });

  it('are limited per address well below the shop-wide limit, so one address cannot close the chat to others', async () => {
    await earlyInAMinute();
    const minute = Math.floor(Date.now() / 60_000);
    const one = [];
    for (let i = 0; i < 6; i++) one.push(await startFrom(service, '127.0.0.2'));
    expect(one).toEqual([201, 201, 429, 429, 429, 429]);
    expect(Number(await redis.get(keys(service.prefix).webChatsStarted(minute)))).toBe(2);
    expect(await startFrom(service, '127.0.0.3')).toBe(201);
    expect(Math.floor(Date.now() / 60_000)).toBe(minute);
  });
});

describe('the web chat’s limits', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ CHAT_RATE_PER_MINUTE: '6', CHAT_POLL_PER_MINUTE: '150' });
  });
  afterAll(async () => service.close());

  it('lets two tabs poll for a minute and still send, and limits sending and polling apart', async () => {
    await earlyInAMinute();
    const conversationId = await startChat(service);
    const tab = async () => {
      const statuses: number[] = [];
      for (let second = 0; second < 60; second++) statuses.push((await read(service, conversationId)).status);
      return statuses;
    };
    const [one, two] = await Promise.all([tab(), tab()]);
    expect([...one!, ...two!].filter((s) => s !== 200)).toEqual([]);

    const sent: number[] = [];
    for (let i = 0; i < 6; i++) sent.push((await say(service, conversationId, `第${i + 1}条`)).status);
    expect(sent).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await say(service, conversationId, 'again');
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const polls: number[] = [];
    for (let i = 0; i < 31; i++) polls.push((await read(service, conversationId)).status);
    expect(polls.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(polls[30]).toBe(429);
  }, 45_000);
});

describe('the web chat switched off', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ WEB_CHAT: 'off' });
  });
  afterAll(async () => service.close());

  it('answers 404 for the page and its API', async () => {
    const answers = await Promise.all([
      fetch(`${service.url}/chat`),
      fetch(`${service.url}/chat.js`),
      fetch(`${service.url}/v1/chat/products`),
      fetch(`${service.url}/v1/chat/conversations`, { method: 'POST' }),
      fetch(`${service.url}/v1/chat/messages`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ conversationId: `web:${'c'.repeat(24)}`, text: 'hi' }),
      }),
      fetch(`${service.url}/v1/chat/conversations/web:${'c'.repeat(24)}/messages`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
