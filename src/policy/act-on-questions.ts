import type { Decision } from './decide-reply.ts';
import { askedBack } from './next-conversation.ts';

type Decided = { decision: Decision };

type Handoff = Extract<Decision, { kind: 'handoff' }>;

const isHandoff = (d: Decided) => d.decision.kind === 'handoff';
/** A hand-off for a fact the shop did not give: "a colleague will check". */
const isUnknownFact = (d: Decision): d is Handoff => d.kind === 'handoff' && d.reason === 'product.info';

/**
 * The hand-off that takes a message of several questions to a person: the most serious one. A
 * fact the shop did not give ("帽子能拆吗") comes last, after a person asked for, a discount over
 * the limit, a size outside the chart…
 */
export function mainHandoff<T extends Decided>(decided: readonly T[]): T | undefined {
  return decided.find((d) => isHandoff(d) && !isUnknownFact(d.decision)) ?? decided.find(isHandoff);
}

/**
 * What the bot does with a message it hands off: a person takes the whole message, and the notice
 * is all the buyer hears. Only when the hand-off is for a fact the shop did not give do the other
 * answers stand, before a notice that says a colleague checks the rest ("beside"); and only
 * answers that ask the buyer nothing back (a height, an invoice title): the person who takes the
 * conversation asks those, not the bot.
 */
export function actOnHandoff<T extends Decided>(decided: readonly T[], handoff: T): T[] {
  const notice = handoff.decision;
  if (!isUnknownFact(notice)) return [handoff];
  const standing = decided.filter((d) => d.decision.kind === 'answer' && askedBack(d.decision) === undefined);
  if (standing.length === 0) return [handoff];
  return [...standing, { ...handoff, decision: { ...notice, answerCase: 'beside' } }];
}

/**
 * Of several questions answered in one message, the one whose state the conversation keeps for
 * the next message: the last that asked the buyer something back ("我120斤穿什么码，什么时候发货"
 * asks for the height: "165" next is its answer), else the last. A hand-off is always the last.
 */
export function followedUp<T extends Decided>(acted: readonly T[]): T {
  const last = acted[acted.length - 1]!;
  if (isHandoff(last)) return last;
  for (let i = acted.length - 1; i >= 0; i--) if (askedBack(acted[i]!.decision)) return acted[i]!;
  return last;
}
