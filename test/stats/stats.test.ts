import { localDate } from '../../src/shared/zoned-time.ts';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { estimateStaffing } from '../../src/stats/estimate-staffing.ts';
import { adminHeaders, buyerMessage, signedPost, waitFor, useTestService } from '../helpers/service.ts';

describe('the staffing estimate', () => {
  it('divides what the bot leaves to people by about 300 per agent per day, per shift', () => {
    const e = estimateStaffing({
      uv: 200_000,
      consultRate: 0.08,
      autoResolutionRate: 0.6,
      perAgentPerDay: 300,
      dayShare: 0.7,
      dayShiftHours: 9,
      nightShiftHours: 5,
    });
    expect(e).toEqual({
      consultations: 16_000,
      byBot: 9_600,
      forPeople: 6_400,
      dayShiftAgents: 15,
      nightShiftAgents: 12,
    });
  });

  it('needs more people when the bot resolves less', () => {
    const base = {
      uv: 200_000,
      consultRate: 0.08,
      perAgentPerDay: 300,
      dayShare: 0.7,
      dayShiftHours: 9,
      nightShiftHours: 5,
    };
    expect(estimateStaffing({ ...base, autoResolutionRate: 0 }).dayShiftAgents).toBeGreaterThan(
      estimateStaffing({ ...base, autoResolutionRate: 0.6 }).dayShiftAgents,
    );
  });
});

describe('GET /v1/stats and npm run staffing on measured stats', () => {
  // The service lives 40 minutes in the past, then 5: its answers are settled (past the 30 minutes
  // in which a hand-off or an upset buyer would undo them) for it and for `npm run staffing` alike.
  let behindMs = 40 * 60_000;
  const { service, channel } = useTestService(
    { AGENT_TOKENS: 'ann:ann-token', WORK_HOURS: '00:00-24:00' },
    { clock: { now: () => new Date(Date.now() - behindMs) } },
  );

  it('counts conversations, hand-offs and their reasons, intents, response and pickup times', async () => {
    const conversations = [
      `c-${randomUUID()}`,
      `c-${randomUUID()}`,
      `c-${randomUUID()}`,
      `c-${randomUUID()}`,
    ];
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: conversations[0], text: '几天能到' }),
    );
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: conversations[1], text: '发什么快递' }),
    );
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: conversations[2], text: 'how long does delivery take?' }),
    );
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId: conversations[3], text: '我要人工客服' }),
    );
    await waitFor(() => (conversations.every((c) => channel.to(c).length > 0) ? true : undefined));
    const claim = await fetch(`${service.url}/v1/desk/handoffs/claim`, {
      method: 'POST',
      headers: { authorization: 'Bearer ann-token' },
    });
    expect(claim.status).toBe(200);
    behindMs = 5 * 60_000;
    // Yesterday and today in the shop's time zone by the service's clock, 5 minutes behind: the
    // test may straddle its midnight.
    const day = (msAgo: number) => localDate(new Date(Date.now() - behindMs - msAgo), 'Asia/Shanghai');
    const range = `from=${day(86_400_000)}&to=${day(0)}`;
    const stats = await waitFor(async () => {
      const body = await (
        await fetch(`${service.url}/v1/stats?${range}`, { headers: adminHeaders() })
      ).json();
      return body.conversations === 4 && body.agentPickupMs.n === 1 ? body : undefined;
    });
    const before = day(0);
    const today = await (await fetch(`${service.url}/v1/stats`, { headers: adminHeaders() })).json();
    expect([before, day(0)]).toContain(today.from);
    expect(today).toMatchObject({ to: today.from, timeZone: 'Asia/Shanghai' });
    for (const bad of [
      'from=2026-13-01',
      'from=2026-02-30',
      'from=2026-11-12&to=2026-11-11',
      'from=2026-01-01&to=2026-12-31',
      'to=yesterday',
    ])
      expect((await fetch(`${service.url}/v1/stats?${bad}`, { headers: adminHeaders() })).status, bad).toBe(
        400,
      );
    expect(stats).toMatchObject({
      conversations: 4,
      handoffs: 1,
      activeConversations: 4,
      // Three answered by the bot and none undone: involvement 3/4 × resolution 3/3.
      bot: {
        answered: 3,
        resolved: 3,
        open: 0,
        notResolved: { handoff: 0, unhappy: 0, clarify: 0 },
        involvementRate: 0.75,
        resolutionRate: 1,
      },
      autoResolutionRate: 0.75,
      handoffRate: 0.25,
      handoffReasons: { 'human.request': 1 },
    });
    expect(stats.intents).toMatchObject({ 'shipping.time': 2, 'shipping.courier': 1, 'human.request': 1 });
    expect(stats.messagesPerHour.reduce((a: number, h: { messages: number }) => a + h.messages, 0)).toBe(4);
    expect(stats.botResponseMs.n).toBe(4);
    expect(stats.definitions.autoResolutionRate).toMatch(/involvement × resolution/);
    expect((await fetch(`${service.url}/v1/stats`)).status).toBe(401);

    const run = spawnSync(
      'npm',
      ['run', '-s', 'staffing', '--', '--uv', '200000', '--consult-rate', '0.08'],
      {
        encoding: 'utf8',
        env: { ...process.env, KEY_PREFIX: service.prefix, REDIS_URL: 'redis://127.0.0.1:6379' },
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /answered by the bot:\s+12000 \(auto-resolution 75 %, measured over 4 conversations/,
    );
    expect(run.stdout).toMatch(/day shift 09:00–18:00:\s+10 agents/);
  });
});
