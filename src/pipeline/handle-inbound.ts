import type { Catalog } from '../catalog/catalog.ts';
import { answerContext } from '../answers/answer-context.ts';
import { composeReply } from '../answers/compose-reply.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { newConversation, type HistoryEntry } from '../conversations/conversation.ts';
import type { ConversationStore } from '../conversations/redis-conversation-store.ts';
import type { Classifier } from '../nlu/classifier.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import type { Outbox } from '../outbox/outbox-queue.ts';
import { decideReply, type Decision } from '../policy/decide-reply.ts';
import { nextConversation } from '../policy/next-conversation.ts';
import { recallContext } from '../policy/recall-context.ts';
import type { Clock } from '../shared/clock.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { gatherFacts, resolveProduct } from './gather-facts.ts';
import type { InboundJob } from './inbound-queue.ts';

export interface HandleInboundDeps {
  classifier: Classifier;
  catalog: Catalog;
  intents: IntentBook;
  conversations: ConversationStore;
  outbox: Pick<Outbox, 'enqueue'>;
  clock: Clock;
  log: Logger;
}

export type InboundOutcome = { kind: 'already-handled' } | { kind: 'handled'; decision: Decision; replies: number };

/** One buyer message: read it, decide, answer through the outbox, remember the conversation. */
export function createHandleInbound(deps: HandleInboundDeps) {
  return async function handleInbound({ channel, message }: InboundJob): Promise<InboundOutcome> {
    const log = deps.log.child({ conversationId: message.conversationId, messageId: message.messageId, channel });
    if (await deps.conversations.isDone(message.messageId)) return { kind: 'already-handled' };
    const now = deps.clock.now();
    const conversation =
      (await deps.conversations.load(message.conversationId)) ?? newConversation(message.conversationId, message.buyer.id, channel, now);

    const { product, justGiven } = resolveProduct(deps.catalog, message.text, message.productId, conversation);
    const nlu = recallContext(await deps.classifier.classify(message.text, conversation.language), conversation, justGiven);
    log.debug({ text: message.text, intent: nlu.intent, confidence: nlu.confidence, entities: nlu.entities }, 'classified');

    const facts = gatherFacts(nlu, product, deps.catalog, now);
    const decision = decideReply(nlu, conversation, deps.intents.spec(nlu.intent), facts);
    const topics = { intents: likelyTopics(nlu.alternatives, deps.intents), labels: deps.intents.topics };
    const context = answerContext({ catalog: deps.catalog, language: nlu.language, facts, entities: nlu.entities, now, topics });
    const replies = composeReply(decision, deps.intents, nlu.language, context, message.messageId);

    const sent: HistoryEntry[] = [];
    for (const [i, reply] of replies.entries()) {
      const outboundId = jobIdFor('out', channel, message.messageId, String(i));
      await deps.outbox.enqueue({
        channel,
        message: { messageId: outboundId, conversationId: message.conversationId, buyerId: message.buyer.id, text: reply.text, from: 'bot', kind: reply.kind, inReplyTo: message.messageId },
      });
      sent.push({ messageId: outboundId, from: 'bot', text: reply.text, at: now.toISOString(), kind: reply.kind, inReplyTo: message.messageId });
    }
    const buyerEntry: HistoryEntry = { messageId: message.messageId, from: 'buyer', text: message.text, at: message.sentAt ?? now.toISOString(), intent: nlu.intent };
    const next = nextConversation(conversation, decision, nlu, product?.id, now);
    await deps.conversations.commit(next, [buyerEntry, ...sent], message.messageId);

    if (decision.kind === 'handoff') log.info({ reason: decision.reason, intent: decision.intent }, 'handoff created');
    else if (decision.kind === 'clarify') log.warn({ intent: nlu.intent }, 'not understood; asked to clarify');
    else log.info({ decision: decision.kind, intent: nlu.intent, language: nlu.language }, 'message handled');
    return { kind: 'handled', decision, replies: replies.length };
  };
}

const COMMON_TOPICS: IntentId[] = ['product.size', 'shipping.time', 'price.discount', 'return.howto'];

/** What to offer a buyer we did not understand: the classifier's runners-up, else common topics. */
function likelyTopics(alternatives: readonly IntentId[], book: IntentBook): IntentId[] {
  const labelled = alternatives.filter((id) => book.topics[id]);
  const merged = [...labelled, ...COMMON_TOPICS.filter((id) => !labelled.includes(id))];
  return merged.slice(0, 3);
}
