import type { Catalog } from '../catalog/catalog.ts';
import { sanitizeText } from '../channels/sanitize-text.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { newConversation } from '../conversations/conversation.ts';
import type { Classifier, NluResult } from '../nlu/classifier.ts';
import { decideReply, type Decision } from '../policy/decide-reply.ts';
import type { Clock } from '../shared/clock.ts';
import type { FaqMatcher } from '../nlu/faq-matcher.ts';
import { countsAsAQuestion, gatherFacts, resolveProduct } from './gather-facts.ts';
import { readMessage } from './read-message.ts';

export interface ClassifyOutput {
  text: string;
  language: string;
  intent: string;
  confidence: number;
  emotional: boolean;
  handoff: boolean;
  entities: Record<string, unknown>;
}

export interface ClassifyDeps {
  classifier: Classifier;
  intents: IntentBook;
  catalog: Catalog;
  faq?: FaqMatcher;
  clock: Clock;
  limits: { discount: number; orderValue: number };
}

/**
 * The contract's classify answer (the command and POST /v1/nlu/classify alike). `handoff` is what the service would do with the message as the
 * first of a new conversation: the same reading (both questions of a two-question message, the
 * product named in the text) and the same rules as the inbound worker.
 */
export function createClassifyMessage(deps: ClassifyDeps) {
  const decide = createFirstDecisions(deps);
  return async function classifyMessage(given: string): Promise<ClassifyOutput> {
    // The cleaning a channel's message gets, so the answer is what the service would read.
    const text = sanitizeText(given);
    if (!text)
      return {
        text,
        language: 'zh',
        intent: 'None',
        confidence: 0,
        emotional: false,
        handoff: false,
        entities: {},
      };
    const { nlu, decisions } = await decide(text);
    return {
      text,
      language: nlu.language,
      intent: nlu.intent,
      confidence: nlu.confidence,
      emotional: nlu.emotional,
      handoff: decisions.some((d) => d.kind === 'handoff'),
      entities: { ...nlu.entities },
    };
  };
}

/**
 * What the service would decide for a message that opens a conversation (about `productId`, when
 * the channel names one): the whole reading and one decision per question.
 */
export function createFirstDecisions(deps: ClassifyDeps) {
  return async function firstDecisions(
    text: string,
    productId?: string,
  ): Promise<{ nlu: NluResult; decisions: Decision[] }> {
    const now = deps.clock.now();
    const conversation = newConversation('classify', 'classify', 'generic', now);
    const { product, justGiven, candidates } = resolveProduct(deps.catalog, text, productId, conversation);
    const { whole: nlu, readings } = await readMessage(
      deps.classifier,
      text,
      conversation,
      justGiven,
      countsAsAQuestion(deps.intents),
    );
    const decisions = readings.map((reading) => {
      const facts = gatherFacts(reading, product, deps.catalog, now, {
        ...(candidates ? { candidates } : {}),
        limits: deps.limits,
        ...(deps.faq ? { faq: deps.faq } : {}),
      });
      return decideReply(reading, conversation, deps.intents.spec(reading.intent), facts);
    });
    return { nlu, decisions };
  };
}
