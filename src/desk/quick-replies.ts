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
