import type { Conversation } from '../conversations/conversation.ts';
import type { NluResult } from '../nlu/classifier.ts';
import { measuresOf } from '../nlu/extract-entities.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import { SIZE_TOLD, type Decision } from './decide-reply.ts';

/**
 * The conversation after the bot acted on one message: what it now waits for, and who has it.
 * `fits`: the size a size answer said fits, if it said one.
 */
export function nextConversation(
  conversation: Conversation,
  decision: Decision,
  nlu: NluResult,
  productId: string | undefined,
  now: Date,
  fits?: string,
): Conversation {
  const moved = { language: nlu.language, updatedAt: now.toISOString(), ...(productId ? { productId } : {}) };
  if (decision.kind === 'silent') return { ...conversation, ...moved };
  // The old pending question is left out rather than deleted: a delete turns the object into a slow dictionary.
  const { pending: _answered, ...rest } = conversation;
  const next: Conversation = {
    ...rest,
    ...moved,
    notUnderstoodInARow: decision.kind === 'clarify' ? conversation.notUnderstoodInARow + 1 : 0,
    lastIntent: nlu.intent,
  };
  const { size, region } = nlu.entities;
  const measures = measuresOf(nlu.entities);
  const remembered = { ...measures, ...(size ? { size } : {}), ...(region ? { region } : {}) };
  if (nlu.intent === 'product.size') {
    // Only a size question's: "满199包邮吗" holds a number, not a height. The reading already carries
    // what was given before (recall-context.ts), so the newest replaces the old (someone else's, maybe).
    const given = Object.keys(measures).length > 0 ? measures : measuresOf(conversation.measurements ?? {});
    // The size the answer told the buyer, and only that: an answer that asked for the weight, or a
    // size question for someone else, leaves none for "白色呢" to ask about.
    const told = decision.kind === 'answer' && SIZE_TOLD.includes(decision.answerCase) ? fits : undefined;
    if (Object.keys(given).length > 0 || conversation.measurements)
      next.measurements = { ...given, ...(told ? { fits: told, at: next.updatedAt } : {}) };
  }
  const asked = askedBack(decision);
  if (decision.kind === 'ask-product')
    next.pending = { intent: decision.intent, question: nlu.text.slice(0, 2000), ...remembered };
  else if (asked === 'product.size') next.pending = { intent: asked, ...remembered };
  else if (asked) next.pending = { intent: asked };
  if (decision.kind === 'handoff') {
    next.mode = 'waiting';
    next.handoff = { reason: decision.reason, at: now.toISOString(), noticeSent: true };
  }
  return next;
}

const ASKS_MEASUREMENTS: readonly string[] = ['need-measurements', 'need-height', 'need-weight'];

/**
 * What a decision asks the buyer back, whose reply the next message may be: which item, a height
 * or weight, an invoice title, what to change in the order. None when it asks nothing.
 */
export function askedBack(decision: Decision): IntentId | undefined {
  if (decision.kind === 'ask-product') return decision.intent;
  if (decision.kind !== 'answer') return undefined;
  if (ASKS_MEASUREMENTS.includes(decision.answerCase)) return 'product.size';
  if (decision.answerCase === 'invoice-collect') return 'invoice';
  if (decision.intent === 'order.change' && decision.answerCase === 'default') return 'order.change';
  return undefined;
}
