import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cspViolations, launchChromium, useChromium } from '../helpers/browser.ts';
import { buyerMessage, signedPost, waitFor, useTestService } from '../helpers/service.ts';

describe('the /desk page in headless Chromium', () => {
  const { service, channel } = useTestService({
    AGENT_TOKENS: 'ann:ann-token,bo:bo-token',
    WORK_HOURS: '00:00-24:00',
  });
  const browser = useChromium();

  const say = (conversationId: string, text: string, extra: { productId?: string; buyerId?: string } = {}) =>
    signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text, ...extra }),
    );
  async function handOff(text: string, extra: { productId?: string; buyerId?: string } = {}) {
    const conversationId = `c-${randomUUID()}`;
    await say(conversationId, text, extra);
    await waitFor(() => channel.to(conversationId).find((m) => m.kind === 'handoff'), 8_000, 'the notice');
    return conversationId;
  }
  /** What each page's Content-Security-Policy blocked, from before it loaded. */
  const blockedOn = new Map<Page, string[]>();
  async function signIn(agent: string, options: { locale?: string; width?: number } = {}): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: options.width ?? 1280, height: 800 },
      locale: options.locale ?? 'zh-CN',
    });
    blockedOn.set(page, cspViolations(page)); // from the first byte the page loads
    await page.goto(`${service.url}/desk`);
    await page.fill('#token', `${agent}-token`);
    await page.click('#login');
    await page.waitForFunction(() => document.querySelector('#connection')?.textContent?.includes('●'));
    return page;
  }
  /** Every test starts with an empty queue: what an earlier test left waiting is taken away. */
  async function emptyQueue() {
    for (;;) {
      const res = await fetch(`${service.url}/v1/desk/handoffs/claim`, {
        method: 'POST',
        headers: { authorization: 'Bearer bo-token' },
      });
      if (res.status === 204) return;
      const { handoff } = await res.json();
      await fetch(`${service.url}/v1/desk/handoffs/${handoff.id}/resolve`, {
        method: 'POST',
        headers: { authorization: 'Bearer bo-token', 'content-type': 'application/json' },
        body: '{}',
      });
    }
  }

  it('in Chinese: the waiting buyer by name and cause, claim, assist draft, quick replies, reply, resolve', async () => {
    await emptyQueue();
    const conversationId = await handOff('发货太慢了！！！我要投诉，给差评', { productId: 'p-1004' });
    const page = await signIn('ann');
    const blocked = blockedOn.get(page)!;
    const item = page.locator('#waiting .item', { hasText: '小王' });
    await item.waitFor();
    expect(await item.textContent()).toContain('我要投诉');
    expect(await item.textContent()).toContain('情绪激动');
    expect(await page.textContent('#claim')).toBe('接待下一位');

    await page.click('#claim');
    await page.waitForSelector('#messages .msg.buyer');
    expect(await page.textContent('#title')).toContain('接待中（ann）');
    expect(await page.textContent('#facts')).toContain('男款加绒连帽卫衣');

    // The buyer asks a routine question; the desk shows the bot's answer as a draft, pushed, no reload.
    await say(conversationId, '这件卫衣是什么面料');
    await page.waitForSelector('#draft-box:not([hidden])');
    expect(await page.textContent('#draft-text')).toMatch(/棉/);
    await page.click('#use-draft');
    expect(await page.inputValue('#reply')).toMatch(/棉/);

    await page.fill('#quick-search', '棉');
    await page.locator('#quick-list button').first().waitFor();
    await page.fill('#reply', '亲，非常抱歉让您久等了，我马上帮您催仓库');
    await page.click('#send');
    await waitFor(() => channel.to(conversationId).find((m) => m.from === 'agent'), 8_000, 'the agent reply');
    await page.waitForSelector('#messages .msg.agent');

    await page.fill('#note', '老客户，已催仓库');
    await page.click('#add-note');
    await page.waitForSelector('#notes .note');
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/desk-zh-1280.png' });

    // The agent's corrected intent stays chosen through refreshes, and goes with the resolve.
    await page.selectOption('#intent', 'complaint');
    await say(conversationId, '好的');
    await page.waitForFunction(() => document.querySelectorAll('#messages .msg.buyer').length >= 3);
    expect(await page.inputValue('#intent')).toBe('complaint');
    await page.click('#resolve');
    await page.waitForFunction(() => document.querySelector('#title')?.textContent?.includes('已结束'));
    expect(blocked).toEqual([]);
    await page.close();
  }, 60_000);

  it('two agents: pushed without reload, pick by id, the race, several chats with unread counts, transfer, language switch', async () => {
    await emptyQueue();
    const ann = await signIn('ann', { locale: 'en-US' });
    const bo = await signIn('bo');
    expect(await ann.textContent('#claim')).toBe('Claim next');

    // A new hand-off reaches both desks by push (the slow refresh is 15 s away).
    const first = await handOff('transfer me to a human please', { buyerId: 'buyer-a' });
    const second = await handOff('我要找人工客服 问下定制的事', { buyerId: 'buyer-b' });
    await ann.locator('#waiting .item', { hasText: '定制' }).waitFor({ timeout: 5_000 });
    await bo.locator('#waiting .item', { hasText: '定制' }).waitFor({ timeout: 5_000 });

    // Both go for the same one at the same moment: one wins, the other is told plainly. (Buttons
    // taken first and clicked together: a pushed update may redraw a list between two clicks.)
    const takes = await Promise.all(
      [ann, bo].map((page) =>
        page.locator('#waiting .item', { hasText: '定制' }).locator('.take').elementHandle(),
      ),
    );
    await Promise.all(takes.map((take) => take!.evaluate((b) => (b as HTMLButtonElement).click())));
    const winner = await waitFor(async () => {
      const res = await fetch(`${service.url}/v1/desk/handoffs?state=claimed`, {
        headers: { authorization: 'Bearer ann-token' },
      });
      return (await res.json()).handoffs.find((h: { conversationId: string }) => h.conversationId === second)
        ?.claimedBy as string | undefined;
    });
    const [won, lost] = winner === 'ann' ? [ann, bo] : [bo, ann];
    await won.waitForSelector('#messages .msg.buyer');
    await lost.waitForFunction(() =>
      /already has this conversation|已经被其他同事接待/.test(
        document.querySelector('#alert')?.textContent ?? '',
      ),
    );

    // The winner takes the other one too: two chats at once; a message in the one not open shows unread.
    await won.locator('#waiting .item', { hasText: 'transfer me' }).locator('.take').click();
    await won.waitForFunction(() => document.querySelectorAll('#mine .item').length === 2);
    await won.locator('#mine .item.active', { hasText: 'transfer me' }).waitFor();
    await say(second, '在吗？定制要多久');
    await won.waitForSelector('#mine .badge.unread');
    expect(await won.textContent('#mine .badge.unread')).toBe('1');
    await won.locator('#mine .item', { hasText: '定制' }).click();
    await won.waitForFunction(() => !document.querySelector('#mine .badge.unread'));

    // Transfer: to the other agent, online; afterwards the other desk has it, pushed.
    await won.selectOption('#transfer-to', winner === 'ann' ? 'bo' : 'ann');
    await won.click('#transfer');
    await lost.locator('#mine .item', { hasText: '定制' }).waitFor({ timeout: 5_000 });

    // The language switch relabels the page at once and is remembered.
    await bo.selectOption('#lang', 'en');
    expect(await bo.textContent('#claim')).toBe('Claim next');
    expect(await bo.textContent('h2 [data-t="mine"]')).toBe('My chats');
    await bo.reload();
    await bo.waitForFunction(() => document.querySelector('#claim')?.textContent === 'Claim next');
    expect(channel.to(first).filter((m) => m.kind === 'handoff')).toHaveLength(1);
    await ann.close();
    await bo.close();
  }, 90_000);

  it('is usable at 400 px: lists, then the conversation, one column', async () => {
    await emptyQueue();
    await handOff('质量太差了，我要退货，给差评', { productId: 'p-1004' });
    const page = await signIn('ann', { width: 400 });
    await page.click('#claim');
    await page.waitForSelector('#messages .msg.buyer');
    const columns = await page.$eval(
      'main',
      (m) => getComputedStyle(m).gridTemplateColumns.split(' ').length,
    );
    expect(columns).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'reports/desk-zh-400.png', fullPage: true });
    await page.close();
  }, 60_000);
});

describe('the /desk page with one agent', () => {
  const alone = useTestService({
    AGENT_TOKENS: 'solo:solo-token,away:away-token',
    WORK_HOURS: '00:00-24:00',
  });

  it('tells an agent alone at the desk that there is nobody to transfer to', async () => {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${alone.service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '我要人工客服' }),
    );
    await waitFor(() => alone.channel.to(conversationId).find((m) => m.kind === 'handoff'));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      await page.goto(`${alone.service.url}/desk`);
      await page.fill('#token', 'solo-token');
      await page.click('#login');
      await page.click('#claim');
      await page.waitForSelector('#messages .msg.buyer');
      await page.waitForFunction(
        () => document.querySelector('#transfer-to')?.textContent === '没有其他在线同事',
      );
      expect(await page.isDisabled('#transfer')).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
