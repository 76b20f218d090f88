import type { Destination, LocalizedText, Product } from '../catalog/product-schema.ts';
import type { FactKey } from '../catalog/product-facts.ts';
import { namesASize, type SizeAdvice } from '../catalog/recommend-size.ts';
import { matchColor } from '../catalog/match-color.ts';
import { skusFor, stockOf } from '../catalog/skus.ts';
import type { IntentRules } from './intent-rules.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { NluResult } from '../nlu/classifier.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import type { Order } from '../orders/order.ts';

/** What the shop's data says about this message, gathered before deciding. */
export interface Facts {
  product?: Product;
  sizeAdvice?: SizeAdvice;
  activePromotions: number;
  hasFreeShipping: boolean;
  region?: string;
  /** The order the message is about: named by the channel, else the conversation's latest. */
  order?: Order;
  /** Shop limits: what an agent may concede on price, and the order value that gets a person. */
  limits?: { discount: number; orderValue: number };
  /** The shop's own answer to this very question, from the item's or the shop's FAQ. */
  faq?: { answer: LocalizedText };
  /** A country or region beyond the mainland the buyer named, and the shop's destination there (none: not shipped to). */
  abroad?: { destination?: Destination };
  /** Asked about return shipping insurance (运费险): whether the shop gives it; undefined when it did not say. */
  insuranceAsked?: { given: boolean | undefined };
  /** Whether the shop gives return shipping insurance with every order (the returns answer says so). */
  returnInsurance?: boolean;
  /** The items the buyer's words fit when they fit several ("T恤": both T-shirts): the "which item?" list. */
  candidates?: readonly Product[];
  /** A fact about the item the buyer asks ("有弹力吗" → stretch), and its answer case when the shop gave it. */
  askedFact?: { key: FactKey; answerCase?: string };
}

export type HandoffReason =
  | 'emotional'
  | 'not-understood'
  | 'size-outside-chart'
  | 'discount-over-limit'
  | 'high-value-order'
  | 'reception'
  | IntentId;

export type Decision =
  | { kind: 'silent'; reason: 'person-has-conversation' | 'flood' | 'satisfaction' }
  | { kind: 'handoff'; reason: HandoffReason; intent: IntentId; answerCase?: string }
  | { kind: 'clarify' }
  | { kind: 'ask-product'; intent: IntentId }
  | {
      kind: 'answer';
      intent: IntentId;
      answerCase: string;
      text?: LocalizedText;
      /** Answered while the buyer waits for a person, who is still coming (the answer says so). */
      whileWaiting?: true;
    };

/** Questions the catalog's own fields answer better than any FAQ entry: size chart, stock, price. */
const STRUCTURED: readonly IntentId[] = ['product.size', 'product.stock', 'product.price'];

/**
 * What the FAQ never answers: feelings, people, pleasantries, what follows the buyer's order
 * (cancel, change, parcel, payment, dispatch date, invoice), discounts (the shop's limit decides
 * who answers) and the structured questions.
 */
const NOT_FROM_FAQ: readonly IntentId[] = [
  'complaint',
  'human.request',
  'greeting',
  'thanks',
  'order.cancel',
  'order.change',
  'order.logistics',
  'order.payment',
  'shipping.time',
  'invoice',
  'price.discount',
  ...STRUCTURED,
];

/** Readings a question about shipping to a country comes as ("do you ship to Spain?" may read as anything of these). */
const ABROAD_INTENTS: readonly IntentId[] = [
  'shipping.time',
  'shipping.courier',
  'order.logistics',
  'None',
  'product.info',
  'price.discount',
];

/** Readings a question about return shipping insurance comes as. */
const INSURANCE_INTENTS: readonly IntentId[] = [
  'return.howto',
  'shipping.courier',
  'price.discount',
  'product.info',
  'None',
];

/** Readings a fact question can hide behind: the item's material and care, its other facts, or not understood. */
const FACT_INTENTS: readonly IntentId[] = ['product.fabric', 'product.info', 'product.size', 'None'];

/** Whether the concepts a message names can change its answer (a typed fact, 运费险). */
export function conceptsMayMatter(intent: IntentId): boolean {
  return FACT_INTENTS.includes(intent) || INSURANCE_INTENTS.includes(intent);
}

/** Whether a typed fact may answer a message read as this intent. */
export function factMayAnswer(intent: IntentId): boolean {
  return FACT_INTENTS.includes(intent);
}

/** Origin and warranty are facts about the item; the rest are about its material and care. */
function factIntent(key: FactKey): IntentId {
  return key === 'origin' || key === 'warranty' ? 'product.info' : 'product.fabric';
}

/** Whether the shop's FAQ may answer a message read as this intent. */
export function faqMayAnswer(intent: IntentId): boolean {
  return !NOT_FROM_FAQ.includes(intent);
}

/** The bot's one decision for one buyer message: pure, so every rule is a unit test. */
export function decideReply(
  nlu: NluResult,
  conversation: Conversation,
  spec: IntentRules,
  facts: Facts,
): Decision {
  if (conversation.mode !== 'bot') return { kind: 'silent', reason: 'person-has-conversation' };
  if (nlu.emotional) return { kind: 'handoff', reason: 'emotional', intent: nlu.intent };
  // The shop's own answer to this very question wins over templates and "a colleague will check".
  if (facts.faq && faqMayAnswer(nlu.intent))
    return { kind: 'answer', intent: nlu.intent, answerCase: 'faq', text: facts.faq.answer };
  // Shipping abroad: the destination's days and fee, or that the shop does not ship there.
  if (facts.abroad && ABROAD_INTENTS.includes(nlu.intent)) {
    const intent = nlu.intent === 'shipping.courier' ? 'shipping.courier' : 'shipping.time';
    const { destination } = facts.abroad;
    return {
      kind: 'answer',
      intent,
      answerCase: !destination
        ? 'abroad-none'
        : destination.freeOver !== undefined
          ? 'abroad-free-over'
          : 'abroad',
    };
  }
  // 运费险: the shop's own setting, asked however it is read (courier, returns, discount…); never guessed.
  if (facts.insuranceAsked && INSURANCE_INTENTS.includes(nlu.intent)) {
    const { given } = facts.insuranceAsked;
    if (given === undefined)
      return { kind: 'handoff', reason: 'product.info', intent: 'product.info', answerCase: 'default' };
    return { kind: 'answer', intent: 'return.howto', answerCase: given ? 'insurance-yes' : 'insurance-no' };
  }
  // A fact about the item ("有弹力吗"): the shop's typed answer, or honestly a colleague checks; never a guess.
  // A size question with measurements or a size is a size question, whatever else it mentions.
  const sizing =
    nlu.intent === 'product.size' &&
    (nlu.entities.heightCm !== undefined ||
      nlu.entities.weightKg !== undefined ||
      nlu.entities.size !== undefined);
  if (facts.askedFact && factMayAnswer(nlu.intent) && !sizing) {
    const intent = factIntent(facts.askedFact.key);
    if (!facts.product) return { kind: 'ask-product', intent };
    if (facts.askedFact.answerCase) return { kind: 'answer', intent, answerCase: facts.askedFact.answerCase };
    return { kind: 'handoff', reason: 'product.info', intent: 'product.info', answerCase: 'default' };
  }
  if (nlu.intent === 'None' || spec.handling === 'clarify') {
    return conversation.notUnderstoodInARow >= 1
      ? { kind: 'handoff', reason: 'not-understood', intent: 'None' }
      : { kind: 'clarify' };
  }
  // Which item first: its FAQ and facts may answer once it is named ("帽子能拆吗" → "the down jacket").
  if (spec.needs.includes('product') && !facts.product) return { kind: 'ask-product', intent: nlu.intent };
  // A hand-off intent may say something of its own first ("a colleague will check").
  if (spec.handling === 'handoff')
    return {
      kind: 'handoff',
      reason: nlu.intent,
      intent: nlu.intent,
      ...(spec.answers.default ? { answerCase: 'default' } : {}),
    };
  const extra = extraHandoff(nlu, spec, facts);
  if (extra) return { kind: 'handoff', reason: extra, intent: nlu.intent };
  const answerCase = pickCase(nlu, facts, conversation);
  if (answerCase === 'outside-chart')
    return { kind: 'handoff', reason: 'size-outside-chart', intent: nlu.intent, answerCase };
  // Cases only a person can settle (a paid order to change at the warehouse) say their text, then hand off.
  if (spec.handoffCases.includes(answerCase))
    return { kind: 'handoff', reason: nlu.intent, intent: nlu.intent, answerCase };
  return { kind: 'answer', intent: nlu.intent, answerCase };
}

/**
 * Questions of fact the bot still answers while a buyer waits for a person (WAITING_ANSWERS, as
 * CONTRACT.md lists them): shipping, stock, size, fabric, price, and the order's state. A size
 * answer may ask for height and weight: that is the size answer, not a question for the person.
 */
const ANSWERED_WHILE_WAITING: readonly IntentId[] = [
  'shipping.time',
  'shipping.courier',
  'product.stock',
  'product.size',
  'product.fabric',
  'product.price',
  'order.logistics',
];

/**
 * A waiting buyer asking about the wait itself ("还要等多久", "is anyone there?") reads like a
 * shipping or parcel question to the classifier; it is for the person who is coming, not the bot.
 */
const ABOUT_THE_WAIT: Record<NluResult['language'], RegExp> = {
  zh: /(?:等|多久|多长时间|什么时候|啥时候).{0,6}(?:人|客服|人工|回复|回我|处理)|(?:人|客服|人工)(?:呢|在哪|在吗|来了?吗|什么时候|多久)|还没人|没有人|没人|有人吗|有人在|人呢|(?:要|还要|得)等(?:多久|多长时间|到什么时候)/,
  en: /\b(?:how long|wait(?:ing)?|still)\b.{0,30}\b(?:someone|somebody|anyone|person|human|agent|rep|representative|staff|reply|response)\b|\b(?:someone|somebody|anyone|a person|a human|an agent|a real person)\b.{0,20}\b(?:there|coming|here|reply|respond|answer)\b|\bhow long (?:do|will|must|should|have) i\b.{0,15}\bwait\b/i,
  es: /\b(?:cu[aá]nto (?:tiempo )?(?:m[aá]s )?(?:tengo que |hay que |debo )?esperar|sigo esperando|alguien|una persona|un agente|un humano|un asesor|hay alguien)\b/i,
};

/**
 * A message from a buyer waiting for a person: a routine question of fact is answered as the bot
 * would answer it; anything else (feelings, a request, the wait itself, what the bot would hand
 * off or not understand) waits for the person, with no second hand-off notice.
 */
export function decideWhileWaiting(
  nlu: NluResult,
  conversation: Conversation,
  spec: IntentRules,
  facts: Facts,
): Decision {
  if (ABOUT_THE_WAIT[nlu.language].test(nlu.text))
    return { kind: 'silent', reason: 'person-has-conversation' };
  const decision = decideReply(nlu, { ...conversation, mode: 'bot' }, spec, facts);
  return decision.kind === 'answer' && ANSWERED_WHILE_WAITING.includes(decision.intent)
    ? { ...decision, whileWaiting: true }
    : { kind: 'silent', reason: 'person-has-conversation' };
}

/** Shop practice: an agent may grant up to the limit (¥20); a bigger ask, or a big order, needs a person. */
function extraHandoff(nlu: NluResult, spec: IntentRules, facts: Facts): HandoffReason | undefined {
  if (!facts.limits) return undefined;
  if (spec.handoffIf.includes('discount-over-limit')) {
    const { discountAmount, discountPercent } = nlu.entities;
    const price = facts.product?.price ?? facts.order?.total;
    const asked =
      discountAmount ??
      (discountPercent !== undefined && price !== undefined ? (price * discountPercent) / 100 : undefined);
    if (asked !== undefined && asked > facts.limits.discount) return 'discount-over-limit';
  }
  if (
    spec.handoffIf.includes('order-over-value') &&
    facts.order &&
    facts.order.total > facts.limits.orderValue
  )
    return 'high-value-order';
  return undefined;
}

function pickCase(nlu: NluResult, facts: Facts, conversation: Conversation): string {
  const { product } = facts;
  switch (nlu.intent) {
    case 'product.size':
      return missingMeasure(nlu, product) ?? sizeCase(facts.sizeAdvice, product, nlu.entities.size);
    case 'product.fabric':
      if (!product?.fabric) return 'no-fabric-info';
      return product.care ? 'default' : 'fabric-only';
    case 'product.stock':
      return stockCase(product, nlu.entities.size, nlu.entities.color);
    case 'price.discount':
    case 'product.price':
      return facts.activePromotions > 0 ? 'default' : 'no-promotion';
    case 'shipping.courier':
      return facts.hasFreeShipping ? 'default' : 'no-free-shipping';
    case 'order.cancel':
    case 'order.logistics':
      return facts.order ? ORDER_CASE[facts.order.state] : 'default';
    case 'order.change':
      // Shop practice: unpaid, the buyer edits it; shipped, too late; paid, the warehouse (a person).
      // With no order known, the bot explains and asks what to change; what the buyer sends next goes to a person.
      if (facts.order) return ORDER_CASE[facts.order.state];
      return conversation.pending?.intent === 'order.change' ? 'details' : 'default';
    case 'shipping.time':
      if (facts.order?.state === 'paid') return 'order-paid';
      if (facts.order?.state === 'shipped') return 'order-shipped';
      return facts.region ? 'region' : 'default';
    case 'order.payment':
      return facts.order && facts.order.state !== 'created' && facts.order.state !== 'cancelled'
        ? 'already-paid'
        : 'default';
    case 'invoice':
      return invoiceCase(facts.order, nlu);
    case 'return.howto':
      return facts.returnInsurance ? 'with-insurance' : 'default';
    default:
      return 'default';
  }
}

const ORDER_AWARE: readonly IntentId[] = [
  'order.cancel',
  'order.change',
  'order.logistics',
  'shipping.time',
  'order.payment',
  'invoice',
];

/** Whether this intent's answer (or its hand-off rule) looks at the buyer's order. */
export function answerDependsOnOrder(intent: IntentId, spec: IntentRules): boolean {
  return ORDER_AWARE.includes(intent) || spec.handoffIf.includes('order-over-value');
}

/** Shop practice for cancelling (and changing): unpaid, the buyer does it; paid, the warehouse; shipped, refuse the parcel. */
const ORDER_CASE: Record<Order['state'], string> = {
  created: 'unpaid',
  paid: 'paid-not-shipped',
  shipped: 'shipped',
  cancelled: 'cancelled',
};

/** Invoices are issued after receipt is confirmed; meanwhile the bot collects the title and tax id. */
function invoiceCase(order: Order | undefined, nlu: NluResult): string {
  if (!order) return 'default';
  const title = nlu.entities.invoiceTitle ?? order.invoice?.title;
  const taxId = nlu.entities.taxId ?? order.invoice?.taxId;
  return title && (taxId || title === '个人') ? 'invoice-recorded' : 'invoice-collect';
}

/** Shop practice: a size from height and weight. With one of them and a chart of both, ask for the other. */
function missingMeasure(
  nlu: NluResult,
  product: Product | undefined,
): 'need-height' | 'need-weight' | undefined {
  const { heightCm, weightKg } = nlu.entities;
  if (!product || (heightCm === undefined) === (weightKg === undefined)) return undefined;
  const charted = (field: 'heightCm' | 'weightKg') => product.sizes.some((r) => r[field]);
  if (!charted('heightCm') || !charted('weightKg')) return undefined;
  return heightCm === undefined ? 'need-height' : 'need-weight';
}

/** The size answers that tell the buyer which size fits (the ones sizeCase gives for a fitting advice). */
export const SIZE_TOLD: readonly string[] = [
  'fit',
  'fit-no-model',
  'between',
  'fit-sold-out',
  'asked-larger',
  'asked-smaller',
  'asked-sold-out',
];

/**
 * The answer for a size advice; `asked`, a size the buyer named ("那L呢"), is weighed against it:
 * larger or smaller than the one that fits. A chart without the model's measurements leaves them out.
 */
function sizeCase(
  advice: SizeAdvice | undefined,
  product: Product | undefined,
  asked: string | undefined,
): string {
  if (!advice) return 'need-measurements';
  if (!namesASize(advice)) return advice.kind;
  if (!advice.inStock) return 'fit-sold-out';
  const fitting = advice.kind === 'between' ? [advice.smaller, advice.size] : [advice.size];
  const rows = product?.sizes.map((r) => r.size) ?? [];
  if (asked && !fitting.includes(asked) && rows.includes(asked)) {
    // Sold out is what matters then (it may be the size that fits, when the one shown is the
    // in-stock fallback of recommend-size.ts).
    if ((product?.stock[asked] ?? 0) === 0) return 'asked-sold-out';
    return rows.indexOf(asked) > rows.indexOf(advice.size) ? 'asked-larger' : 'asked-smaller';
  }
  if (advice.kind === 'between') return 'between';
  return product?.model ? 'fit' : 'fit-no-model';
}

function stockCase(
  product: Product | undefined,
  size: string | undefined,
  color: string | undefined,
): string {
  if (!product) return 'default';
  const inStock = product.sizes.filter((s) => (product.stock[s.size] ?? 0) > 0);
  if (product.sizes.length > 0 && inStock.length === 0) return 'all-sold-out';
  if (color && product.skus.some((sku) => sku.color)) {
    // Stock per colour and size: "黑色M码还有吗" is one SKU, "有黑色吗" all the black ones.
    const ofColor = skusFor(product, color);
    if (ofColor.length === 0) return 'color-unavailable';
    if (size) return stockOf(skusFor(product, color, size)) > 0 ? 'sku-in-stock' : 'sku-sold-out';
    return stockOf(ofColor) > 0 ? 'color-available' : 'color-sold-out';
  }
  // Without stock per colour: a colour the item does not come in is the answer, whatever the size.
  const known = color ? matchColor(product, color) : undefined;
  if (color && !known && (!size || product.colors.length > 0)) return 'color-unavailable';
  if (color && !size) return 'color-available';
  if (size && (product.sizes.some((s) => s.size === size) || product.stock[size] !== undefined))
    return (product.stock[size] ?? 0) > 0 ? 'size-in-stock' : 'size-sold-out';
  return 'default';
}
