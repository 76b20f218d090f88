import { answerContext, waitContext } from '../answers/answer-context.ts';
import { composeReply, pickVariant, type Reply } from '../answers/compose-reply.ts';
import type { IntentBook, SystemTextKey } from '../answers/load-intents.ts';
import { renderTemplate } from '../answers/render-template.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { Notice } from '../desk/desk-service.ts';
import { isOpen, nextOpening } from '../desk/working-hours.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import type { InboundJob } from '../queue/inbound-job.ts';
import type { Language } from '../shared/language.ts';
import { OUTCOME_WINDOW_MS } from '../stats/bot-outcome.ts';
import type { Acted, ReadTurn } from './decide-turn.ts';
import type { HandleInboundDeps } from './inbound-deps.ts';

/** The buyer's replies to one message, and whether they ask the buyer to rate the bot. */
export interface ComposedTurn {
  replies: Reply[];
  rateBot: boolean;
}

/**
 * The replies to a message, in the buyer's language: one answer a paragraph, the hand-off notice
 * with the wait the desk gave (`notice`), and a line more while a person is coming or to ask for a
 * rating.
 */
export function composeTurn(
  deps: HandleInboundDeps,
  { message, quiet }: InboundJob,
  read: ReadTurn,
  acted: readonly Acted[],
  notice: Notice | undefined,
  conversation: Conversation,
  now: Date,
): ComposedTurn {
  const language = read.nlu.language;
  const wait =
    notice?.kind === 'wait'
      ? { minutes: notice.minutes }
      : notice?.kind === 'closed'
        ? { backAt: notice.backAt }
        : undefined;
  const answers = mergeReplies(
    acted.flatMap(({ reading, facts, decision }) => {
      const context = answerContext({
        catalog: deps.catalog,
        language,
        facts,
        entities: reading.entities,
        now,
        topics: { intents: likelyTopics(reading.alternatives, deps.intents), labels: deps.intents.topics },
        timeZone: deps.timeZone,
        ...(read.replyBy ? { replyBy: read.replyBy } : {}),
        ...(wait ? { wait } : {}),
      });
      return composeReply(
        decision,
        deps.intents,
        language,
        context,
        message.messageId,
        notice ? NOTICE_KEY[notice.kind] : 'handoff',
      );
    }),
  );
  const rateBot = !quiet && deps.satisfaction && asksToRateBot(conversation, acted, now);
  const addLine = (line: string) => answers.map((reply) => ({ ...reply, text: `${reply.text}\n${line}` }));
  if (acted.some((d) => d.decision.kind === 'answer' && d.decision.whileWaiting))
    return { replies: addLine(stillComing(deps, language, now, message.messageId)), rateBot };
  if (rateBot)
    return {
      replies: addLine(pickVariant(deps.intents.system['satisfaction-ask'][language], message.messageId)),
      rateBot,
    };
  return { replies: answers, rateBot };
}

/**
 * A buyer who thanks the bot for answers it gave in the last 30 minutes, with no person called
 * in, is asked to rate it: once a day per conversation.
 */
function asksToRateBot(conversation: Conversation, acted: readonly Acted[], now: Date): boolean {
  const bot = conversation.botOutcome;
  return (
    conversation.mode === 'bot' &&
    bot !== undefined &&
    !bot.rated &&
    bot.mark !== 'handoff' &&
    now.getTime() - Date.parse(bot.at) <= OUTCOME_WINDOW_MS &&
    acted.every((d) => d.reading.intent === 'thanks' && d.decision.kind === 'answer')
  );
}

/** The line added to an answer given while the buyer waits: a person is still coming (and when, off hours). */
function stillComing(deps: HandleInboundDeps, language: Language, now: Date, seed: string): string {
  const open = isOpen(now, deps.workHours, deps.timeZone);
  const texts = deps.intents.system[open ? 'waiting-still' : 'waiting-closed'];
  const backAt = open ? {} : { backAt: nextOpening(now, deps.workHours, deps.timeZone) };
  return renderTemplate(pickVariant(texts[language], seed), {
    wait: waitContext(backAt, language, now, deps.timeZone),
  });
}

const NOTICE_KEY: Record<Notice['kind'], SystemTextKey> = {
  wait: 'handoff-wait',
  nobody: 'handoff-nobody',
  closed: 'handoff-closed',
};

/** Answers to a two-question message go out as one message, one answer a paragraph. */
function mergeReplies(replies: Reply[]): Reply[] {
  const unique = replies.filter((r, i) => replies.findIndex((o) => o.text === r.text) === i);
  if (unique.length <= 1) return unique;
  return [
    {
      text: unique.map((r) => r.text).join('\n\n'),
      kind: unique.some((r) => r.kind === 'handoff') ? 'handoff' : 'answer',
    },
  ];
}

const COMMON_TOPICS: IntentId[] = ['product.size', 'shipping.time', 'price.discount', 'return.howto'];

/** What to offer a buyer we did not understand: the classifier's runners-up, else common topics. */
function likelyTopics(alternatives: readonly IntentId[], book: IntentBook): IntentId[] {
  const labelled = alternatives.filter((id) => book.topics[id]);
  const merged = [...labelled, ...COMMON_TOPICS.filter((id) => !labelled.includes(id))];
  return merged.slice(0, 3);
}
