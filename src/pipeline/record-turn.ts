import { namesASize } from '../catalog/recommend-size.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { Notice } from '../desk/desk-service.ts';
import type { Handoff } from '../desk/handoff.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import type { OutboxJob } from '../outbox/outbox-queue.ts';
import { historyEntryFor } from '../outbox/queue-message.ts';
import { repliesRecord } from '../outbox/replies-record.ts';
import { followedUp } from '../policy/act-on-questions.ts';
import type { Decision } from '../policy/decide-reply.ts';
import { nextConversation } from '../policy/next-conversation.ts';
import type { InboundJob } from '../queue/inbound-job.ts';
import type { Logger } from '../shared/logger.ts';
import { localDate } from '../shared/zoned-time.ts';
import { nextBotOutcome, repeatKey, type BotTurn } from '../stats/bot-outcome.ts';
import { BOT_RATER, type UnansweredQuestion } from '../stats/stats-store.ts';
import type { ComposedTurn } from './compose-turn.ts';
import type { Acted, ReadTurn } from './decide-turn.ts';
import { botReply, buyerEntry, type HandleInboundDeps, type OpenBegin } from './inbound-deps.ts';

/** One message as handled so far: read, decided, its hand-off opened and its replies written. */
export interface Turn {
  job: InboundJob;
  begun: OpenBegin;
  now: Date;
  log: Logger;
  /** The conversation as stored before this message; undefined for a new one. */
  stored: Conversation | undefined;
  conversation: Conversation;
  read: ReadTurn;
  acted: Acted[];
  /** The decision that leads: the last question's, or the hand-off that took the message. */
  decision: Decision;
  composed: ComposedTurn;
  opened: { handoff: Handoff; notice: Notice } | undefined;
  /** The hand-off went to the platform's own people, not our desk. */
  elsewhere: boolean;
}

/** What the commit saved: the replies to send and the conversation after them. */
export interface CommittedTurn {
  outgoing: OutboxJob[];
  next: Conversation;
  outcome: ReturnType<typeof nextBotOutcome> | undefined;
  turnKind: BotTurn['kind'];
}

/** Saves the conversation after this message with the buyer's message and the replies, fenced by the lock. */
export async function commitTurn(deps: HandleInboundDeps, turn: Turn): Promise<CommittedTurn> {
  const { job, now, read, acted, conversation, composed, opened } = turn;
  const { channel, message, quiet } = job;
  const knownIds = read.order ? [read.order.orderId] : [];
  const outgoing: OutboxJob[] = composed.replies.map((reply, i) => ({
    channel,
    ...(knownIds.length ? { knownIds } : {}),
    message: botReply(channel, message, i, reply.text, reply.kind),
  }));
  const last = followedUp(acted);
  // A size told beside the question followed up keeps its measurements and the size that fits:
  // "M码会大吗" or "黑色呢" next are weighed against them, not asked for them again.
  const sized = acted.find((a) => a !== last && a.reading.intent === 'product.size');
  const after = (from: Conversation, { decision, reading, facts }: Acted) =>
    nextConversation(from, decision, reading, read.product?.id, now, fitsOf(facts));
  const next = after(sized ? after(conversation, sized) : conversation, last);
  if (opened && next.handoff) next.handoff = { ...next.handoff, id: opened.handoff.id };
  if (turn.elsewhere) {
    // Our desk has nothing to wait for: the channel keeps the bot quiet while the platform's people have it.
    next.mode = 'bot';
    next.handoff = undefined;
  }
  const turnKind = botTurnKind(acted, conversation.mode);
  const outcome = quiet
    ? undefined
    : nextBotOutcome(conversation.botOutcome, {
        kind: turnKind,
        emotional: read.readings.some((r) => r.emotional),
        question: repeatKey(message.text),
        now,
        today: localDate(now, deps.timeZone),
      });
  if (outcome?.state) next.botOutcome = composed.rateBot ? { ...outcome.state, rated: true } : outcome.state;
  if (composed.rateBot) next.satisfaction = { askedAt: now.toISOString(), agent: BOT_RATER };
  const buyer = buyerEntry(message, now, { intent: read.nlu.intent, entities: { ...read.nlu.entities } });
  const sent = outgoing.map((o) => historyEntryFor(o.message, now));
  await deps.conversations.commit(next, [buyer, ...sent], {
    done: { messageId: message.messageId, record: repliesRecord(knownIds) },
    fence: turn.begun.fence,
    ...(turn.stored ? { previousUpdatedAt: turn.stored.updatedAt } : {}),
  });
  return { outgoing, next, outcome, turnKind };
}

/** The shop's figures for a committed message: its intent, response time, hand-off and what went unanswered. */
export async function recordFigures(
  deps: HandleInboundDeps,
  turn: Turn,
  committed: CommittedTurn,
): Promise<void> {
  const { job, now, read, acted, decision } = turn;
  const { outcome, turnKind } = committed;
  const firstToday = outcome?.changes.some((c) => c.answered) === true;
  const notUnderstood = acted.some((d) => d.decision.kind === 'clarify')
    ? 'clarify'
    : decision.kind === 'handoff' && decision.reason === 'not-understood'
      ? 'second-miss'
      : undefined;
  await deps.stats.message({
    intent: read.nlu.intent,
    at: now,
    ...(committed.outgoing.length > 0 ? { botResponseMs: now.getTime() - Date.parse(job.receivedAt) } : {}),
    newConversation: !turn.stored,
    channel: job.channel,
    conversationId: job.message.conversationId,
    ...(outcome?.state && turnKind === 'answer'
      ? { botAnswered: { day: outcome.state.day, firstToday } }
      : {}),
    ...(notUnderstood ? { notUnderstood } : {}),
  });
  // The figures after the commit: a failed write is logged, not retried with the message (its
  // state is saved; a retry would find it handled and only send its answers again).
  const marks = outcome?.changes.filter((c) => !c.answered) ?? [];
  try {
    if (turn.composed.rateBot) await deps.stats.satisfactionAsked(BOT_RATER, now);
    if (marks.length > 0) await deps.stats.botOutcome(job.message.conversationId, marks);
  } catch (err) {
    turn.log.warn({ err }, 'the bot outcome figures were not written');
  }
  if (decision.kind === 'handoff') await deps.stats.handoff(decision.reason, now);
  for (const { reading, decision: each } of acted) {
    const reason = unansweredReason(each);
    const intent = each.kind === 'handoff' ? each.intent : reading.intent;
    if (reason) await deps.stats.unanswered({ text: reading.text, intent, reason, at: now });
  }
}

/** The size a size answer said fits, if it said one. */
function fitsOf({ sizeAdvice }: Acted['facts']): string | undefined {
  return namesASize(sizeAdvice) ? sizeAdvice.size : undefined;
}

/** What the bot did with a message, as its figures see it: only an answer given as the bot counts as one. */
function botTurnKind(acted: readonly Acted[], mode: Conversation['mode']): BotTurn['kind'] {
  if (acted.some((d) => d.decision.kind === 'handoff')) return 'handoff';
  if (mode !== 'bot') return 'other';
  if (acted.some((d) => d.decision.kind === 'clarify')) return 'clarify';
  // A hello or a thanks answered is small talk, not the bot answering a question.
  return acted.some((d) => d.decision.kind === 'answer' && !SMALL_TALK.has(d.reading.intent))
    ? 'answer'
    : 'other';
}

const SMALL_TALK: ReadonlySet<IntentId> = new Set(['greeting', 'thanks']);

/**
 * Why the bot could not answer a question, for the shop's list of what to teach it: not
 * understood (asked to rephrase, or handed off after asking), or a question about the item the
 * catalog has no fact for.
 */
function unansweredReason(decision: Decision): UnansweredQuestion['reason'] | undefined {
  if (decision.kind === 'clarify' || (decision.kind === 'handoff' && decision.reason === 'not-understood'))
    return 'not-understood';
  if (decision.kind === 'handoff' && decision.reason === 'product.info') return 'no-fact';
  return undefined;
}
