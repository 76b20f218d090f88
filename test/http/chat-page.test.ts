import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

describe('the /chat page in headless Chromium', () => {
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startTestService({ CHAT_RATE_PER_MINUTE: '3' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function send(page: Page, text: string): Promise<void> {
    await page.fill('#text', text);
    await page.click('#send');
  }

  it('talks to a buyer in their language, and says so in it when they send too fast', async () => {
    // The limit counts in fixed one-minute windows: all four sends must fall in one.
    const intoMinute = (Date.now() % 60_000) / 1000;
    if (intoMinute > 40) await new Promise((r) => setTimeout(r, (60 - intoMinute) * 1000 + 100));
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 480, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${service.url}/chat`);
    expect(await page.getAttribute('#text', 'placeholder')).toBe('有什么可以帮您？');
    await page.waitForSelector('#product option[value="p-1001"]', { state: 'attached' });
    await page.selectOption('#product', 'p-1001');

    await send(page, '这件是什么面料');
    await page.waitForSelector('#log .msg.bot:not(.welcome)');
    expect(await page.textContent('#log .msg.bot:not(.welcome)')).toContain('100%棉');
    await page.waitForTimeout(2_500); // the page polls once a second: none of that counts as sending

    await send(page, '有黑色吗');
    await page.waitForFunction(() => (document.querySelector('#text') as HTMLInputElement).value === '');
    await send(page, '发什么快递');
    await page.waitForFunction(() => document.querySelector('#error')?.textContent !== '');
    expect(await page.textContent('#error')).toBe('您发得有点快，请稍等片刻再发。');
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/chat.png' });
    await context.close();
  }, 60_000);

  it('speaks the browser’s language before the buyer writes', async () => {
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(`${service.url}/chat`);
    await page.waitForSelector('#product option[value="p-1001"]', { state: 'attached' });
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.textContent('#send')).toBe('Enviar');
    expect(await page.textContent('#product option[value="p-1001"]')).toContain('Camiseta');
    await context.close();
  }, 30_000);
});

describe('the /chat page through a hand-off, pushed', () => {
  let service: TestService;
  let browser: Browser;
  const desk = (path: string, body: unknown = {}) =>
    fetch(`${service.url}/v1/desk${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer ann-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    service = await startTestService({ WORK_HOURS: '00:00-24:00' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('welcomes the buyer, keeps the product, shows the agent by name and asks how satisfied they were', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 480, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${service.url}/chat?product=p-1001`);
    await page.waitForSelector('#product-card:not([hidden])');
    expect(await page.textContent('#log .welcome')).toContain('欢迎光临');
    await page.reload();
    await page.goto(`${service.url}/chat`);
    // Chosen once, kept across reloads.
    await page.waitForSelector('#product-card:not([hidden])');
    expect(await page.inputValue('#product')).toBe('p-1001');

    await page.fill('#text', '我要人工客服');
    await page.click('#send');
    await page.waitForSelector('#log .msg.bot:not(.welcome)');
    expect(await page.textContent('#log .msg.bot:not(.welcome)')).toMatch(/人工客服/);
    // A time on every message.
    expect(await page.textContent('#log .msg.buyer .who')).toMatch(/\d{2}:\d{2}/);

    const claimed = await (await desk('/handoffs/claim')).json();
    expect(
      (
        await desk(`/handoffs/${claimed.handoff.id}/messages`, {
          text: '亲，我是客服小安，请问有什么可以帮您？',
        })
      ).status,
    ).toBe(202);
    // Pushed: well before the page's 30-second safety refresh.
    await page.waitForSelector('#log .msg.agent', { timeout: 5_000 });
    expect(await page.textContent('#log .msg.agent .who')).toContain('客服 ann');

    await desk(`/handoffs/${claimed.handoff.id}/resolve`);
    await page.waitForFunction(
      () => /1–5/.test(document.querySelector('#log')?.textContent ?? ''),
      undefined,
      {
        timeout: 5_000,
      },
    );
    await page.fill('#text', '5');
    await page.click('#send');
    await page.waitForFunction(
      () => /收到您的评价/.test(document.querySelector('#log')?.textContent ?? ''),
      undefined,
      {
        timeout: 5_000,
      },
    );
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/chat-handoff.png' });
    const stats = await (
      await fetch(`${service.url}/v1/stats`, { headers: { authorization: 'Bearer test-admin-token' } })
    ).json();
    expect(stats.satisfaction).toMatchObject({ asked: 1, answered: 1, average: 5 });
    await context.close();
  }, 60_000);
});
