import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerContext } from '../../src/answers/answer-context.ts';
import { allTemplates, INTENTS_DIR, loadIntents } from '../../src/answers/load-intents.ts';
import { renderTemplate } from '../../src/answers/render-template.ts';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { LANGUAGES } from '../../src/shared/language.ts';
import { recommendSize } from '../../src/catalog/recommend-size.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { INTENT_IDS } from '../../src/nlu/intent-ids.ts';
import type { Order } from '../../src/orders/order.ts';
import { loadCorpora } from '../../src/nlu/load-corpora.ts';

describe('intents/ and corpora/', () => {
  const book = loadIntents();
  const corpora = loadCorpora();

  it('has a spec for every intent in the corpora, and corpora for every spec, in all three languages', () => {
    for (const lang of LANGUAGES) {
      const inCorpus = new Set(corpora[lang].data.map((d) => d.intent));
      expect([...inCorpus].sort()).toEqual([...INTENT_IDS].sort());
    }
    for (const id of INTENT_IDS) expect(book.spec(id).intent).toBe(id);
  });

  it('renders every template against every sample product in zh, en and es', () => {
    const catalog = loadJsonCatalog(SAMPLE_CATALOG_FILE);
    const order: Order = {
      orderId: 'o-1',
      buyerId: 'b-1',
      conversationId: 'c-1',
      state: 'shipped',
      items: [{ productId: 'p-1001', qty: 1, price: 79 }],
      total: 79,
      notes: [],
      at: {
        created: '2026-11-20T10:00:00+08:00',
        paid: '2026-11-20T10:05:00+08:00',
        shipped: '2026-11-21T09:00:00+08:00',
      },
      invoice: {
        title: '杭州小二科技有限公司',
        taxId: '91330106MA2XXXXX1Y',
        requestedAt: '2026-11-21T09:00:00+08:00',
      },
      updatedAt: '2026-11-21T09:00:00+08:00',
    };
    for (const product of catalog.products()) {
      const model = product.model!;
      const advice = recommendSize(product, model.heightCm, model.weightKg);
      const between =
        product.sizes.length > 1
          ? {
              kind: 'between' as const,
              size: product.sizes[1]!.size,
              smaller: product.sizes[0]!.size,
              inStock: true,
            }
          : advice;
      // Every template with the richest context; the fit cases also with the advice they are used with.
      for (const [sizeAdvice, only] of [
        [between, undefined],
        [advice, /^product\.size\/fit/],
      ] as const) {
        for (const language of LANGUAGES) {
          const base = answerContext({
            catalog,
            language,
            now: new Date('2026-11-25T10:00:00+08:00'),
            facts: {
              product,
              sizeAdvice,
              activePromotions: 1,
              hasFreeShipping: true,
              region: '新疆',
              order,
              abroad: { destination: catalog.shop().destinations[0]! },
            },
            replyBy: new Date('2026-11-25T14:00:00+08:00'),
            entities: {
              heightCm: model.heightCm,
              weightKg: model.weightKg,
              size: product.sizes[0]?.size ?? 'M',
              color: '黑',
              region: '新疆',
            },
            topics: { intents: ['product.size', 'shipping.time'], labels: book.topics },
          });
          const context = {
            ...base,
            order: { ...(base.order as object), shipCutoff: '16:00' },
            wait: { minutes: 5, duration: '5 minutes', backAt: 'tomorrow at 09:00' },
          };
          for (const { where, template } of allTemplates(book).filter((t) => !only || only.test(t.where))) {
            const text = renderTemplate(template, context);
            expect(text, `${where} in ${language}`).not.toMatch(/\{\{|undefined|NaN/);
          }
        }
      }
    }
  });

  it('types no stock figure or price into a template', () => {
    for (const { where, template } of allTemplates(book)) {
      expect(template.replace(/\{\{[^}]+\}\}/g, ''), where).not.toMatch(/[¥￥$€]\s*\d|\d+\s*(元|yuan)/);
    }
  });

  it('refuses a hand-off case that has no answer to say first, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'intents-'));
    try {
      cpSync(INTENTS_DIR, dir, { recursive: true });
      const file = join(dir, 'orders.json');
      const specs = JSON.parse(readFileSync(file, 'utf8')) as { intent: string; handoffCases?: string[] }[];
      specs.find((s) => s.intent === 'order.change')!.handoffCases = ['paid-not-shipped', 'warehouse-closed'];
      writeFileSync(file, JSON.stringify(specs));
      expect(() => loadIntents(dir)).toThrow(
        /order.change hands off warehouse-closed but has no such answer/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
