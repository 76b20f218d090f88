import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspViolations, launchChromium, openWithToken } from '../helpers/browser.ts';
import { ADMIN, startTestService, waitFor, type TestService } from '../helpers/service.ts';

/** The pages' Content-Security-Policy and nosniff: strict enough to matter, loose enough that the pages still work. */
describe("the pages' security headers, in headless Chromium", () => {
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startTestService({ AGENT_TOKENS: 'ann:ann-token' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it.each(['/chat', '/desk', '/dashboard', '/orders'])(
    'serves %s with nosniff and a policy that allows no inline code but its own, and no framing',
    async (path) => {
      const res = await fetch(`${service.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
      expect(policy).toMatch(/(^|; )default-src 'self'(;|$)/);
      expect(policy).toMatch(/(^|; )object-src 'none'(;|$)/);
      expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
    },
  );

  it('sends the API and /healthz with nosniff and a policy under which nothing loads', async () => {
    for (const path of ['/healthz', '/v1/desk/me', '/v1/no-such-route']) {
      const res = await fetch(`${service.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; frame-ancestors 'none'/,
      );
    }
  });

  it("runs each page's scripts and styles with nothing blocked", async () => {
    const page = await browser.newPage();
    const blocked = cspViolations(page);

    await page.goto(`${service.url}/chat`);
    await page.waitForSelector('#product option[value="p-1001"]', { state: 'attached' }); // its script ran and fetched the products

    await page.goto(`${service.url}/desk`);
    await page.fill('#token', 'ann-token');
    await page.click('#login');
    await page.waitForFunction(() => document.querySelector('#who')?.textContent?.includes('ann'));
    // Its one style="" attribute, allowed by its hash.
    expect(await page.$eval('header span[style]', (el) => getComputedStyle(el).flexGrow)).toBe('1');

    await openWithToken(page, `${service.url}/dashboard`, ADMIN);
    await page.waitForSelector('.tile');
    // Its <style> block applied: the header is laid out by it, not the browser's default block.
    expect(await page.$eval('body', (el) => getComputedStyle(el).margin)).not.toBe('8px');

    await page.goto(`${service.url}/orders`); // the admin token is kept from the dashboard for the session
    await page.waitForSelector('#orders td');
    expect(await page.$eval('body', (el) => getComputedStyle(el).margin)).not.toBe('8px');

    expect(blocked).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(['/chat', '/desk', '/dashboard', '/orders'])(
    'refuses to be framed by another page: %s',
    async (path) => {
      const page = await browser.newPage();
      const blocked = cspViolations(page);
      await page.setContent(`<iframe id="f" src="${service.url}${path}" width="600" height="400"></iframe>`);
      await waitFor(
        () => (blocked.some((m) => m.includes("frame-ancestors 'none'")) ? true : undefined),
        10_000,
        'Chromium refusing the frame',
      );
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(
        await frame?.evaluate(() => document.querySelector('#token, #text') !== null).catch(() => false),
      ).not.toBe(true);
      await page.close();
    },
    30_000,
  );
});
