import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { uniquePrefix } from '../helpers/redis.ts';
import {
  adminHeaders,
  buyerMessage,
  FIXTURE_CATALOG,
  SECRET,
  signedPost,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

/** The catalog changes while two instances run: an admin's PUT, then a changed CATALOG_FILE. */
describe('a catalog changed while the service runs', () => {
  const channel = new FakeChannel(SECRET);
  const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  const file = join(dir, 'catalog.json');
  const prefix = uniquePrefix();
  let a: TestService;
  let b: TestService;
  let channelUrl: string;

  beforeAll(async () => {
    copyFileSync(FIXTURE_CATALOG, file);
    channelUrl = await channel.start();
    const env = {
      CHANNEL_SEND_URL: channelUrl,
      CATALOG_FILE: file,
      KEY_PREFIX: prefix,
      CATALOG_CHECK_MS: '200',
      WORK_HOURS: '00:00-24:00',
    };
    a = await startTestService(env);
    b = await startTestService(env);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await channel.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The price the instance answers for the T-shirt t-1. */
  async function priceFrom(s: TestService): Promise<string> {
    const conversationId = `c-${randomUUID()}`;
    await signedPost(
      `${s.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text: '这个多少钱', productId: 't-1' }),
    );
    const [reply] = await waitFor(
      () => (channel.to(conversationId).length ? channel.to(conversationId) : undefined),
      8_000,
      'the price answer',
    );
    return reply!.text;
  }
  /** The T-shirt's price in this instance's own catalog (the web chat's product list). */
  const ownPrice = async (s: TestService) =>
    (
      (await (await fetch(`${s.url}/v1/chat/products`)).json()) as {
        products: { id: string; price: number }[];
      }
    ).products.find((p) => p.id === 't-1')!.price;
  /** Both instances on this price: replies may come from either one's workers. */
  const everywhere = (price: number, what: string) =>
    waitFor(
      async () => ((await ownPrice(a)) === price && (await ownPrice(b)) === price ? true : undefined),
      5_000,
      what,
    );
  const put = (s: TestService, body: unknown) =>
    fetch(`${s.url}/v1/admin/catalog`, {
      method: 'PUT',
      headers: { ...adminHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const withPrice = (price: number) => {
    const catalog = JSON.parse(readFileSync(FIXTURE_CATALOG, 'utf8'));
    catalog.products[0].price = price;
    return catalog;
  };

  it('refuses a bad catalog with every problem and keeps the old one', async () => {
    const bad = withPrice(-5);
    delete bad.shop.couriers;
    bad.products[1].faq = [{ q: { zh: ['能送人吗'] }, a: { zh: '加微信 wxid_abc123 详聊' } }];
    const res = await put(a, bad);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['shop.couriers', 'products.0.price']),
    );
    expect(await priceFrom(b)).toMatch(/¥79/);
    // Valid, but an FAQ answer breaks the shop's rules of conduct.
    const rude = withPrice(79);
    rude.products[1].faq = [{ q: { zh: ['能送人吗'] }, a: { zh: '加微信 wxid_abc123 详聊' } }];
    const refused = await put(a, rude);
    expect(refused.status).toBe(400);
    expect(JSON.stringify((await refused.json()).error.details)).toMatch(/products\[t-2\]\.faq\[0\]\.a/);
    expect((await put(a, 'not a catalog')).status).toBe(400);
  });

  it('puts a good catalog in effect in every instance within 5 s', async () => {
    const res = await put(a, withPrice(88));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, products: 2 });
    await everywhere(88, 'the new price on both instances');
    expect(await priceFrom(b)).toMatch(/¥88/);
  });

  it('picks up a changed CATALOG_FILE in every instance, and ignores an invalid one', async () => {
    writeFileSync(file, '{ not json');
    await new Promise((r) => setTimeout(r, 600));
    expect([await ownPrice(a), await ownPrice(b)]).toEqual([88, 88]);
    writeFileSync(file, JSON.stringify(withPrice(66)));
    await everywhere(66, 'the file’s price on both instances');
    expect(await priceFrom(a)).toMatch(/¥66/);
  });

  it('starts a new instance on the catalog put over the same file, not on the file', async () => {
    expect((await put(b, withPrice(55))).status).toBe(200);
    await everywhere(55, 'the put price on both instances');
    const c = await startTestService({
      CHANNEL_SEND_URL: channelUrl,
      CATALOG_FILE: file,
      KEY_PREFIX: prefix,
      CATALOG_CHECK_MS: '200',
      WORK_HOURS: '00:00-24:00',
    });
    try {
      expect(await priceFrom(c)).toMatch(/¥55/);
    } finally {
      await c.stop();
    }
  });
});
