import type { Conversation } from '../conversations/conversation.ts';
import type { Classifier, NluResult } from '../nlu/classifier.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import { splitQuestions } from '../nlu/split-questions.ts';
import { recallContext } from '../policy/recall-context.ts';

/** Intents that are a question of their own when they appear beside another one. */
const NOT_A_QUESTION: readonly IntentId[] = ['None', 'greeting', 'thanks'];
const CLAUSE_CONFIDENCE = 0.6;

/**
 * What the buyer is asking, as one reading or several: "有黑色吗，什么时候发货" is two questions,
 * and each gets its answer. An emotional message is read as a whole (it goes to a person).
 * `whole` is the reading of the entire message; `readings` the questions to answer.
 */
export async function readMessage(
  classifier: Classifier,
  text: string,
  conversation: Conversation,
  productJustGiven: boolean,
  /** Whether the bot answers this intent itself; a side clause that only a person handles does not outweigh the message. */
  botAnswers: (intent: IntentId) => boolean,
): Promise<{ whole: NluResult; readings: NluResult[] }> {
  const whole = recallContext(await classifier.classify(text, conversation.language), conversation, productJustGiven);
  if (whole.emotional) return { whole, readings: [whole] };
  const clauses = splitQuestions(text);
  if (clauses.length < 2) return { whole, readings: [whole] };
  const read = await Promise.all(clauses.map((clause) => classifier.classify(clause, whole.language)));
  const questions: NluResult[] = [];
  for (const clause of read) {
    if (NOT_A_QUESTION.includes(clause.intent) || clause.confidence < CLAUSE_CONFIDENCE) continue;
    if (!botAnswers(clause.intent) && clause.intent !== whole.intent) continue;
    if (questions.some((q) => q.intent === clause.intent)) continue;
    questions.push({ ...clause, language: whole.language, entities: { ...whole.entities, ...clause.entities } });
  }
  return { whole, readings: questions.length >= 2 ? questions : [whole] };
}
