import { localDate, localSecondsOfDay } from '../../src/shared/zoned-time.ts';
import { estimateStaffing } from '../../src/stats/estimate-staffing.ts';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cspViolations, openWithToken, useChromium } from '../helpers/browser.ts';
import { ADMIN, buyerMessage, signedPost, waitFor, useTestService } from '../helpers/service.ts';

describe('the /dashboard page in headless Chromium, and /metrics', () => {
  // The page shows the shop's today: near its midnight the service lives an hour behind, so the
  // messages sent and the page loaded fall on the same day.
  const nearMidnight = localSecondsOfDay(new Date(), 'Asia/Shanghai') > 23 * 3600;
  const behindMs = nearMidnight ? 3_600_000 : 0;
  const serviceNow = () => new Date(Date.now() - behindMs);
  const { service, channel } = useTestService({}, { clock: { now: serviceNow } });
  const browser = useChromium();

  it('shows the figures, charts and the definitions of involvement and resolution', async () => {
    const conversations = ['在吗', '发什么快递', '我要人工客服'].map((text) => ({
      text,
      conversationId: `c-${randomUUID()}`,
    }));
    for (const c of conversations)
      await signedPost(`${service.url}/v1/channels/generic/messages`, buyerMessage(c));
    await waitFor(() => (conversations.every((c) => channel.to(c.conversationId).length) ? true : undefined));
    // An agent takes the hand-off, answers and resolves it: the Agents table has a row.
    const agent = (path: string, body: unknown = {}) =>
      fetch(`${service.url}/v1/desk${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const { handoff } = await (await agent('/handoffs/claim')).json();
    await agent(`/handoffs/${handoff.id}/messages`, { text: '亲，我来帮您' });
    await agent(`/handoffs/${handoff.id}/resolve`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const blocked = cspViolations(page);
    await openWithToken(page, `${service.url}/dashboard`, ADMIN);
    await page.waitForSelector('.tile');
    const tiles = await page.textContent('#tiles');
    // One of three conversations answered by the bot (a hello answered is not an answer), less
    // than 30 minutes ago: open, not yet resolved.
    expect(tiles).toContain('33.3 %');
    expect(tiles).toContain('bot involvement: answered 1 of 3');
    expect(tiles).toContain('bot resolution: 0 resolved of 0 settled; 1 still open');
    // Today's 24 hours of the shop's time zone, with their axis, holding the three messages.
    expect(await page.$$('#hourly rect.messages')).toHaveLength(24);
    // The hand-off of this hour, drawn inside its bar.
    const handed = await page.$$eval('#hourly rect.handoffs title', (ts) =>
      ts.map((t) => t.textContent ?? ''),
    );
    expect(handed).toHaveLength(1);
    expect(handed[0]).toMatch(/— 1 hand-offs$/);
    // The agent answered within seconds: the first band of the waits.
    expect(await page.textContent('#waits')).toMatch(/under 30 s\s*1/);
    expect(await page.textContent('#hourly')).toContain('hour (Asia/Shanghai)');
    const titles = await page.$$eval('#hourly rect.messages title', (ts) =>
      ts.map((t) => t.textContent ?? ''),
    );
    const today = localDate(serviceNow(), 'Asia/Shanghai');
    expect(titles.every((t) => t.startsWith(`${today} `) && t.includes(':00 (Asia/Shanghai) — '))).toBe(true);
    expect(titles.reduce((sum, t) => sum + Number(t.split('— ')[1]), 0)).toBe(3);
    expect(await page.textContent('#reasons')).toContain('human.request');
    expect(await page.textContent('#definitions')).toMatch(/involvement × resolution/);
    expect(await page.textContent('#channels')).toContain('generic');
    // Big-sale planning from the measured share: the page asks, the API computes as npm run staffing does.
    await page.click('#staffing button');
    await page.waitForFunction(() =>
      /Day shift/.test(document.querySelector('#staffing-result')?.textContent ?? ''),
    );
    expect(await page.textContent('#staffing-result')).toMatch(
      /16000 consultations expected.*Day shift \(9 h\): \d+ agents · night shift \(5 h\): \d+ agents/,
    );
    const stats = await (
      await fetch(`${service.url}/v1/stats`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json();
    const staffing = await (
      await fetch(`${service.url}/v1/admin/staffing?uv=200000&consultRate=0.08`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).json();
    expect(staffing).toMatchObject(
      estimateStaffing({
        uv: 200_000,
        consultRate: 0.08,
        autoResolutionRate: stats.autoResolutionRate,
        perAgentPerDay: 300,
        dayShare: 0.7,
        dayShiftHours: 9,
        nightShiftHours: 5,
      }),
    );
    expect(
      (
        await fetch(`${service.url}/v1/admin/staffing?uv=-1&consultRate=2`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        })
      ).status,
    ).toBe(400);
    await page.waitForSelector('#agents td');
    expect(await page.textContent('#agents')).toMatch(/ann\s*1/);
    expect(await page.textContent('#glance')).toBe(`Today at a glance (${today})`);

    // A range of days: yesterday is empty, so the range holds today's three messages alone.
    const yesterday = localDate(new Date(serviceNow().getTime() - 86_400_000), 'Asia/Shanghai');
    await page.fill('#from', yesterday);
    await page.fill('#to', today);
    await page.click('#load');
    await page.waitForFunction(() => document.querySelector('#glance')?.textContent?.includes('–'));
    expect(await page.textContent('#glance')).toBe(`At a glance: ${yesterday} – ${today}`);
    const rangeTitles = await page.$$eval('#hourly rect.messages title', (ts) =>
      ts.map((t) => t.textContent ?? ''),
    );
    expect(rangeTitles.reduce((sum, t) => sum + Number(t.split('— ')[1]), 0)).toBe(3);
    await page.fill('#from', today);
    await page.fill('#to', yesterday);
    await page.click('#load');
    await page.waitForFunction(() => document.querySelector('#error')?.textContent !== '');
    expect(await page.textContent('#error')).toMatch(/from before to/);
    await page.fill('#from', '');
    await page.fill('#to', '');
    await page.click('#load');
    await page.waitForFunction(() => document.querySelector('#glance')?.textContent?.startsWith('Today'));
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/dashboard.png', fullPage: true });
    expect(blocked).toEqual([]); // the page's Content-Security-Policy let all it needs through
    await page.close();
  }, 60_000);

  it('exports Prometheus metrics', async () => {
    expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
    const text = await (
      await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(text).toMatch(/xiaoer_messages_accepted_total\{channel="generic"\} 3/);
    expect(text).toMatch(/xiaoer_handoffs_total\{reason="human.request"\} 1/);
    expect(text).toMatch(/xiaoer_queue_jobs\{queue="inbound",state="failed"\} 0/);
    expect(text).toMatch(/xiaoer_process_resident_memory_bytes/);
  });
});
