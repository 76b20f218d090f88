import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminHeaders, say as sayTo, statsOn, useTestService, waitFor } from '../helpers/service.ts';

/**
 * The bot's honest figures against what happened, through the webhook on a clock the test moves:
 * answers that stood, answers undone by a hand-off, by the same question again or by a clarifying
 * question left unanswered, a hand-off too late to count against the answer, answers still open,
 * conversations the bot never answered, and a conversation across midnight in the shop's time zone.
 */
describe('bot involvement, resolution and not understood', () => {
  const start = Date.parse('2026-11-11T10:00:00+08:00');
  let nowMs = start;
  const at = (minutes: number) => {
    nowMs = start + minutes * 60_000;
  };
  const { service, channel } = useTestService(
    { WORK_HOURS: '00:00-24:00' },
    { clock: { now: () => new Date(nowMs) } },
  );
  const stats = (day: string) => statsOn(service, day);
  const say = (conversationId: string, text: string) => sayTo(service, channel, conversationId, text);
  const conversation = () => `c-${randomUUID()}`;

  it('counts what the bot answered, what stood, what was undone and why, and what is still open', async () => {
    const [stood, handedOff, again, leftUnclear, cleared, lateHandoff, open] = Array.from(
      { length: 7 },
      conversation,
    );
    const neverAnswered = conversation();
    const twoMisses = conversation();
    at(0);
    for (const c of [stood, handedOff, again, leftUnclear, cleared, lateHandoff]) await say(c!, '发什么快递');
    await say(neverAnswered, '转人工');
    at(1);
    await say(handedOff!, '转人工'); // a person after the answer: not resolved
    await say(again!, '发什么快递？？'); // the same question again: the answer did not help
    await say(leftUnclear!, '今天天气怎么样'); // a clarifying question, never answered
    await say(cleared!, '你们老板几岁了');
    await say(twoMisses, '今天天气怎么样');
    at(2);
    await say(cleared!, '几天能到'); // understood this time: the clarifying question was answered
    await say(twoMisses, '你们老板几岁了'); // the second miss in a row: a person
    at(20);
    await say(open!, '几天能到');
    at(35);
    await say(lateHandoff!, '转人工'); // 35 minutes after the answer: a new matter, the answer stood

    at(40); // open's answer is 20 minutes old: neither resolved nor undone yet
    const day = await stats('2026-11-11');
    expect(day.activeConversations).toBe(9);
    expect(day.bot).toEqual({
      answered: 7,
      resolved: 3, // stood, cleared, lateHandoff
      open: 1,
      notResolved: { handoff: 1, unhappy: 1, clarify: 1 },
      involvementRate: 0.778,
      resolutionRate: 0.5,
    });
    expect(day.autoResolutionRate).toBe(0.389);
    expect(day.notUnderstood).toEqual({ clarifyingQuestions: 3, secondMisses: 1 });
    expect(day.handoffReasons).toMatchObject({ 'human.request': 3, 'not-understood': 1 });
    expect(day.definitions.bot).toMatch(/30 minutes/);

    // The same counters for Prometheus (workers report theirs each second).
    await waitFor(
      async () => {
        const text = await (await fetch(`${service.url}/metrics`, { headers: adminHeaders() })).text();
        return [
          'xiaoer_bot_answered_conversations_total 7',
          'xiaoer_bot_not_resolved_total{sign="handoff"} 1',
          'xiaoer_bot_not_resolved_total{sign="unhappy"} 1',
          'xiaoer_bot_not_resolved_total{sign="clarify"} 2',
          'xiaoer_bot_not_resolved_undone_total{sign="clarify"} 1',
          'xiaoer_not_understood_total{kind="clarify"} 3',
          'xiaoer_not_understood_total{kind="second-miss"} 1',
        ].every((line) => text.includes(line))
          ? true
          : undefined;
      },
      8_000,
      'the bot outcome counters in /metrics',
    );

    at(60); // every answer is settled now
    expect((await stats('2026-11-11')).bot).toMatchObject({ answered: 7, resolved: 4, open: 0 });
  });

  it('asks a buyer who thanks the bot for a score once a day, and keeps it apart from the agents’', async () => {
    at(3 * 60); // 13:00 on the 11th
    const rated = conversation();
    const thankedOnly = conversation();
    await say(rated, '发什么快递');
    await say(rated, '好的谢谢');
    expect(channel.to(rated).at(-1)!.text).toMatch(/1–5/);
    await say(rated, '5');
    expect(channel.to(rated).at(-1)!.text).toMatch(/收到您的评价/);
    await say(rated, '几天能到');
    await say(rated, '谢谢亲');
    expect(channel.to(rated).at(-1)!.text).not.toMatch(/1–5/); // once a day
    await say(thankedOnly, '谢谢'); // the bot answered nothing before: nothing to rate
    expect(channel.to(thankedOnly).at(-1)!.text).not.toMatch(/1–5/);

    const { satisfaction } = await stats('2026-11-11');
    expect(satisfaction).toMatchObject({
      asked: 1,
      answered: 1,
      average: 5,
      bot: { asked: 1, answered: 1, average: 5 },
      agents: { asked: 0, answered: 0, average: null },
      byAgent: {},
    });
    await waitFor(
      async () =>
        (await (await fetch(`${service.url}/metrics`, { headers: adminHeaders() })).text()).includes(
          'xiaoer_satisfaction_score_sum{agent=":bot"} 5',
        )
          ? true
          : undefined,
      8_000,
      "the bot's score in /metrics",
    );
  });

  it("counts a hand-off after midnight against the answer's own day", async () => {
    const late = conversation();
    at(13 * 60 + 50); // 23:50 on the 11th in Shanghai
    const before = (await stats('2026-11-11')).bot;
    await say(late, '几天能到');
    at(14 * 60 + 5); // 00:05 on the 12th
    await say(late, '转人工');
    const eleventh = await stats('2026-11-11');
    expect(eleventh.bot).toMatchObject({
      answered: before.answered + 1,
      notResolved: { ...before.notResolved, handoff: before.notResolved.handoff + 1 },
    });
    const twelfth = await stats('2026-11-12');
    expect(twelfth.activeConversations).toBe(1);
    expect(twelfth.bot).toMatchObject({ answered: 0, resolved: 0, open: 0 });
    expect(twelfth.handoffs).toBe(1);
  });
});
