import type { Catalog } from '../catalog/catalog.ts';
import { answerContext } from '../answers/answer-context.ts';
import { composeReply } from '../answers/compose-reply.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { Classifier } from '../nlu/classifier.ts';
import type { FaqMatcher } from '../nlu/faq-matcher.ts';
import type { Order } from '../orders/order.ts';
import { decideReply } from '../policy/decide-reply.ts';
import type { Clock } from '../shared/clock.ts';
import { countsAsAQuestion, gatherFacts, resolveProduct } from './gather-facts.ts';
import { readMessage } from './read-message.ts';

export interface DraftDeps {
  classifier: Classifier;
  intents: IntentBook;
  catalog: Catalog;
  faq?: FaqMatcher;
  clock: Clock;
  timeZone: string;
  limits: { discount: number; orderValue: number };
}

/**
 * Agent assist (店小蜜's 智能辅助): the bot's own answer to the buyer's latest message, read in the
 * conversation as it stands (its product, language and pending question), offered to the agent as
 * an editable draft. Only answers: what the bot would hand off or ask back, it leaves to the agent.
 */
export function createDraftReply(deps: DraftDeps) {
  return async function draftReply(
    text: string,
    conversation: Conversation,
    order: Order | undefined,
  ): Promise<{ intent: string; text: string } | undefined> {
    const now = deps.clock.now();
    const asBot: Conversation = { ...conversation, mode: 'bot', notUnderstoodInARow: 0 };
    const { product, justGiven, candidates } = resolveProduct(deps.catalog, text, undefined, asBot);
    const { whole, readings } = await readMessage(
      deps.classifier,
      text,
      asBot,
      justGiven,
      countsAsAQuestion(deps.intents),
    );
    const texts: string[] = [];
    for (const reading of readings) {
      const facts = gatherFacts(reading, product, deps.catalog, now, {
        ...(order ? { order } : {}),
        ...(candidates ? { candidates } : {}),
        limits: deps.limits,
        ...(deps.faq ? { faq: deps.faq } : {}),
      });
      const decision = decideReply(reading, asBot, deps.intents.spec(reading.intent), facts);
      if (decision.kind !== 'answer') continue;
      const context = answerContext({
        catalog: deps.catalog,
        language: whole.language,
        facts,
        entities: reading.entities,
        now,
        timeZone: deps.timeZone,
      });
      for (const reply of composeReply(decision, deps.intents, whole.language, context, text))
        if (!texts.includes(reply.text)) texts.push(reply.text);
    }
    return texts.length > 0 ? { intent: whole.intent, text: texts.join('\n\n') } : undefined;
  };
}

export type DraftReply = ReturnType<typeof createDraftReply>;
