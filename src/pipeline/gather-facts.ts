import type { Catalog } from '../catalog/catalog.ts';
import type { Product } from '../catalog/product-schema.ts';
import { recommendSize } from '../catalog/recommend-size.ts';
import { activePromotions } from '../answers/answer-context.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { NluResult } from '../nlu/classifier.ts';
import type { FaqMatcher } from '../nlu/faq-matcher.ts';
import { factAsked, factCase } from '../catalog/product-facts.ts';
import { factMayAnswer, faqMayAnswer, type Facts } from '../policy/decide-reply.ts';

/**
 * The item a message is about: the one the channel names, else one the text names by a link or
 * number, its category or name, else the conversation's last item, else the only item of a
 * one-item shop.
 */
export function resolveProduct(catalog: Catalog, text: string, productId: string | undefined, conversation: Conversation): { product?: Product; justGiven: boolean } {
  const named = productId ? catalog.product(productId) : undefined;
  if (named) return { product: named, justGiven: conversation.productId !== named.id };
  const mentioned = productMentioned(catalog, text);
  if (mentioned) return { product: mentioned, justGiven: conversation.productId !== mentioned.id };
  const remembered = conversation.productId ? catalog.product(conversation.productId) : undefined;
  if (remembered) return { product: remembered, justGiven: false };
  const all = catalog.products();
  return all.length === 1 ? { product: all[0]!, justGiven: false } : { justGiven: false };
}

/** A product named in full wins; else a category that only one product has ("牛仔裤"). */
function productMentioned(catalog: Catalog, text: string): Product | undefined {
  const linked = productLinked(catalog, text);
  if (linked) return linked;
  const t = text.toLowerCase();
  const says = (label: Product['name'] | undefined) => !!label && Object.values(label).some((v) => typeof v === 'string' && v.length >= 2 && t.includes(v.toLowerCase()));
  for (const field of ['name', 'category'] as const) {
    const hits = catalog.products().filter((p) => says(p[field]));
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) return undefined;
  }
  return undefined;
}

/** Parts of a link (path segments, query values) and long numbers that may be an item's id. */
const LINK = /\b(?:https?:\/\/|www\.)[^\s]{1,500}/gi;
const LINK_PART = /[A-Za-z0-9_-]{4,100}/g;
const LONG_NUMBER = /(?<![\d.])\d{6,20}(?![\d.])/g;

/** A product link or item number from the shop ("item.htm?id=612345678901") names that item. */
function productLinked(catalog: Catalog, text: string): Product | undefined {
  const candidates = new Set<string>(text.match(LONG_NUMBER) ?? []);
  for (const link of text.match(LINK) ?? []) for (const part of link.match(LINK_PART) ?? []) candidates.add(part);
  if (!candidates.size) return undefined;
  const named = itemIndex(catalog);
  for (const candidate of candidates) {
    const product = named.get(candidate);
    if (product) return product;
  }
  return undefined;
}

const indexes = new WeakMap<readonly Product[], Map<string, Product>>();
/** The shop's item numbers and product ids, built once per catalog version. */
function itemIndex(catalog: Catalog): Map<string, Product> {
  const products = catalog.products();
  let index = indexes.get(products);
  if (!index) {
    index = new Map();
    for (const product of products) for (const id of [product.id, ...product.itemIds]) if (id.length >= 4) index.set(id, product);
    indexes.set(products, index);
  }
  return index;
}

/**
 * What the shop's data says about one reading; `extra` adds the buyer's order, the shop's limits
 * and the FAQ matcher (asked only when the FAQ may answer this reading).
 */
export function gatherFacts(nlu: NluResult, product: Product | undefined, catalog: Catalog, now: Date, extra: Pick<Facts, 'order' | 'limits'> & { faq?: FaqMatcher } = {}): Facts {
  const shop = catalog.shop();
  const { heightCm, weightKg, region } = nlu.entities;
  const measured = heightCm !== undefined || weightKg !== undefined;
  const faq = extra.faq && !nlu.emotional && faqMayAnswer(nlu.intent) ? extra.faq.match(nlu.text, nlu.language, product, shop) : undefined;
  const fact = !faq && extra.faq && !nlu.emotional && factMayAnswer(nlu.intent) ? factAsked(extra.faq.concepts(nlu.text, nlu.language)) : undefined;
  const factAnswer = fact && product ? factCase(product, fact) : undefined;
  return {
    ...(faq ? { faq: { answer: faq.entry.a } } : {}),
    ...(fact ? { askedFact: { key: fact, ...(factAnswer ? { answerCase: factAnswer } : {}) } } : {}),
    ...(product ? { product } : {}),
    ...(product && measured ? { sizeAdvice: recommendSize(product, heightCm, weightKg) } : {}),
    activePromotions: activePromotions(shop.promotions, now).length,
    hasFreeShipping: shop.freeShippingOver !== undefined,
    ...(region && shop.deliveryDays[region] ? { region } : {}),
    ...(extra.order ? { order: extra.order } : {}),
    ...(extra.limits ? { limits: extra.limits } : {}),
  };
}
