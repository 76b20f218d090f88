import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toLocal } from '../../src/shared/zoned-time.ts';
import { FakeChannel } from '../helpers/fake-channel.ts';
import {
  adminHeaders,
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
  agentHeaders,
} from '../helpers/service.ts';

const auth = agentHeaders;

/** The buyer between hand-off and resolve, and after it: answers while waiting, silence once claimed, satisfaction. */
describe('the buyer waiting for a person, and after', () => {
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
  const post = (s: TestService, agent: string, path: string, body: unknown = {}) =>
    fetch(`${s.url}/v1/desk${path}`, { method: 'POST', headers: auth(agent), body: JSON.stringify(body) });
  const say = (s: TestService, conversationId: string, text: string) =>
    signedPost(`${s.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text }));
  const bot = (conversationId: string) => channel.to(conversationId).filter((m) => m.from === 'bot');
  /** Waits for the bot's message number `n` (0-based) to this buyer. */
  const botMessage = (conversationId: string, n: number) =>
    waitFor(() => bot(conversationId)[n], 8_000, `bot message ${n}`);

  /**
   * Waits until the service has read `count` buyer messages of this conversation (they are in its
   * history): only then does "the bot sent nothing" mean it chose silence, not that it was slow.
   */
  async function handled(s: TestService, conversationId: string, count: number) {
    await waitFor(
      async () => {
        const res = await fetch(`${s.url}/v1/admin/conversations/${encodeURIComponent(conversationId)}`, {
          headers: adminHeaders(),
        });
        if (!res.ok) return undefined;
        const { messages } = (await res.json()) as { messages: { from: string }[] };
        return messages.filter((m) => m.from === 'buyer').length >= count ? true : undefined;
      },
      8_000,
      `${count} buyer messages read`,
    );
    await sleep(200); // and its answer, had there been one, on its way to the channel
  }

  async function handOff(s: TestService, text: string) {
    const conversationId = `c-${randomUUID()}`;
    await say(s, conversationId, text);
    await botMessage(conversationId, 0);
    return conversationId;
  }

  beforeAll(async () => {
    channelUrl = await channel.start();
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.close();
  });
  afterAll(async () => channel.stop());

  it('answers routine questions while nobody has claimed the buyer, saying a person is coming; silent once claimed', async () => {
    const s = await service();
    const conversationId = await handOff(s, '我要人工客服');
    expect(bot(conversationId)[0]!.kind).toBe('handoff');

    await say(s, conversationId, '发什么快递');
    const answer = await botMessage(conversationId, 1);
    expect(answer.kind).toBe('answer');
    expect(answer.text).toMatch(/快递/);
    expect(answer.text).toMatch(/人工客服还在为您安排中/);

    // Not a question of fact: the person will take it; no second hand-off notice.
    await say(s, conversationId, '怎么退货');
    await say(s, conversationId, '你们到底有没有人管，太气人了！！');
    // Questions about the wait itself read like shipping questions: they wait for the person too.
    await say(s, conversationId, '还要等多久');
    await say(s, conversationId, '怎么还没人');
    await handled(s, conversationId, 6);
    expect(bot(conversationId)).toHaveLength(2);
    expect(bot(conversationId).filter((m) => m.kind === 'handoff')).toHaveLength(1);

    const claimed = await post(s, 'ann', '/handoffs/claim');
    expect(claimed.status).toBe(200);
    expect((await claimed.json()).handoff.conversationId).toBe(conversationId);
    await say(s, conversationId, '发什么快递');
    await handled(s, conversationId, 7);
    expect(bot(conversationId)).toHaveLength(2);
  });

  it('keeps quiet while waiting when the shop turns waiting answers off', async () => {
    const s = await service({ WAITING_ANSWERS: 'off' });
    const conversationId = await handOff(s, '我要人工客服');
    await say(s, conversationId, '发什么快递');
    await handled(s, conversationId, 2);
    expect(bot(conversationId)).toHaveLength(1);
  });

  it('says when people are back when it answers a waiting buyer outside working hours', async () => {
    const later = (toLocal(new Date(), 'Asia/Shanghai').hour + 2) % 24;
    const hh = String(later).padStart(2, '0');
    const s = await service({ WORK_HOURS: `${hh}:00-${hh}:30` });
    const conversationId = await handOff(s, 'can I talk to a person please');
    expect(bot(conversationId)[0]!.text).toMatch(
      new RegExp(`when we're back (today|tomorrow) at ${hh}:00\\.`),
    );

    await say(s, conversationId, 'is anyone there? how long do I have to wait');
    await handled(s, conversationId, 2);
    expect(bot(conversationId)).toHaveLength(1);
    await say(s, conversationId, 'which courier do you use?');
    const answer = await botMessage(conversationId, 1);
    expect(answer.kind).toBe('answer');
    expect(answer.text).toMatch(new RegExp(`Our team is back (today|tomorrow) at ${hh}:00`));
  });

  it('asks how satisfied the buyer was after a resolve, in their language, and records the score', async () => {
    const s = await service();
    const cases = [
      { ask: '我要人工客服', agent: 'ann', question: /1–5/, score: '满意', thanks: /收到您的评价/ },
      {
        ask: 'I want to talk to a human',
        agent: 'bo',
        question: /from 1 to 5/,
        score: '2',
        thanks: /sorry we didn't do better/,
      },
      {
        ask: 'quiero hablar con una persona por favor',
        agent: 'ann',
        question: /del 1 al 5/,
        score: 'muy bien, gracias',
        thanks: /Gracias por tu valoración/,
      },
    ];
    for (const c of cases) {
      const conversationId = await handOff(s, c.ask);
      const claimed = await (await post(s, c.agent, '/handoffs/claim')).json();
      expect(claimed.handoff.conversationId).toBe(conversationId);
      await post(s, c.agent, `/handoffs/${claimed.handoff.id}/messages`, { text: 'OK' });
      expect((await post(s, c.agent, `/handoffs/${claimed.handoff.id}/resolve`)).status).toBe(200);
      const question = await botMessage(conversationId, 1);
      expect(question.text).toMatch(c.question);

      await say(s, conversationId, c.score);
      expect((await botMessage(conversationId, 2)).text).toMatch(c.thanks);
      // Asked once: a later "5" is a message like any other, not a second score.
      await say(s, conversationId, '5');
      await botMessage(conversationId, 3);
      expect(bot(conversationId)[3]!.text).not.toMatch(c.thanks);
    }

    const stats = await (await fetch(`${s.url}/v1/stats`, { headers: adminHeaders() })).json();
    expect(stats.satisfaction).toMatchObject({ asked: 3, answered: 3, average: 3.67 });
    expect(stats.satisfaction.byAgent).toEqual({
      ann: { asked: 2, answered: 2, average: 4.5 },
      bo: { asked: 1, answered: 1, average: 2 },
    });
    // The same outcome counters for Prometheus (workers report theirs each second).
    await waitFor(
      async () => {
        const text = await (await fetch(`${s.url}/metrics`, { headers: adminHeaders() })).text();
        return text.includes('xiaoer_satisfaction_answers_total{agent="ann"} 2') &&
          text.includes('xiaoer_satisfaction_score_sum{agent="ann"} 9') &&
          text.includes('xiaoer_satisfaction_asked_total{agent="bo"} 1')
          ? true
          : undefined;
      },
      8_000,
      'the satisfaction counters in /metrics',
    );
  });

  it('answers a question sent instead of a score as usual, and asks nothing when the shop turns it off, or when no person spoke', async () => {
    const s = await service();
    const conversationId = await handOff(s, '我要人工客服');
    const claimed = await (await post(s, 'ann', '/handoffs/claim')).json();
    await post(s, 'ann', `/handoffs/${claimed.handoff.id}/messages`, { text: '好的' });
    await post(s, 'ann', `/handoffs/${claimed.handoff.id}/resolve`);
    await botMessage(conversationId, 1);
    await say(s, conversationId, '一般几天能到');
    const answer = await botMessage(conversationId, 2);
    expect(answer.text).not.toMatch(/评价/);
    expect(answer.text).toMatch(/天/);
    const stats = await (await fetch(`${s.url}/v1/stats`, { headers: adminHeaders() })).json();
    expect(stats.satisfaction).toMatchObject({ asked: 1, answered: 0, average: null });

    const off = await service({ SATISFACTION: 'off' });
    const quiet = await handOff(off, '我要人工客服');
    const taken = await (await post(off, 'ann', '/handoffs/claim')).json();
    await post(off, 'ann', `/handoffs/${taken.handoff.id}/messages`, { text: '好的' });
    await post(off, 'ann', `/handoffs/${taken.handoff.id}/resolve`);
    // The buyer's next message is read as a message: no question was asked to answer.
    await say(off, quiet, '5');
    await handled(off, quiet, 2);
    expect(bot(quiet).some((m) => /1–5/.test(m.text))).toBe(false);
    // Nor after thanking the bot for its answer.
    const thanking = `c-${randomUUID()}`;
    await say(off, thanking, '发什么快递');
    await botMessage(thanking, 0);
    await say(off, thanking, '好的谢谢');
    expect((await botMessage(thanking, 1)).text).not.toMatch(/1–5/);

    // Claimed and resolved with no word from a person: nobody to rate.
    const silent = await handOff(s, '我要人工客服');
    const unanswered = await (await post(s, 'ann', '/handoffs/claim')).json();
    await post(s, 'ann', `/handoffs/${unanswered.handoff.id}/resolve`);
    await say(s, silent, '在吗');
    await handled(s, silent, 2);
    expect(bot(silent).some((m) => /1–5/.test(m.text))).toBe(false);
  });
});
