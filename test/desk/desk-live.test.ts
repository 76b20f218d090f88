import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import {
  buyerMessage,
  SECRET,
  signedPost,
  startTestService,
  waitFor,
  type TestService,
  agentHeaders,
} from '../helpers/service.ts';

const auth = agentHeaders;

interface StreamEvent {
  type: string;
  data: Record<string, string>;
}

/** An agent's event stream, read as the desk page reads it (fetch with the token in a header). */
async function openEvents(url: string, agent: string) {
  const controller = new AbortController();
  const res = await fetch(`${url}/v1/desk/events`, { headers: auth(agent), signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: StreamEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  await waitFor(() => events.find((e) => e.type === 'ready'), 5_000, 'the stream to open');
  return { events, close: () => controller.abort() };
}

describe('the desk, live: pushed events, notes, tags, the buyer’s history, assist and transfer', () => {
  const channel = new FakeChannel(SECRET);
  let channelUrl: string;
  const running: TestService[] = [];

  async function service(env: Record<string, string> = {}): Promise<TestService> {
    const s = await startTestService({
      CHANNEL_SEND_URL: channelUrl,
      AGENT_TOKENS: 'ann:ann-token,bo:bo-token',
      WORK_HOURS: '00:00-24:00',
      ...env,
    });
    running.push(s);
    return s;
  }
  const call = (s: TestService, agent: string, method: string, path: string, body?: unknown) =>
    fetch(`${s.url}/v1/desk${path}`, {
      method,
      headers: auth(agent),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const say = (s: TestService, conversationId: string, text: string, extra: object = {}) =>
    signedPost(`${s.url}/v1/channels/generic/messages`, {
      ...buyerMessage({ conversationId, text, buyerId: 'buyer-live' }),
      ...extra,
    });

  /** A buyer message that goes to a person; resolves once the notice reached the buyer. */
  async function handOff(s: TestService, conversationId: string, text: string, extra: object = {}) {
    await say(s, conversationId, text, extra);
    await waitFor(() => channel.to(conversationId).find((m) => m.kind === 'handoff'), 8_000, 'the notice');
  }

  beforeAll(async () => {
    channelUrl = await channel.start();
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.close();
  });
  afterAll(async () => channel.stop());

  it('pushes a new hand-off, the buyer’s messages and the claim to every agent’s stream', async () => {
    const s = await service();
    const ann = await openEvents(s.url, 'ann');
    const bo = await openEvents(s.url, 'bo');
    const conversationId = `c-${randomUUID()}`;
    await say(s, conversationId, '我要人工客服');
    const opened = await waitFor(() => bo.events.find((e) => e.type === 'handoff'));
    expect(opened.data).toMatchObject({ conversationId, state: 'waiting' });

    await say(s, conversationId, '还要等多久');
    const message = await waitFor(() => ann.events.find((e) => e.type === 'message'));
    expect(message.data).toMatchObject({ conversationId, from: 'buyer', handoffId: opened.data.handoffId });

    const claimed = await call(s, 'ann', 'POST', `/handoffs/${opened.data.handoffId}/claim`);
    expect(claimed.status).toBe(200);
    const taken = await waitFor(() =>
      bo.events.find((e) => e.type === 'handoff' && e.data.state === 'claimed'),
    );
    expect(taken.data).toMatchObject({ agent: 'ann', conversationId });
    ann.close();
    // bo's stream is still open when the service stops: stopping must not wait for it.
  });

  it('shows the buyer’s name, the message that caused the hand-off, notes, tags, earlier hand-offs, a draft and cards', async () => {
    const s = await service();
    const first = `c-${randomUUID()}`;
    await handOff(s, first, '我要人工客服');
    const one = await (await call(s, 'ann', 'POST', '/handoffs/claim')).json();
    expect((await call(s, 'ann', 'POST', `/handoffs/${one.handoff.id}/resolve`, {})).status).toBe(200);

    const second = `c-${randomUUID()}`;
    await handOff(s, second, '这件衣服质量太差了，我要投诉', { productId: 'p-1004' });
    const two = await (await call(s, 'ann', 'POST', '/handoffs/claim')).json();
    expect(two.handoff.conversationId).toBe(second);
    await say(s, second, '发什么快递');
    await waitFor(async () => {
      const d = await (await call(s, 'ann', 'GET', `/handoffs/${two.handoff.id}`)).json();
      return d.messages.length >= 3 ? d : undefined;
    });

    expect(
      (await call(s, 'ann', 'POST', `/handoffs/${two.handoff.id}/notes`, { text: '老客户，先退款' })).status,
    ).toBe(201);
    expect((await call(s, 'ann', 'POST', `/handoffs/${two.handoff.id}/notes`, { text: '  ' })).status).toBe(
      400,
    );
    const tags = await call(s, 'ann', 'PUT', `/handoffs/${two.handoff.id}/tags`, {
      tags: ['质量', 'VIP', '质量'],
    });
    expect((await tags.json()).tags).toEqual(['质量', 'VIP']);

    const detail = await (await call(s, 'ann', 'GET', `/handoffs/${two.handoff.id}`)).json();
    expect(detail.handoff).toMatchObject({ buyerName: '小王', cause: '这件衣服质量太差了，我要投诉' });
    expect(detail.handoff.buyerWaitingSince).toEqual(expect.any(String));
    expect(detail.notes).toEqual([{ agent: 'ann', text: '老客户，先退款', at: expect.any(String) }]);
    expect(detail.tags).toEqual(['质量', 'VIP']);
    expect(detail.earlier).toEqual([
      expect.objectContaining({ id: one.handoff.id, state: 'resolved', claimedBy: 'ann' }),
    ]);
    // The bot's answer to the buyer's latest question, for the agent to edit and send.
    expect(detail.draft).toMatchObject({ intent: 'shipping.courier' });
    expect(detail.draft.text).toMatch(/快递/);
    expect(detail.cards.product).toMatch(/¥/);

    // An agent's reply clears the buyer's wait.
    await call(s, 'ann', 'POST', `/handoffs/${two.handoff.id}/messages`, { text: '亲，马上为您处理' });
    const after = await (await call(s, 'ann', 'GET', `/handoffs/${two.handoff.id}`)).json();
    expect(after.handoff.buyerWaitingSince).toBeUndefined();
    expect(after.handoff.warnings).toEqual({ over100s: false, over3min: false });
  });

  it('transfers only to an agent whose desk is open, and says so when none is', async () => {
    const s = await service();
    await handOff(s, `c-${randomUUID()}`, '我要人工客服');
    const claimed = await (await call(s, 'ann', 'POST', '/handoffs/claim')).json();
    const agents = await (await call(s, 'ann', 'GET', '/agents')).json();
    expect(agents.agents).toEqual([
      { name: 'ann', online: true },
      { name: 'bo', online: false },
    ]);
    const offline = await call(s, 'ann', 'POST', `/handoffs/${claimed.handoff.id}/transfer`, { agent: 'bo' });
    expect(offline.status).toBe(409);
    expect((await offline.json()).error.code).toBe('AGENT_OFFLINE');

    await call(s, 'bo', 'POST', '/heartbeat');
    const moved = await call(s, 'ann', 'POST', `/handoffs/${claimed.handoff.id}/transfer`, { agent: 'bo' });
    expect(moved.status).toBe(200);
    expect((await moved.json()).handoff.claimedBy).toBe('bo');
  });

  it('caps the web chat’s open event streams, and stops with streams still open', async () => {
    const s = await service();
    const { conversationId } = await (
      await fetch(`${s.url}/v1/chat/conversations`, { method: 'POST' })
    ).json();
    const url = `${s.url}/v1/chat/conversations/${encodeURIComponent(conversationId)}/events`;
    const streams = await Promise.all([1, 2, 3].map(() => fetch(url)));
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200]);
    const fourth = await fetch(url);
    expect(fourth.status).toBe(429);
    expect((await fourth.json()).error.code).toBe('RATE_LIMITED');
    // One closes: there is room again.
    await streams[0]!.body!.cancel();
    await waitFor(async () => {
      const again = await fetch(url);
      if (again.status !== 200) return undefined;
      return again;
    });
    // The others stay open; afterEach stops the service, which must not wait for them.
  });
});
