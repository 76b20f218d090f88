import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, launchChromium } from '../helpers/browser.ts';
import { buyerMessage, signedPost, waitFor, useTestService } from '../helpers/service.ts';

describe('the /desk page in headless Chromium', () => {
  const { service, channel } = useTestService({
    AGENT_TOKENS: 'ann:ann-token,bo:bo-token',
    WORK_HOURS: '00:00-24:00',
  });
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('lets an agent claim, reply and resolve', async () => {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '这件卫衣是什么面料', productId: 'p-1004' }),
    );
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '发货太慢了！！！我要投诉，给差评' }),
    );
    await waitFor(() => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined));

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const blocked = cspViolations(page);
    await page.goto(`${service.url}/desk`);
    await page.fill('#token', 'ann-token');
    await page.click('#login');
    await page.waitForSelector('#waiting .item');
    await page.click('#claim');
    await page.waitForSelector('#messages .msg.buyer');
    expect(await page.textContent('#messages')).toContain('我要投诉');
    expect(await page.textContent('#facts')).toContain('男款加绒连帽卫衣');

    const quick = await page.$$eval('#quick option', (options) =>
      options.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
    );
    expect(quick.some((text) => text.includes('80%棉'))).toBe(true);
    await page.fill('#reply', '亲，非常抱歉让您久等了，我马上帮您催仓库');
    await page.click('#send');
    await waitFor(
      () => channel.to(conversationId).find((m) => m.from === 'agent'),
      8_000,
      'the agent reply at the channel',
    );
    await page.waitForSelector('#messages .msg.agent');
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/desk.png' });

    await page.selectOption('#intent', 'complaint');
    await page.click('#resolve');
    await page.waitForFunction(() => document.querySelector('#title')?.textContent?.includes('resolved'));
    expect(blocked).toEqual([]); // the page's Content-Security-Policy let all it needs through
    await page.close();
  }, 60_000);

  it('lets an agent open any waiting conversation from the list and claim that one', async () => {
    const older = `c-${randomUUID()}`;
    const picked = `c-${randomUUID()}`;
    for (const [conversationId, text] of [
      [older, '转人工'],
      [picked, '我要找人工客服 问下定制的事'],
    ] as const) {
      await signedPost(`${service.url}/v1/channels/generic/messages`, buyerMessage({ conversationId, text }));
      await waitFor(() => (channel.to(conversationId).some((m) => m.kind === 'handoff') ? true : undefined));
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${service.url}/desk`);
    await page.fill('#token', 'bo-token');
    await page.click('#login');
    await page.locator('#waiting .item', { hasText: '问下定制的事' }).click();
    await page.waitForSelector('#take:not([hidden])');
    expect(await page.isDisabled('#send')).toBe(true);
    await page.click('#take');
    await page.waitForFunction(
      (id) => document.querySelector('#title')?.textContent?.includes(id + ' · claimed (bo)'),
      picked,
    );
    expect(await page.isHidden('#take')).toBe(true);
    expect(await page.isDisabled('#send')).toBe(false);
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/desk-pick.png' });
    await page.close();
  }, 60_000);
});
