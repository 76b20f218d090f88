import { namesASize } from '../catalog/recommend-size.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { matchColor } from '../catalog/match-color.ts';
import type { LocalizedText, Product, Sku } from '../catalog/product-schema.ts';
import type { Language } from '../shared/language.ts';
import { priceFor, skusFor, stockOf } from '../catalog/skus.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import type { Entities } from '../nlu/extract-entities.ts';
import type { Facts } from '../policy/decide-reply.ts';
import type { TemplateContext } from './render-template.ts';
import type { Topics } from './load-intents.ts';
import { dateFormat, localDate } from '../shared/zoned-time.ts';
import { activePromotions } from '../catalog/promotions.ts';

const LIST_SEPARATOR: Record<Language, string> = { zh: '、', en: ', ', es: ', ' };
const RANGE = (r: readonly [number, number]) => (r[0] === r[1] ? String(r[0]) : `${r[0]}–${r[1]}`);

/** A missing language falls back to zh, as the contract says. */
export function localize(text: LocalizedText | undefined, language: Language): string | undefined {
  return text ? (text[language] ?? text.zh) : undefined;
}

export interface ContextInput {
  catalog: Catalog;
  language: Language;
  /** The shop's time zone, for dates shown to the buyer. */
  timeZone?: string;
  /** When the shop promises to come back on a task (a warehouse stop). */
  replyBy?: Date;
  /** For a hand-off notice: the expected wait, or when people are back. */
  wait?: { minutes?: number; backAt?: Date };
  facts: Facts;
  entities: Entities;
  now: Date;
  topics?: { intents: readonly IntentId[]; labels: Topics };
}

/** Everything a template may name, read from the catalog at answer time. */
export function answerContext(input: ContextInput): TemplateContext {
  const { catalog, language, facts, entities, now } = input;
  const shop = catalog.shop();
  const sep = LIST_SEPARATOR[language];
  const defaultCourier = shop.couriers.find((c) => c.default) ?? shop.couriers[0]!;
  const promotions = activePromotions(shop.promotions, now).map((p) => localize(p.text, language)!);
  const context: Record<string, string | number | TemplateContext | undefined> = {
    shop: {
      name: localize(shop.name, language)!,
      currency: shop.currency,
      dispatchDays: shop.dispatchDays,
      deliveryDays: RANGE(shop.deliveryDays.default!),
      couriers: shop.couriers
        .map((c) => localize(c.name, language) + (c.surcharge ? ` (+${c.surcharge})` : ''))
        .join(sep),
      defaultCourier: localize(defaultCourier.name, language)!,
      returnDays: shop.returnDays,
      promotions: promotions.join(sep) || undefined,
      freeShippingOver: shop.freeShippingOver,
      productList: productList(facts.candidates ?? catalog.products(), language),
    },
  };
  // The price of what the buyer named: a SKU's own when its colour and size name one.
  if (facts.product)
    context.product = productContext(
      facts.product,
      language,
      priceFor(facts.product, entities.color, entities.size),
    );
  const advice = facts.sizeAdvice;
  const fits = namesASize(advice) ? advice : undefined;
  if (fits || entities.heightCm !== undefined || entities.weightKg !== undefined) {
    context.fit = {
      size: fits?.size,
      smaller: fits?.kind === 'between' ? fits.smaller : undefined,
      asked: entities.size,
      heightCm: entities.heightCm ?? '—',
      weightKg: entities.weightKg ?? '—',
      measures: measuresSaid(entities.heightCm, entities.weightKg, language),
    };
  }
  if (entities.size || entities.color) {
    const product = facts.product;
    const color = entities.color && product ? matchColor(product, entities.color) : undefined;
    const bySku = product && product.skus.some((sku) => sku.color) && product.skus.some((sku) => sku.size);
    const inStock = (skus: readonly Sku[]) => skus.filter((sku) => sku.stock > 0);
    context.stock = {
      size: entities.size,
      count: entities.size
        ? bySku && entities.color
          ? stockOf(skusFor(product, entities.color, entities.size))
          : (product?.stock[entities.size] ?? 0)
        : undefined,
      color: color ? localize(color, language) : entities.color,
      // With SKUs: the sizes left in that colour, the colours left in that size.
      sizes:
        bySku && entities.color
          ? unique(inStock(skusFor(product, entities.color)).map((sku) => sku.size)).join(sep) || '—'
          : product
            ? inStockSizes(product).join(sep) || '—'
            : undefined,
      colors:
        bySku && entities.size
          ? unique(
              inStock(skusFor(product, undefined, entities.size)).map((sku) => localize(sku.color, language)),
            ).join(sep) || '—'
          : product
            ? product.colors.map((c) => localize(c, language)).join(sep) || '—'
            : undefined,
    };
  }
  if (facts.region) {
    const days = shop.deliveryDays[facts.region] ?? shop.deliveryDays.default!;
    context.region = { name: facts.region, days: RANGE(days) };
  }
  if (facts.abroad) {
    const d = facts.abroad.destination;
    const list = shop.destinations.map((x) => localize(x.name, language)).join(sep) || '—';
    context.destination = d
      ? {
          name: localize(d.name, language)!,
          days: RANGE(d.days),
          fee: d.fee,
          freeOver: d.freeOver ?? '—',
          list,
        }
      : { list };
  }
  if (facts.order) context.order = orderContext(input, shop.dispatchDays, shop.deliveryDays.default!);
  if (input.wait) context.wait = waitContext(input.wait, language, now, input.timeZone ?? 'Asia/Shanghai');
  if (input.topics) {
    const labels = input.topics.intents.map((id) => input.topics!.labels[id]?.[language]).filter(Boolean);
    context.topics = labels.join(language === 'zh' ? '、' : language === 'en' ? ' or ' : ' o ');
  }
  return context;
}

const DATE_LOCALE: Record<Language, string> = { zh: 'zh-CN', en: 'en-GB', es: 'es-ES' };
const DAY_MS = 24 * 3600_000;

const DATE_FORMATS = {
  day: { month: 'short', day: 'numeric' },
  weekday: { weekday: 'long' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  dayTime: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

function formatDate(
  kind: keyof typeof DATE_FORMATS,
  instant: Date,
  language: Language,
  timeZone: string,
): string {
  return dateFormat(kind, DATE_LOCALE[language], timeZone, DATE_FORMATS[kind]).format(instant);
}

/** `{{wait.*}}`: the expected wait and when people are back, as a notice says them. */
export function waitContext(
  wait: { minutes?: number; backAt?: Date },
  language: Language,
  now: Date,
  timeZone: string,
): TemplateContext {
  return {
    minutes: wait.minutes,
    duration: wait.minutes !== undefined ? minutesPhrase(wait.minutes, language) : undefined,
    backAt: wait.backAt ? whenBack(wait.backAt, now, language, timeZone) : undefined,
  };
}

/** "3 minutes", "1 minute", "1 minuto", "3分钟": a count of minutes as a sentence says it. */
function minutesPhrase(minutes: number, language: Language): string {
  if (language === 'zh') return `${minutes}分钟`;
  if (language === 'en') return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${minutes} minuto${minutes === 1 ? '' : 's'}`;
}

/**
 * When people are back, as the notice says it: "明天 09:00", "tomorrow at 09:00", "el lunes a las
 * 09:00". The templates put it where a time phrase goes ("… when we're back {{wait.backAt}}").
 */
function whenBack(at: Date, now: Date, language: Language, timeZone: string): string {
  const days = Math.round(
    (Date.parse(localDate(at, timeZone)) - Date.parse(localDate(now, timeZone))) / DAY_MS,
  );
  const time = formatDate('time', at, language, timeZone);
  const weekday = formatDate('weekday', at, language, timeZone);
  switch (language) {
    case 'zh':
      return `${days <= 0 ? '今天' : days === 1 ? '明天' : weekday} ${time}`;
    case 'en':
      return `${days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `on ${weekday}`} at ${time}`;
    case 'es':
      return `${days <= 0 ? 'hoy' : days === 1 ? 'mañana' : `el ${weekday}`} a las ${time}`;
  }
}

/** Dates the buyer can hold us to: ship-by from payment, arrival window from dispatch. */
function orderContext(
  input: ContextInput,
  dispatchDays: number,
  deliveryDays: readonly [number, number],
): TemplateContext {
  const order = input.facts.order!;
  const tz = input.timeZone ?? 'Asia/Shanghai';
  const lang = input.language;
  const paid = order.at.paid ? new Date(order.at.paid) : undefined;
  const shipped = order.at.shipped ? new Date(order.at.shipped) : undefined;
  const days = input.facts.region
    ? (input.catalog.shop().deliveryDays[input.facts.region] ?? deliveryDays)
    : deliveryDays;
  return {
    id: order.orderId,
    shipBy: paid ? formatDate('day', new Date(paid.getTime() + dispatchDays * DAY_MS), lang, tz) : undefined,
    shippedOn: shipped ? formatDate('day', shipped, lang, tz) : undefined,
    arriveFrom: shipped
      ? formatDate('day', new Date(shipped.getTime() + days[0] * DAY_MS), lang, tz)
      : undefined,
    arriveTo: shipped
      ? formatDate('day', new Date(shipped.getTime() + days[1] * DAY_MS), lang, tz)
      : undefined,
    replyBy: input.replyBy ? formatDate('dayTime', input.replyBy, lang, tz) : undefined,
    invoiceTitle: input.entities.invoiceTitle ?? order.invoice?.title,
    taxId: input.entities.taxId ?? order.invoice?.taxId ?? '—',
  };
}

/** "Which item?": the items the buyer's words fit, else the shop's, up to ten. */
const LISTED = 10;
function productList(products: readonly Product[], language: Language): string {
  const names = products.slice(0, LISTED).map((p) => localize(p.name, language));
  return names.join(LIST_SEPARATOR[language]) + (products.length > LISTED ? '…' : '');
}

const unique = <T>(items: readonly (T | undefined)[]): T[] => [
  ...new Set(items.filter((x): x is T => x !== undefined)),
];

function inStockSizes(product: Product): string[] {
  // No size chart (an imported shop): the sizes its SKUs have in stock.
  if (product.sizes.length === 0)
    return unique(product.skus.filter((sku) => sku.stock > 0).map((sku) => sku.size));
  return product.sizes.filter((s) => (product.stock[s.size] ?? 0) > 0).map((s) => s.size);
}

function productContext(product: Product, language: Language, price: number): TemplateContext {
  const sep = LIST_SEPARATOR[language];
  const inStock = inStockSizes(product);
  const soldOut = product.sizes.filter((s) => (product.stock[s.size] ?? 0) === 0).map((s) => s.size);
  return {
    id: product.id,
    name: localize(product.name, language)!,
    price,
    fabric: localize(product.fabric, language),
    care: localize(product.care, language) ?? '—',
    origin: localize(product.facts.origin, language) ?? '—',
    warranty: localize(product.facts.warranty, language) ?? '—',
    colors: product.colors.map((c) => localize(c, language)).join(sep) || '—',
    inStockColors:
      (product.skus.length > 0
        ? unique(product.skus.filter((k) => k.stock > 0).map((k) => localize(k.color, language)))
        : product.colors.map((c) => localize(c, language))
      ).join(sep) || '—',
    sizes: product.sizes.map((s) => s.size).join(sep) || '—',
    inStockSizes: inStock.join(sep) || '—',
    soldOutSizes: soldOut.join(sep) || '—',
    modelHeightCm: product.model?.heightCm ?? '—',
    modelWeightKg: product.model?.weightKg ?? '—',
    modelSize: product.model?.size ?? '—',
  };
}

/** "身高165cm、体重50kg", "165 cm and 50 kg": only what the buyer gave (a chart may use one of them). */
function measuresSaid(
  heightCm: number | undefined,
  weightKg: number | undefined,
  language: Language,
): string {
  const [height, weight, and] =
    language === 'zh'
      ? [`身高${heightCm}cm`, `体重${weightKg}kg`, '、']
      : [`${heightCm} cm`, `${weightKg} kg`, language === 'en' ? ' and ' : ' y '];
  return [heightCm !== undefined ? height : '', weightKg !== undefined ? weight : '']
    .filter(Boolean)
    .join(and);
}
