import type { Conversation } from '../conversations/conversation.ts';
import type { Classifier, NluResult } from '../nlu/classifier.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import { splitQuestions } from '../nlu/split-questions.ts';
import { recallContext } from '../policy/recall-context.ts';

/** Intents that are a question of their own when they appear beside another one. */
const NOT_A_QUESTION: readonly IntentId[] = ['None', 'greeting', 'thanks'];
const CLAUSE_CONFIDENCE = 0.6;
/** Readings that name no ask; upset, they are a complaint. */
const UNNAMED: readonly IntentId[] = ['None', 'greeting', 'thanks'];

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
  /** Whether a clause is a question of its own (countsAsAQuestion); a side clause that only a person handles does not outweigh the message. */
  isAQuestion: (reading: NluResult) => boolean,
): Promise<{ whole: NluResult; readings: NluResult[] }> {
  const first = recallContext(
    await classifier.classify(text, conversation.language),
    conversation,
    productJustGiven,
  );
  if (first.emotional) {
    // An upset message that names no ask of its own ("好坑", "what a service") is a complaint.
    const upset = UNNAMED.includes(first.intent)
      ? { ...first, intent: 'complaint' as const, confidence: first.emotionScore }
      : first;
    return { whole: upset, readings: [upset] };
  }
  const clauses = splitQuestions(text);
  if (clauses.length < 2) return { whole: first, readings: [first] };
  const read = await Promise.all(clauses.map((clause) => classifier.classify(clause, first.language)));
  // Several messages run together: when the whole is not understood, a sentence that is says what is asked.
  const sure =
    first.intent === 'None'
      ? read
          .filter((r) => !NOT_A_QUESTION.includes(r.intent) && r.confidence >= CLAUSE_CONFIDENCE)
          .sort((a, b) => b.confidence - a.confidence)[0]
      : undefined;
  const whole = sure
    ? {
        ...first,
        intent: sure.intent,
        confidence: sure.confidence,
        entities: { ...first.entities, ...sure.entities },
      }
    : first;
  const questions: NluResult[] = [];
  for (const clause of read) {
    if (NOT_A_QUESTION.includes(clause.intent) || clause.confidence < CLAUSE_CONFIDENCE) continue;
    if (!isAQuestion(clause) && clause.intent !== whole.intent) continue;
    if (questions.some((q) => q.intent === clause.intent)) continue;
    // The mood is the whole message's: a clause alone has lost what keeps it calm ("… but it says
    // no delivery date" is a worry, "will it be here by Christmas?" after it a question).
    questions.push({
      ...clause,
      language: whole.language,
      emotional: whole.emotional,
      emotionScore: whole.emotionScore,
      entities: { ...whole.entities, ...clause.entities },
    });
  }
  return { whole, readings: questions.length >= 2 ? questions : [whole] };
}
