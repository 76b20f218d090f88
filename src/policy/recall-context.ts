import type { Conversation } from '../conversations/conversation.ts';
import type { NluResult } from '../nlu/classifier.ts';
import { measuresOf, type Entities } from '../nlu/extract-entities.ts';
import type { IntentId } from '../nlu/intent-ids.ts';

/** "那L呢", "黑色呢", "and in black?", "y en azul?": a short message that only swaps one detail. */
const FOLLOW_UP = [
  /^(那|那么|那个|还有)?.{0,10}(呢|怎么样|咋样|行吗|可以吗)[?？。!！]*$/u,
  /^(and|what about|how about|in)\b.{0,30}$/i,
  /^(y|y en|y si|y el|y la|qu[eé] tal|en)\b.{0,30}$/i,
];

/** Intents whose answer changes with a size, colour, region or product, so a follow-up can reuse them. */
const FOLLOWABLE: readonly IntentId[] = [
  'product.size',
  'product.fabric',
  'product.stock',
  'product.price',
  'shipping.time',
  'shipping.courier',
  'price.discount',
];

/** Topics whose answer is per size and colour: their own follow-ups. */
const TAKES_A_SIZE: readonly IntentId[] = ['product.size', 'product.stock', 'product.price'];

function detailOf(entities: Entities): boolean {
  return (
    entities.size !== undefined ||
    entities.color !== undefined ||
    entities.region !== undefined ||
    entities.heightCm !== undefined ||
    entities.weightKg !== undefined
  );
}

/**
 * Reads a message in the light of what came before: "165 110斤" after "how tall are you?" is
 * still a size question, with the measurements given earlier kept; "黑色呢" after "有白色吗"
 * asks the same about black.
 */
export function recallContext(
  nlu: NluResult,
  conversation: Conversation,
  productJustGiven: boolean,
): NluResult {
  if (nlu.emotional) return nlu;
  const pending = conversation.pending;
  if (pending) {
    const entities = { ...pendingEntities(pending), ...nlu.entities };
    // What to change, after we asked: anything but a thanks, a hello or a clear new question.
    if (
      pending.intent === 'order.change' &&
      !['thanks', 'greeting'].includes(nlu.intent) &&
      (nlu.entities.orderId !== undefined || vague(nlu, 'order.change'))
    ) {
      return { ...nlu, intent: 'order.change', entities };
    }
    const answersOurQuestion =
      (pending.intent === 'product.size' && measured(nlu.entities)) ||
      (pending.intent === 'invoice' &&
        (nlu.entities.invoiceTitle !== undefined || nlu.entities.taxId !== undefined)) ||
      productJustGiven;
    // Naming the item answers "which item?": the question asked before is the one to answer now.
    if (answersOurQuestion && vague(nlu, pending.intent))
      return {
        ...nlu,
        intent: pending.intent,
        entities,
        ...(productJustGiven && pending.question ? { text: pending.question } : {}),
      };
    if (nlu.intent === pending.intent) return { ...nlu, entities };
  }
  // A size told beside another answer is still a topic: "那L呢" and "黑色呢" ask about it, unless
  // the other answer was one a size or colour changes too ("多少钱" then "那L呢" asks the price).
  const last =
    sizeJustTold(conversation) &&
    (nlu.entities.size || nlu.entities.color) &&
    !TAKES_A_SIZE.includes(conversation.lastIntent ?? 'None')
      ? 'product.size'
      : conversation.lastIntent;
  // The follow-up's form wins over its own classification: "and in black?" is not a new topic.
  if (
    last &&
    FOLLOWABLE.includes(last) &&
    isFollowUp(nlu.text) &&
    (detailOf(nlu.entities) || productJustGiven)
  ) {
    // "黑色呢" after a size answer asks whether that colour is there in the size that fits, not
    // for the measurements again.
    const colourOnly = nlu.entities.color !== undefined && !nlu.entities.size && !measured(nlu.entities);
    if (last === 'product.size' && colourOnly) {
      // Not for an item just shown: the size that fits was another item's.
      const fits = productJustGiven ? undefined : conversation.measurements?.fits;
      return {
        ...nlu,
        intent: 'product.stock',
        entities: { ...nlu.entities, ...(fits ? { size: fits } : {}) },
      };
    }
    return withMeasurements({ ...nlu, intent: last }, conversation);
  }
  return withMeasurements(nlu, conversation);
}

function measured(entities: Entities): boolean {
  return entities.heightCm !== undefined || entities.weightKg !== undefined;
}

/**
 * "那L呢", "L码可以吗" right after a size answer: the size they name is weighed against the
 * measurements they gave. Later, or naming no size, a size question is asked afresh (it may be
 * for someone else).
 */
function withMeasurements(nlu: NluResult, conversation: Conversation): NluResult {
  const known = conversation.measurements;
  const justAfter = conversation.lastIntent === 'product.size' || sizeJustTold(conversation);
  if (!justAfter || nlu.intent !== 'product.size') return nlu;
  if (!nlu.entities.size || measured(nlu.entities) || !known) return nlu;
  return { ...nlu, entities: { ...measuresOf(known), ...nlu.entities } };
}

/**
 * The bot's last message told the buyer a size (perhaps beside another answer): the size is still
 * known (a person's resolve forgets it) and was told at the conversation's last turn.
 */
function sizeJustTold({ measurements, updatedAt }: Conversation): boolean {
  return measurements?.fits !== undefined && measurements.at === updatedAt;
}

export function isFollowUp(text: string): boolean {
  const t = text.trim();
  return t.length <= 40 && FOLLOW_UP.some((p) => p.test(t));
}

function vague(nlu: NluResult, expected: IntentId): boolean {
  // A reply that only carries invoice details reads as anything; what we asked for decides.
  if (expected === 'invoice' && (nlu.entities.invoiceTitle || nlu.entities.taxId)) return true;
  return (
    nlu.intent === 'None' ||
    nlu.intent === 'greeting' ||
    nlu.intent === 'thanks' ||
    nlu.intent === expected ||
    nlu.confidence < 0.6
  );
}

function pendingEntities(pending: NonNullable<Conversation['pending']>): Entities {
  const { size, region } = pending;
  return {
    ...measuresOf(pending),
    ...(size !== undefined ? { size } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}
