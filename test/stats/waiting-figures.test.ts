import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  adminHeaders,
  buyerMessage,
  signedPost,
  statsOn,
  useTestService,
  waitFor,
} from '../helpers/service.ts';

/**
 * The waiting figures against what happened, on a clock the test moves: a buyer who waits past
 * 100 s and 3 min across midnight in the shop's time zone, one answered in time, buyers still
 * waiting now, and the time to a person's first answer.
 */
describe('waiting figures, counted when the time passes', () => {
  let nowMs = Date.parse('2026-11-11T23:58:00+08:00');
  const at = (seconds: number) => {
    nowMs = Date.parse('2026-11-11T23:58:00+08:00') + seconds * 1000;
  };
  const { service, channel } = useTestService(
    { WORK_HOURS: '00:00-24:00', DESK_SWEEP_MS: '200', AGENT_TOKENS: 'ann:ann-token' },
    { clock: { now: () => new Date(nowMs) } },
  );
  const stats = (day?: string) => statsOn(service, day);
  const desk = (path: string, body: unknown = {}) =>
    fetch(`${service.url}/v1/desk${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  async function handOff(text: string) {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(`${service.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text }));
    await waitFor(() => channel.to(conversationId).find((m) => m.kind === 'handoff'), 8_000, 'the notice');
    return conversationId;
  }

  it('counts the 100 s and 3 min lines as they pass, on their own day, and who is waiting now', async () => {
    at(0);
    const late = await handOff('我要人工客服');
    expect((await stats()).waitingNow).toMatchObject({ buyers: 1, over100s: 0, over3min: 0 });

    at(101); // 23:59:41: the 100 s line was crossed at 23:59:40, on the 11th
    const crossed = await waitFor(
      async () => {
        const s = await stats('2026-11-11');
        return s.agentReplyBreaches.over100s === 1 ? s : undefined;
      },
      8_000,
      'the 100 s line counted by the sweep',
    );
    expect(crossed.agentReplyBreaches.over3min).toBe(0);
    expect((await stats()).waitingNow).toMatchObject({
      buyers: 1,
      over100s: 1,
      over3min: 0,
      longestSeconds: 101,
    });

    at(181); // 00:01:01 on the 12th: the 3 min line, crossed at 00:01:00
    const next = await waitFor(
      async () => {
        const s = await stats('2026-11-12');
        return s.agentReplyBreaches.over3min === 1 ? s : undefined;
      },
      8_000,
      'the 3 min line counted by the sweep',
    );
    expect(next.agentReplyBreaches.over100s).toBe(0);
    expect((await stats('2026-11-11')).agentReplyBreaches).toEqual({ over100s: 1, over3min: 0 });

    // An agent takes and answers the late buyer; a second buyer is answered within 50 s.
    at(200);
    const claimed = await (await desk('/handoffs/claim')).json();
    expect(claimed.handoff.conversationId).toBe(late);
    await desk(`/handoffs/${claimed.handoff.id}/messages`, { text: '亲，久等了' });
    const quick = await handOff('转人工');
    at(250);
    const second = await (await desk('/handoffs/claim')).json();
    expect(second.handoff.conversationId).toBe(quick);
    at(260); // opened at 200 s (the clock when it came in), answered 60 s later
    await desk(`/handoffs/${second.handoff.id}/messages`, { text: '在的亲' });

    at(400); // later (within the agents' leases): the answered ones never count again
    await new Promise((r) => setTimeout(r, 600));
    const day = await stats('2026-11-12');
    expect(day.agentReplyBreaches).toEqual({ over100s: 0, over3min: 1 });
    expect(day.agentFirstReplyMs).toMatchObject({ n: 2 });
    expect([day.agentFirstReplyMs.p50, day.agentFirstReplyMs.p95].sort()).toContain(200_000);
    expect((await stats()).waitingNow).toMatchObject({ buyers: 0, over100s: 0, over3min: 0 });
    // Per agent: ann answered both (after 200 s and 60 s) and resolves the first, 200 s after taking it.
    expect((await desk(`/handoffs/${claimed.handoff.id}/resolve`)).status).toBe(200);
    expect((await stats('2026-11-12')).agents).toEqual({
      ann: { handled: 1, handlingMsAverage: 200_000, firstAnswers: 2, firstAnswerMsAverage: 130_000 },
    });
    await waitFor(
      async () => {
        const text = await (await fetch(`${service.url}/metrics`, { headers: adminHeaders() })).text();
        return text.includes('xiaoer_wait_breaches_total{line="100s"} 1') &&
          text.includes('xiaoer_wait_breaches_total{line="3min"} 1')
          ? true
          : undefined;
      },
      8_000,
      'the waiting lines in /metrics',
    );
  }, 60_000);
});
