import type { Catalog } from '../catalog/catalog.ts';
import type { Product } from '../catalog/product-schema.ts';
import { recommendSize } from '../catalog/recommend-size.ts';
import { createPhraseIndex, plainText, type PhraseIndex } from '../shared/phrase-index.ts';
import { activePromotions } from '../catalog/promotions.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import type { NluResult } from '../nlu/classifier.ts';
import type { FaqMatcher } from '../nlu/faq-matcher.ts';
import { destinationFor } from '../catalog/countries.ts';
import { factAsked, factCase } from '../catalog/product-facts.ts';
import { conceptsMayMatter, factMayAnswer, faqMayAnswer, type Facts } from '../policy/decide-reply.ts';

/**
 * The item a message is about: the one the channel names, else one the text names by a link or
 * number, its category or name, else the conversation's last item, else the only item of a
 * one-item shop.
 */
export function resolveProduct(
  catalog: Catalog,
  text: string,
  productId: string | undefined,
  conversation: Conversation,
): { product?: Product; justGiven: boolean; candidates?: readonly Product[] } {
  const named = productId ? catalog.product(productId) : undefined;
  if (named) return { product: named, justGiven: conversation.productId !== named.id };
  // A product named in full wins; else the one item the buyer's words for a kind of item name ("牛仔裤", "the hoodie").
  const linked = productLinked(catalog, text);
  const mentioned = linked ? [linked] : productsNamed(catalog, text);
  const [one] = mentioned;
  if (one && mentioned.length === 1) return { product: one, justGiven: conversation.productId !== one.id };
  const remembered = conversation.productId ? catalog.product(conversation.productId) : undefined;
  if (remembered) return { product: remembered, justGiven: false };
  const all = catalog.products();
  if (all.length === 1) return { product: all[0]!, justGiven: false };
  // The words fit several ("T恤"): those are the ones to offer when asking which.
  return { justGiven: false, ...(mentioned.length > 1 ? { candidates: mentioned } : {}) };
}

/**
 * The items a message names: by their full name, else by the words for their kind in any language
 * (category and the name's head noun, singular or plural: 卫衣, hoodie, sudadera). Several when the
 * words fit several ("T恤"), none when none.
 */
export function productsNamed(catalog: Catalog, text: string): Product[] {
  const { names, kinds } = wordIndex(catalog);
  const byName = names.all(text);
  return byName.length > 0 ? byName : kinds.all(text);
}

const ITEM_WORD_EDGE = /[a-z-]/;
const words = new WeakMap<readonly Product[], { names: PhraseIndex<Product>; kinds: PhraseIndex<Product> }>();
/** Each item's full names and its words for its kind, built once per catalog version. */
function wordIndex(catalog: Catalog) {
  const products = catalog.products();
  let index = words.get(products);
  if (!index) {
    const names = products.flatMap((p) =>
      Object.values(p.name)
        .filter((v): v is string => typeof v === 'string' && v.length >= 2)
        .map((v) => [v, p] as const),
    );
    index = {
      names: createPhraseIndex(names, ITEM_WORD_EDGE),
      kinds: createPhraseIndex(
        products.flatMap((p) => kindWords(p).map((k) => [k, p] as const)),
        ITEM_WORD_EDGE,
      ),
    };
    words.set(products, index);
  }
  return index;
}

/** 卫衣; hoodies, sweatshirts, hoodie, sweatshirt; sudaderas, sudadera: the category's parts, singular too, and the name's head noun. */
function kindWords(p: Product): string[] {
  const out = new Set<string>();
  const add = (w: string) => {
    const word = plainText(w)
      .trim()
      .replace(/[^\p{L}\p{N} -]/gu, '');
    if (word.length < 2 || (/^[a-z -]+$/.test(word) && word.length < 3)) return;
    out.add(word);
    if (!/^[a-z]/.test(word)) return;
    // Singular and plural both: blouses / blouse, jeans, pantalón / pantalones, hoodie / hoodies.
    if (word.endsWith('s')) out.add(/(?:ss|sh|ch|x|z)es$/.test(word) ? word.slice(0, -2) : word.slice(0, -1));
    else {
      out.add(`${word}s`);
      if (!/[aeiou]$/.test(word)) out.add(`${word}es`);
    }
  };
  for (const [lang, value] of Object.entries(p.category ?? {})) {
    if (typeof value !== 'string') continue;
    if (lang === 'zh') add(value);
    else for (const part of value.split(/&|,|\/|\band\b|\by\b/)) add(part.trim());
  }
  if (p.name.en) add(p.name.en.trim().split(/\s+/).at(-1)!);
  if (p.name.es) add(p.name.es.trim().split(/\s+/)[0]!);
  return [...out];
}

/** Parts of a link (path segments, query values) and long numbers that may be an item's id. */
const LINK = /\b(?:https?:\/\/|www\.)[^\s]{1,500}/gi;
const LINK_PART = /[A-Za-z0-9_-]{4,100}/g;
const LONG_NUMBER = /(?<![\d.])\d{6,20}(?![\d.])/g;

/** A product link or item number from the shop ("item.htm?id=612345678901") names that item. */
function productLinked(catalog: Catalog, text: string): Product | undefined {
  const candidates = new Set<string>(text.match(LONG_NUMBER) ?? []);
  for (const link of text.match(LINK) ?? [])
    for (const part of link.match(LINK_PART) ?? []) candidates.add(part);
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
    for (const product of products)
      for (const id of [product.id, ...product.itemIds]) if (id.length >= 4) index.set(id, product);
    indexes.set(products, index);
  }
  return index;
}

/**
 * What the shop's data says about one reading; `extra` adds the buyer's order, the shop's limits
 * and the FAQ matcher (asked only when the FAQ may answer this reading).
 */
export function gatherFacts(
  nlu: NluResult,
  product: Product | undefined,
  catalog: Catalog,
  now: Date,
  extra: Pick<Facts, 'order' | 'limits' | 'candidates'> & { faq?: FaqMatcher } = {},
): Facts {
  const shop = catalog.shop();
  const { heightCm, weightKg, region } = nlu.entities;
  const measured = heightCm !== undefined || weightKg !== undefined;
  // The question is read once (words and concepts) for the FAQ, the typed facts and 运费险.
  const asked =
    extra.faq && !nlu.emotional && (faqMayAnswer(nlu.intent) || conceptsMayMatter(nlu.intent))
      ? extra.faq.read(nlu.text, nlu.language)
      : undefined;
  const faq = asked && faqMayAnswer(nlu.intent) ? extra.faq!.match(asked, product, shop) : undefined;
  const concepts = asked && !faq && conceptsMayMatter(nlu.intent) ? extra.faq!.concepts(asked) : [];
  const fact = factMayAnswer(nlu.intent) ? factAsked(concepts) : undefined;
  const insurance = concepts.includes('return-insurance');
  const factAnswer = fact && product ? factCase(product, fact) : undefined;
  return {
    ...(!product && extra.candidates ? { candidates: extra.candidates } : {}),
    ...(faq ? { faq: { answer: faq.entry.a } } : {}),
    ...(insurance ? { insuranceAsked: { given: shop.returnShippingInsurance } } : {}),
    ...(nlu.entities.country ? { abroad: withDestination(destinationFor(shop, nlu.entities.country)) } : {}),
    ...(shop.returnShippingInsurance ? { returnInsurance: true } : {}),
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

const withDestination = <T>(destination: T | undefined) => (destination ? { destination } : {});

/**
 * Whether a question counts beside another one in a message: the bot answers it, or it asks about
 * the item ("是正品吗", "有保修吗" beside a size question): the shop's FAQ or facts answer that,
 * else a colleague checks it while the bot answers the rest. A side clause that only a person
 * handles (a complaint, "a person please") does not outweigh the message.
 */
export function countsAsAQuestion(intents: IntentBook): (reading: NluResult) => boolean {
  return (reading) => {
    const { handling } = intents.spec(reading.intent);
    return handling === 'answer' || (handling === 'handoff' && faqMayAnswer(reading.intent));
  };
}
