import type { Catalog } from '../catalog/catalog.ts';
import type { Product } from '../catalog/product-schema.ts';
import type { Language } from '../shared/language.ts';
import { INTENT_IDS } from '../nlu/intent-ids.ts';
import type { Order } from '../orders/order.ts';
import { answerContext } from '../answers/answer-context.ts';
import { activePromotions } from '../catalog/promotions.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { renderTemplate, TemplateError } from '../answers/render-template.ts';

/** The bot's own answers, filled in for this buyer's product and order: one click for an agent. */
export function quickReplies(
  book: IntentBook,
  catalog: Catalog,
  input: { language: Language; product?: Product; order?: Order; now: Date; timeZone: string },
): { intent: string; text: string }[] {
  const shop = catalog.shop();
  const facts = {
    ...(input.product ? { product: input.product } : {}),
    ...(input.order ? { order: input.order } : {}),
    activePromotions: activePromotions(shop.promotions, input.now).length,
    hasFreeShipping: shop.freeShippingOver !== undefined,
  };
  const context = answerContext({
    catalog,
    language: input.language,
    facts,
    entities: {},
    now: input.now,
    timeZone: input.timeZone,
  });
  const out: { intent: string; text: string }[] = [];
  for (const intent of INTENT_IDS) {
    const spec = book.spec(intent);
    const texts = spec.handling === 'answer' ? spec.answers.default : undefined;
    if (!texts) continue;
    try {
      out.push({ intent, text: renderTemplate(texts[input.language][0]!, context) });
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err; // a template that needs a product this chat has none of
    }
  }
  return out;
}

const ORDER_STATE: Record<Order['state'], Record<Language, string>> = {
  created: { zh: '待付款', en: 'waiting for payment', es: 'pendiente de pago' },
  paid: { zh: '已付款，待发货', en: 'paid, not shipped yet', es: 'pagado, pendiente de envío' },
  shipped: { zh: '已发货', en: 'shipped', es: 'enviado' },
  cancelled: { zh: '已取消', en: 'cancelled', es: 'cancelado' },
};

/**
 * The cards an agent can send with one click, in the buyer's language: the item (name, price,
 * what is in stock) and the order's state. Plain text, so every channel shows them.
 */
export function deskCards(
  catalog: Catalog,
  input: { language: Language; product?: Product; order?: Order },
): { product?: string; order?: string } {
  const { language: lang, product, order } = input;
  const currency = catalog.shop().currency;
  const cards: { product?: string; order?: string } = {};
  if (product) {
    const name = product.name[lang] ?? product.name.zh;
    const sizes = product.sizes.filter((s) => (product.stock[s.size] ?? 0) > 0).map((s) => s.size);
    const inStock = sizes.length
      ? {
          zh: `有货尺码：${sizes.join('、')}`,
          en: `In stock: ${sizes.join(', ')}`,
          es: `Tallas disponibles: ${sizes.join(', ')}`,
        }[lang]
      : undefined;
    cards.product = [
      lang === 'zh' ? `【${name}】${currency}${product.price}` : `${name} — ${currency}${product.price}`,
      inStock,
    ]
      .filter(Boolean)
      .join('\n');
  }
  if (order) {
    const state = ORDER_STATE[order.state][lang];
    cards.order = {
      zh: `订单 ${order.orderId}：${state}，共 ${currency}${order.total}`,
      en: `Order ${order.orderId}: ${state}, ${currency}${order.total} in total`,
      es: `Pedido ${order.orderId}: ${state}, ${currency}${order.total} en total`,
    }[lang];
  }
  return cards;
}
