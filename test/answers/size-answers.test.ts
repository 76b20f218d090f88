import { describe, expect, it } from 'vitest';
import { answerContext } from '../../src/answers/answer-context.ts';
import { composeReply } from '../../src/answers/compose-reply.ts';
import { loadIntents } from '../../src/answers/load-intents.ts';
import { catalogFrom } from '../../src/catalog/json-catalog.ts';
import { CatalogSchema } from '../../src/catalog/product-schema.ts';
import { recommendSize } from '../../src/catalog/recommend-size.ts';
import type { Language } from '../../src/shared/language.ts';

/** A children's coat sized by height alone: no weight column, no model. */
const catalog = catalogFrom(
  CatalogSchema.parse({
    shop: {
      name: { zh: '童装店', en: 'Kids shop', es: 'Tienda infantil' },
      couriers: [{ name: { zh: '中通', en: 'ZTO' }, default: true }],
      dispatchDays: 2,
      deliveryDays: { default: [2, 4] },
      returnDays: 7,
    },
    products: [
      {
        id: 'kid-1',
        name: { zh: '儿童外套', en: 'Kids coat', es: 'Abrigo infantil' },
        price: 99,
        sizes: [
          { size: '110', heightCm: [100, 110] },
          { size: '120', heightCm: [110, 120] },
          { size: '130', heightCm: [120, 130] },
        ],
        stock: { '110': 3, '120': 3, '130': 3 },
      },
    ],
  }),
);

describe('size answers on a chart of heights only', () => {
  const book = loadIntents();
  const product = catalog.products()[0]!;

  it.each([
    ['zh', '身高115cm', /120码/],
    ['en', '115 cm', /\b120\b/],
    ['es', '115 cm', /\b120\b/],
  ] as const)('name only the height the buyer gave (%s)', (language: Language, said, size) => {
    const sizeAdvice = recommendSize(product, 115, undefined);
    for (const [answerCase, asked] of [
      ['fit-no-model', undefined],
      ['asked-larger', '130'],
    ] as const) {
      const context = answerContext({
        catalog,
        language,
        now: new Date('2026-11-25T10:00:00+08:00'),
        facts: { product, sizeAdvice, activePromotions: 0, hasFreeShipping: true },
        entities: { heightCm: 115, ...(asked ? { size: asked } : {}) },
      });
      const [reply] = composeReply(
        { kind: 'answer', intent: 'product.size', answerCase },
        book,
        language,
        context,
        'seed',
      );
      expect(reply!.text).toContain(said);
      expect(reply!.text).toMatch(size);
      expect(reply!.text).not.toMatch(/—|kg/);
    }
  });
});
