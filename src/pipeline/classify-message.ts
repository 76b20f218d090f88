import type { Catalog } from '../catalog/catalog.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { newConversation } from '../conversations/conversation.ts';
import type { Classifier } from '../nlu/classifier.ts';
import { decideReply } from '../policy/decide-reply.ts';
import type { Clock } from '../shared/clock.ts';
import { gatherFacts } from './gather-facts.ts';

export interface ClassifyOutput {
  text: string;
  language: string;
  intent: string;
  confidence: number;
  emotional: boolean;
  handoff: boolean;
  entities: Record<string, unknown>;
}

/** The contract's classify answer; `handoff` is the decision for the first message of a new conversation. */
export function createClassifyMessage(deps: { classifier: Classifier; intents: IntentBook; catalog: Catalog; clock: Clock }) {
  return async function classifyMessage(text: string): Promise<ClassifyOutput> {
    const nlu = await deps.classifier.classify(text);
    const now = deps.clock.now();
    const conversation = newConversation('classify', 'classify', 'generic', now);
    const facts = gatherFacts(nlu, undefined, deps.catalog, now);
    const decision = decideReply(nlu, conversation, deps.intents.spec(nlu.intent), facts);
    return {
      text,
      language: nlu.language,
      intent: nlu.intent,
      confidence: nlu.confidence,
      emotional: nlu.emotional,
      handoff: decision.kind === 'handoff',
      entities: { ...nlu.entities },
    };
  };
}
