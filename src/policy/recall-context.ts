import type { Conversation } from '../conversations/conversation.ts';
import type { NluResult } from '../nlu/classifier.ts';

/**
 * Reads a message in the light of the question we asked last: "165 110斤" after "how tall are
 * you?" is still a size question, and the measurements given earlier are kept.
 */
export function recallContext(nlu: NluResult, conversation: Conversation, productJustGiven: boolean): NluResult {
  const pending = conversation.pending;
  if (!pending) return nlu;
  const entities = {
    ...(pending.heightCm !== undefined ? { heightCm: pending.heightCm } : {}),
    ...(pending.weightKg !== undefined ? { weightKg: pending.weightKg } : {}),
    ...(pending.size !== undefined ? { size: pending.size } : {}),
    ...(pending.region !== undefined ? { region: pending.region } : {}),
    ...nlu.entities,
  };
  const answersOurQuestion =
    (pending.intent === 'product.size' && (nlu.entities.heightCm !== undefined || nlu.entities.weightKg !== undefined)) ||
    productJustGiven;
  const vague = nlu.intent === 'None' || nlu.intent === 'greeting' || nlu.intent === 'thanks' || nlu.intent === pending.intent;
  if (answersOurQuestion && vague && !nlu.emotional) return { ...nlu, intent: pending.intent, entities };
  return nlu.intent === pending.intent ? { ...nlu, entities } : nlu;
}
