import { describe, expect, it } from 'vitest';
import { ProductSchema, type Product } from '../../src/catalog/product-schema.ts';
import type { SizeAdvice } from '../../src/catalog/recommend-size.ts';
import { IntentSpecSchema, type IntentSpec } from '../../src/answers/load-intents.ts';
import { newConversation, type Conversation } from '../../src/conversations/conversation.ts';
import type { NluResult } from '../../src/nlu/classifier.ts';
import type { IntentId } from '../../src/nlu/intent-ids.ts';
import { decideReply, type Facts } from '../../src/policy/decide-reply.ts';

const NOW = new Date('2025-06-01T08:00:00.000Z');
const TEXT = { zh: ['答'], en: ['answer'], es: ['respuesta'] };

function nlu(intent: IntentId, extra: Partial<NluResult> = {}): NluResult {
  return {
    text: '…',
    language: 'zh',
    intent,
    confidence: 0.9,
    emotional: false,
    emotionScore: 0,
    entities: {},
    alternatives: [],
    ...extra,
  };
}

function spec(
  intent: IntentId,
  handling: IntentSpec['handling'] = 'answer',
  needs: 'product'[] = [],
): IntentSpec {
  return IntentSpecSchema.parse({
    intent,
    handling,
    needs,
    answers: handling === 'answer' ? { default: TEXT } : {},
  });
}

function conversation(extra: Partial<Conversation> = {}): Conversation {
  return { ...newConversation('c1', 'b1', 'generic', NOW), ...extra };
}

function product(extra: Record<string, unknown> = {}): Product {
  return ProductSchema.parse({
    id: 'tee-1',
    name: { zh: '纯棉T恤' },
    price: 99,
    sizes: [
      { size: 'M', heightCm: [160, 170] },
      { size: 'L', heightCm: [170, 180] },
    ],
    stock: { M: 3, L: 0 },
    ...extra,
  });
}

function facts(extra: Partial<Facts> = {}): Facts {
  return { activePromotions: 0, hasFreeShipping: true, ...extra };
}

const sizeSpec = spec('product.size', 'answer', ['product']);

describe('decideReply: who answers', () => {
  it('stays silent while the conversation waits for a person', () => {
    expect(
      decideReply(nlu('greeting'), conversation({ mode: 'waiting' }), spec('greeting'), facts()),
    ).toEqual({ kind: 'silent', reason: 'person-has-conversation' });
  });

  it('stays silent while a person has the conversation', () => {
    expect(
      decideReply(
        nlu('product.size'),
        conversation({ mode: 'agent' }),
        sizeSpec,
        facts({ product: product() }),
      ),
    ).toEqual({ kind: 'silent', reason: 'person-has-conversation' });
  });

  it('hands off an emotional message whatever the intent', () => {
    const angry = { emotional: true, emotionScore: 0.8 };
    expect(decideReply(nlu('greeting', angry), conversation(), spec('greeting'), facts())).toEqual({
      kind: 'handoff',
      reason: 'emotional',
      intent: 'greeting',
    });
    expect(decideReply(nlu('None', angry), conversation(), spec('None', 'clarify'), facts())).toEqual({
      kind: 'handoff',
      reason: 'emotional',
      intent: 'None',
    });
  });

  it('asks the buyer to rephrase the first time it does not understand', () => {
    expect(decideReply(nlu('None'), conversation(), spec('None', 'clarify'), facts())).toEqual({
      kind: 'clarify',
    });
  });

  it('hands off when it does not understand twice in a row', () => {
    expect(
      decideReply(nlu('None'), conversation({ notUnderstoodInARow: 1 }), spec('None', 'clarify'), facts()),
    ).toEqual({
      kind: 'handoff',
      reason: 'not-understood',
      intent: 'None',
    });
  });

  it('hands off an intent whose handling is handoff, with the intent as reason', () => {
    expect(
      decideReply(nlu('human.request'), conversation(), spec('human.request', 'handoff'), facts()),
    ).toEqual({
      kind: 'handoff',
      reason: 'human.request',
      intent: 'human.request',
    });
  });

  it('asks which item when the intent needs a product and none is known', () => {
    expect(decideReply(nlu('product.size'), conversation(), sizeSpec, facts())).toEqual({
      kind: 'ask-product',
      intent: 'product.size',
    });
  });

  it('answers an intent that needs no product with the default case', () => {
    expect(decideReply(nlu('greeting'), conversation(), spec('greeting'), facts())).toEqual({
      kind: 'answer',
      intent: 'greeting',
      answerCase: 'default',
    });
  });
});

describe('decideReply: size answers', () => {
  const model = { model: { heightCm: 165, weightKg: 50, size: 'M' } };
  const decideSize = (
    sizeAdvice: SizeAdvice | undefined,
    asked?: string,
    extra: Record<string, unknown> = model,
  ) =>
    decideReply(
      nlu('product.size', { entities: asked ? { size: asked, heightCm: 165 } : {} }),
      conversation(),
      sizeSpec,
      facts({ product: product(extra), ...(sizeAdvice ? { sizeAdvice } : {}) }),
    );

  it.each([
    ['asks for height and weight when there is no size advice yet', undefined, 'need-measurements'],
    ['answers fit when the fitting size is in stock', { kind: 'fit', size: 'M', inStock: true }, 'fit'],
    [
      'answers fit-sold-out when the fitting size is sold out',
      { kind: 'fit', size: 'L', inStock: false },
      'fit-sold-out',
    ],
    [
      'answers between when the buyer falls between two sizes and the larger is in stock',
      { kind: 'between', size: 'L', smaller: 'M', inStock: true },
      'between',
    ],
    ['answers no-chart when the product has no size chart', { kind: 'no-chart' }, 'no-chart'],
  ] as const)('%s', (_case, advice, answerCase) => {
    expect(decideSize(advice)).toEqual({ kind: 'answer', intent: 'product.size', answerCase });
  });

  it('leaves the model out of the answer when the shop gave none', () => {
    expect(decideSize({ kind: 'fit', size: 'M', inStock: true }, undefined, {})).toEqual({
      kind: 'answer',
      intent: 'product.size',
      answerCase: 'fit-no-model',
    });
  });

  const bothInStock = { ...model, stock: { M: 3, L: 2 } };
  it.each([
    ['L', { kind: 'fit', size: 'M', inStock: true }, 'asked-larger', bothInStock],
    ['M', { kind: 'fit', size: 'L', inStock: true }, 'asked-smaller', bothInStock],
    ['M', { kind: 'fit', size: 'M', inStock: true }, 'fit', bothInStock],
    ['XL', { kind: 'fit', size: 'M', inStock: true }, 'fit', bothInStock],
    ['M', { kind: 'between', size: 'L', smaller: 'M', inStock: true }, 'between', bothInStock],
    ['L', { kind: 'fit', size: 'M', inStock: false }, 'fit-sold-out', bothInStock],
    // L fits by height but is sold out, so M was suggested: L is not "too big", it is gone.
    ['L', { kind: 'fit', size: 'M', inStock: true }, 'asked-sold-out', { ...model, stock: { M: 3, L: 0 } }],
  ] as const)(
    'weighs a size the buyer names (%s) against the one that fits: %s → %s',
    (asked, advice, answerCase, extra) => {
      expect(decideSize(advice, asked, extra)).toEqual({
        kind: 'answer',
        intent: 'product.size',
        answerCase,
      });
    },
  );

  it('hands off a buyer outside the size chart', () => {
    expect(decideSize({ kind: 'outside-chart' })).toEqual({
      kind: 'handoff',
      reason: 'size-outside-chart',
      intent: 'product.size',
      answerCase: 'outside-chart',
    });
  });
});

describe('decideReply: stock answers', () => {
  const stockSpec = spec('product.stock', 'answer', ['product']);
  const decideStock = (p: Product, size?: string) =>
    decideReply(
      nlu('product.stock', { entities: size ? { size } : {} }),
      conversation(),
      stockSpec,
      facts({ product: p }),
    );

  it('answers size-in-stock when the asked size has stock', () => {
    expect(decideStock(product(), 'M')).toEqual({
      kind: 'answer',
      intent: 'product.stock',
      answerCase: 'size-in-stock',
    });
  });

  it('answers size-sold-out when the asked size has none', () => {
    expect(decideStock(product(), 'L')).toEqual({
      kind: 'answer',
      intent: 'product.stock',
      answerCase: 'size-sold-out',
    });
  });

  it('answers all-sold-out when every size is gone, whatever size was asked', () => {
    const soldOut = product({ stock: { M: 0, L: 0 } });
    expect(decideStock(soldOut, 'M')).toEqual({
      kind: 'answer',
      intent: 'product.stock',
      answerCase: 'all-sold-out',
    });
    expect(decideStock(soldOut)).toEqual({
      kind: 'answer',
      intent: 'product.stock',
      answerCase: 'all-sold-out',
    });
  });

  it('answers default when no size was asked', () => {
    expect(decideStock(product())).toEqual({
      kind: 'answer',
      intent: 'product.stock',
      answerCase: 'default',
    });
  });

  it('says the item does not come in a colour it lacks, whatever size is asked with it', () => {
    const white = product({ colors: [{ zh: '白色', en: 'white', es: 'blanco' }] });
    const ask = (color: string, size?: string) =>
      decideReply(
        nlu('product.stock', { entities: { color, ...(size ? { size } : {}) } }),
        conversation(),
        stockSpec,
        facts({ product: white }),
      );
    expect(ask('黑色', 'M')).toMatchObject({ answerCase: 'color-unavailable' });
    expect(ask('黑色')).toMatchObject({ answerCase: 'color-unavailable' });
    expect(ask('白色', 'M')).toMatchObject({ answerCase: 'size-in-stock' });
    expect(ask('白色')).toMatchObject({ answerCase: 'color-available' });
  });

  it('answers default when the asked size is not in the chart', () => {
    expect(decideStock(product(), 'XXL')).toEqual({
      kind: 'answer',
      intent: 'product.stock',
      answerCase: 'default',
    });
  });
});

describe('decideReply: shop facts', () => {
  it('answers default for discounts when a promotion is active', () => {
    expect(
      decideReply(
        nlu('price.discount'),
        conversation(),
        spec('price.discount'),
        facts({ activePromotions: 1 }),
      ),
    ).toEqual({
      kind: 'answer',
      intent: 'price.discount',
      answerCase: 'default',
    });
  });

  it('answers no-promotion for discounts when none is active', () => {
    expect(
      decideReply(
        nlu('price.discount'),
        conversation(),
        spec('price.discount'),
        facts({ activePromotions: 0 }),
      ),
    ).toEqual({
      kind: 'answer',
      intent: 'price.discount',
      answerCase: 'no-promotion',
    });
  });

  it('answers the region case for delivery time when a region is known', () => {
    expect(
      decideReply(nlu('shipping.time'), conversation(), spec('shipping.time'), facts({ region: '新疆' })),
    ).toEqual({
      kind: 'answer',
      intent: 'shipping.time',
      answerCase: 'region',
    });
  });

  it('answers default for delivery time without a region', () => {
    expect(decideReply(nlu('shipping.time'), conversation(), spec('shipping.time'), facts())).toEqual({
      kind: 'answer',
      intent: 'shipping.time',
      answerCase: 'default',
    });
  });

  it('answers no-free-shipping for couriers when the shop has no free shipping', () => {
    expect(
      decideReply(
        nlu('shipping.courier'),
        conversation(),
        spec('shipping.courier'),
        facts({ hasFreeShipping: false }),
      ),
    ).toEqual({
      kind: 'answer',
      intent: 'shipping.courier',
      answerCase: 'no-free-shipping',
    });
  });

  it('answers default for couriers when the shop has free shipping', () => {
    expect(
      decideReply(
        nlu('shipping.courier'),
        conversation(),
        spec('shipping.courier'),
        facts({ hasFreeShipping: true }),
      ),
    ).toEqual({
      kind: 'answer',
      intent: 'shipping.courier',
      answerCase: 'default',
    });
  });

  it('answers no-fabric-info when the product lists no fabric', () => {
    expect(
      decideReply(
        nlu('product.fabric'),
        conversation(),
        spec('product.fabric', 'answer', ['product']),
        facts({ product: product() }),
      ),
    ).toEqual({
      kind: 'answer',
      intent: 'product.fabric',
      answerCase: 'no-fabric-info',
    });
  });

  it.each([
    ['default', { care: { zh: '冷水手洗' } }],
    ['fabric-only', {}],
  ] as const)('answers %s for fabric when the product lists it (care or none)', (answerCase, care) => {
    const cotton = product({ fabric: { zh: '100%棉' }, ...care });
    expect(
      decideReply(
        nlu('product.fabric'),
        conversation(),
        spec('product.fabric', 'answer', ['product']),
        facts({ product: cotton }),
      ),
    ).toEqual({ kind: 'answer', intent: 'product.fabric', answerCase });
  });

  it('answers 运费险 from the shop’s setting, and hands it over when the shop did not say', () => {
    const asked = (given: boolean | undefined) =>
      decideReply(
        nlu('shipping.courier'),
        conversation(),
        spec('shipping.courier'),
        facts({ insuranceAsked: { given } }),
      );
    expect(asked(true)).toEqual({ kind: 'answer', intent: 'return.howto', answerCase: 'insurance-yes' });
    expect(asked(false)).toEqual({ kind: 'answer', intent: 'return.howto', answerCase: 'insurance-no' });
    expect(asked(undefined)).toMatchObject({ kind: 'handoff', intent: 'product.info' });
  });
});
