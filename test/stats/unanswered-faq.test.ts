import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENT_IDS } from '../../src/nlu/intent-ids.ts';
import { cspViolations, openWithToken, useChromium } from '../helpers/browser.ts';
import {
  ADMIN,
  adminHeaders,
  buyerMessage,
  signedPost,
  waitFor,
  useTestService,
} from '../helpers/service.ts';

/** The loop that teaches the bot: what it could not answer, answered from the dashboard, answered next time. */
describe('an unanswered question becomes an FAQ entry from the dashboard', () => {
  const { service, channel } = useTestService({ WORK_HOURS: '00:00-24:00' });
  const browser = useChromium();
  const QUESTION = '这件卫衣口袋有拉链吗';
  const ANSWER = '有的亲，两侧口袋都是隐形拉链，手机钥匙放着不会掉。';

  async function ask(text: string) {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text, productId: 'p-1004' }),
    );
    return (await waitFor(() => channel.to(conversationId)[0], 8_000, 'the answer'))!;
  }

  it('refuses an entry it cannot take, saying why', async () => {
    const post = (body: unknown, headers = adminHeaders()) =>
      fetch(`${service.url}/v1/admin/faq`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post({ question: 'x', language: 'zh', answer: {} })).status).toBe(400);
    expect(
      (await post({ question: 'x', language: 'zh', answer: { zh: 'y' }, productId: 'nope' })).status,
    ).toBe(404);
    expect(
      (
        await post(
          { question: 'x', language: 'zh', answer: { zh: 'y' } },
          { 'content-type': 'application/json' },
        )
      ).status,
    ).toBe(401);
    // The shop's rules hold for FAQ answers too: no phone number reaches a buyer this way.
    const phone = await post({ question: 'x', language: 'zh', answer: { zh: '加我微信 13812345678 细聊' } });
    expect(phone.status).toBe(400);
  });

  it('lists the question, takes the answer on the page, and the next buyer gets it', async () => {
    const first = await ask(QUESTION);
    expect(first.text).not.toContain(ANSWER); // "a colleague will check"

    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const blocked = cspViolations(page);
    await openWithToken(page, `${service.url}/dashboard`, ADMIN);
    const card = page.locator('#unanswered .question', { hasText: QUESTION });
    await card.waitFor();
    expect(await card.textContent()).toContain('no fact in the catalog');
    await card.locator('summary', { hasText: 'Add the answer' }).click();
    await card.locator('select[name=product]').selectOption('p-1004');
    await card.locator('textarea[name=zh]').fill(ANSWER);
    await card.locator('form.faq button').click();
    await card.locator('form.faq .done').waitFor();
    // And labelled with what it meant, for the corpus review.
    await card.locator('summary', { hasText: 'Label what it meant' }).click();
    await card.locator('select[name=intent]').selectOption('product.info');
    await card.locator('form.label button').click();
    await card.locator('form.label .done').waitFor();
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/dashboard-unanswered.png' });
    expect(blocked).toEqual([]);
    await page.close();

    const dir = mkdtempSync(join(tmpdir(), 'labels-'));
    const run = spawnSync('npm', ['run', '-s', 'export-labels'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        KEY_PREFIX: service.prefix,
        REDIS_URL: 'redis://127.0.0.1:6379',
        LABELS_DIR: dir,
      },
    });
    expect(run.status).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8'));
    expect(written.zh.data).toContainEqual(
      expect.objectContaining({ intent: 'product.info', utterances: [QUESTION] }),
    );

    // In effect within seconds, in every instance: the next buyer who asks gets the shop's answer.
    await waitFor(
      async () => ((await ask(QUESTION)).text.includes(ANSWER) ? true : undefined),
      15_000,
      'the new answer',
    );
  }, 60_000);

  it('keeps both of two answers added at the same moment', async () => {
    const add = (question: string, zh: string) =>
      fetch(`${service.url}/v1/admin/faq`, {
        method: 'POST',
        headers: adminHeaders(),
        body: JSON.stringify({ productId: 'p-1004', question, language: 'zh', answer: { zh } }),
      });
    const added = await Promise.all([
      add('这件卫衣帽子里面有绒吗', '帽子里面也是同款加绒，很暖和。'),
      add('这件卫衣下摆是罗纹收口吗', '下摆是罗纹收口，不漏风。'),
    ]);
    expect(added.map((r) => r.status)).toEqual([201, 201]);
    await waitFor(
      async () => ((await ask('这件卫衣帽子里面有绒吗')).text.includes('同款加绒') ? true : undefined),
      15_000,
      'the first answer',
    );
    await waitFor(
      async () => ((await ask('这件卫衣下摆是罗纹收口吗')).text.includes('罗纹收口') ? true : undefined),
      15_000,
      'the second answer',
    );
  }, 60_000);

  it('offers every intent of the contract to label with', () => {
    const page = readFileSync('web/dashboard.js', 'utf8');
    for (const intent of INTENT_IDS) expect(page).toContain(`'${intent}'`);
  });

  it('refuses a label that is not an intent', async () => {
    const res = await fetch(`${service.url}/v1/admin/labels`, {
      method: 'POST',
      headers: adminHeaders(),
      body: JSON.stringify({ text: '在吗', intent: 'chitchat', language: 'zh' }),
    });
    expect(res.status).toBe(400);
  });
});
