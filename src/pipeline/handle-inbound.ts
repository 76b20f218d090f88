import { namesASize } from '../catalog/recommend-size.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { answerContext, waitContext } from '../answers/answer-context.ts';
import { composeReply, pickVariant, type Reply } from '../answers/compose-reply.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import { newConversation, type Conversation, type HistoryEntry } from '../conversations/conversation.ts';
import type { BeginResult, ConversationStore } from '../conversations/conversation-store.ts';
import type { Classifier, NluResult } from '../nlu/classifier.ts';
import type { FaqMatcher } from '../nlu/faq-matcher.ts';
import type { IntentId } from '../nlu/intent-ids.ts';
import type { OutboxJob } from '../outbox/outbox-queue.ts';
import type { Delivery } from '../outbox/delivery.ts';
import type { OrderStore } from '../orders/order-store.ts';
import { historyEntryFor } from '../outbox/queue-message.ts';
import { deliveredMark, repliesRecord } from '../outbox/replies-record.ts';
import { recordOrderTasks } from './record-order-tasks.ts';
import type { Desk, Notice } from '../desk/desk-service.ts';
import type { DeskEvents } from '../desk/desk-events.ts';
import { afterWorkingTime, isOpen, nextOpening } from '../desk/working-hours.ts';
import { readSatisfaction, SATISFACTION_ANSWER_MS } from '../desk/satisfaction.ts';
import { renderTemplate } from '../answers/render-template.ts';
import type { Language } from '../shared/language.ts';
import { BOT_RATER, type StatsStore, type UnansweredQuestion } from '../stats/stats-store.ts';
import { nextBotOutcome, OUTCOME_WINDOW_MS, repeatKey, type BotTurn } from '../stats/bot-outcome.ts';
import { localDate } from '../shared/zoned-time.ts';
import { routeNewConversation, type ReceptionMode } from '../policy/route-new-conversation.ts';
import type { SystemTextKey } from '../answers/load-intents.ts';
import {
  answerDependsOnOrder,
  decideReply,
  decideWhileWaiting,
  type Decision,
} from '../policy/decide-reply.ts';
import type { Order } from '../orders/order.ts';
import { actOnHandoff, followedUp, mainHandoff } from '../policy/act-on-questions.ts';
import { nextConversation } from '../policy/next-conversation.ts';
import type { Clock } from '../shared/clock.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { countsAsAQuestion, gatherFacts, resolveProduct } from './gather-facts.ts';
import { readMessage } from './read-message.ts';
import type { InboundJob } from '../queue/inbound-job.ts';

export interface HandleInboundDeps {
  classifier: Classifier;
  catalog: Catalog;
  /** Finds the shop's own answer (the catalog's FAQ) to a question; without it, templates only. */
  faq?: FaqMatcher;
  intents: IntentBook;
  conversations: ConversationStore;
  /** Sends the replies once they are stored: at once while the channel answers, else through the outbox. */
  delivery: Delivery;
  orders: OrderStore;
  clock: Clock;
  log: Logger;
  timeZone: string;
  /** How soon the shop promises an answer on a warehouse stop, in working hours. */
  warehouseReplyHours: number;
  /** The shop's shifts (WORK_HOURS): the warehouse's answer is promised within them. */
  workHours: readonly [number, number][];
  desk: Pick<Desk, 'open' | 'agentsOnline' | 'stillWaiting'>;
  /**
   * Channels whose hand-offs go to the platform's own people rather than our desk (WeCom's
   * servicers, WECOM_HANDOFF=servicers): the bot sends the notice and the channel hands the
   * session over and keeps the bot quiet while they have it.
   */
  handoffElsewhere?: ReadonlySet<InboundJob['channel']>;
  reception: ReceptionMode;
  /** WAITING_ANSWERS: routine questions of fact are still answered while a buyer waits for a person. */
  waitingAnswers: boolean;
  /** SATISFACTION: a buyer who thanks the bot after its answers is asked once a day for a 1–5 score. */
  satisfaction: boolean;
  limits: { discount: number; orderValue: number };
  /** More messages than this in a minute from one conversation get one calm answer, then quiet. */
  floodPerMinute: number;
  stats: Pick<
    StatsStore,
    'message' | 'botOutcome' | 'handoff' | 'unanswered' | 'satisfaction' | 'satisfactionAsked'
  >;
  /** Tells the desk pages of a new hand-off, and of a message where a person has or is coming to the buyer. */
  deskEvents: Pick<DeskEvents, 'publish'>;
}

export type InboundOutcome =
  { kind: 'already-handled' } | { kind: 'busy' } | { kind: 'handled'; decision: Decision; replies: number };

/**
 * One buyer message: read it, decide, remember the conversation with the answers, then send them,
 * holding the conversation's lock (messages of one conversation are handled one at a time; 'busy'
 * when another worker has it). The lock's token fences the commit: the state is saved only while
 * the lock holds. A message found handled already is a retry after a crash: its stored answers
 * are sent again.
 */
export function createHandleInbound(deps: HandleInboundDeps) {
  return async function handleInbound(job: InboundJob): Promise<InboundOutcome> {
    const { message } = job;
    const begun = await deps.conversations.begin(message.conversationId, message.messageId, 60);
    if (begun.kind === 'busy') return begun;
    if (begun.kind === 'done') {
      await deps.delivery.redeliver(job, begun);
      return { kind: 'already-handled' };
    }
    const delivered = deliveredMark(message.messageId);
    let outcome: InboundOutcome | undefined;
    try {
      outcome = await handleOpen(deps, job, begun);
      return outcome;
    } finally {
      // Returned: committed and delivered (sent, or in the outbox). Thrown: neither is certain.
      await deps.conversations.release(message.conversationId, begun.fence, outcome ? delivered : undefined);
    }
  };
}

type OpenBegin = Extract<BeginResult, { kind: 'open' }>;

async function handleOpen(
  deps: HandleInboundDeps,
  { channel, message, receivedAt, quiet }: InboundJob,
  begun: OpenBegin,
): Promise<InboundOutcome> {
  const { fence } = begun;
  const log = deps.log.child({
    conversationId: message.conversationId,
    messageId: message.messageId,
    channel,
  });
  const now = deps.clock.now();
  const stored = begun.conversation;
  const found =
    stored ?? newConversation(message.conversationId, message.buyer.id, channel, now, message.buyer.name);
  const count = begun.countInWindow;
  if (found.mode === 'bot' && !quiet && count > deps.floodPerMinute)
    return quietDuringFlood(deps, channel, message, found, count, now, log, begun);
  // The satisfaction question is answered by the next message or not at all: a score is recorded
  // and thanked; anything else is read as usual, and the question is not asked again.
  const conversation = found.satisfaction ? withoutSatisfaction(found) : found;
  if (found.satisfaction && found.mode === 'bot' && !quiet) {
    const score =
      now.getTime() - Date.parse(found.satisfaction.askedAt) < SATISFACTION_ANSWER_MS
        ? readSatisfaction(message.text)
        : undefined;
    if (score !== undefined)
      return thankForScore(
        deps,
        channel,
        message,
        conversation,
        found.satisfaction.agent,
        score,
        now,
        log,
        begun,
      );
  }

  const { product, justGiven, candidates } = resolveProduct(
    deps.catalog,
    message.text,
    message.productId,
    conversation,
  );
  const { readings } = await readMessage(
    deps.classifier,
    message.text,
    conversation,
    justGiven,
    countsAsAQuestion(deps.intents),
  );
  const nlu = readings[readings.length - 1]!;
  log.debug(
    {
      text: message.text,
      readings: readings.map((r) => ({ intent: r.intent, confidence: r.confidence, entities: r.entities })),
    },
    'classified',
  );

  // The order is read only for answers that depend on it (most pre-sale messages don't): the one
  // the channel names, else one the buyer typed ("my order number is …"), else the latest.
  const namedOrderId = message.orderId ?? readings.find((r) => r.entities.orderId)?.entities.orderId;
  const findOrder = async () =>
    (namedOrderId ? await deps.orders.get(namedOrderId) : undefined) ??
    (message.orderId ? undefined : await deps.orders.latestFor(message.conversationId));
  const needsOrder =
    namedOrderId !== undefined ||
    readings.some((r) => answerDependsOnOrder(r.intent, deps.intents.spec(r.intent)));
  const order = needsOrder ? await findOrder() : undefined;
  // Only an order's answers promise the warehouse's reply: worked out for them alone.
  const replyBy = order
    ? afterWorkingTime(now, deps.warehouseReplyHours * 3600_000, deps.workHours, deps.timeZone)
    : undefined;
  // A message to record, not answer, is decided as if a person had the conversation (its mode stays).
  const deciding: Conversation = quiet ? { ...conversation, mode: 'agent' } : conversation;
  const decide = deciding.mode === 'waiting' && deps.waitingAnswers ? decideWhileWaiting : decideReply;
  const decisions = readings.map((reading) => {
    const facts = gatherFacts(reading, product, deps.catalog, now, {
      ...(order ? { order } : {}),
      ...(candidates ? { candidates } : {}),
      limits: deps.limits,
      ...(deps.faq ? { faq: deps.faq } : {}),
    });
    return {
      reading,
      facts,
      decision: decide(reading, deciding, deps.intents.spec(reading.intent), facts),
    };
  });
  // An agent may have claimed the buyer while this message was read: then the bot says nothing.
  const waitingFor = deciding.mode === 'waiting' ? conversation.handoff?.id : undefined;
  const claimedMeanwhile =
    waitingFor !== undefined &&
    decisions.some((d) => d.decision.kind === 'answer') &&
    !(await deps.desk.stillWaiting(waitingFor));
  const decided = claimedMeanwhile
    ? decisions.map((d) => ({
        ...d,
        decision: { kind: 'silent', reason: 'person-has-conversation' } as const,
      }))
    : decisions;
  // One hand-off takes the whole message to a person; beside a fact the shop did not give, the
  // other answers stand (act-on-questions.ts).
  const handoff =
    mainHandoff(decided) ??
    (quiet ? undefined : await receptionHandoff(deps, stored, message.conversationId, decided));
  const acted = handoff ? actOnHandoff(decided, handoff) : decided;
  const decision = acted[acted.length - 1]!.decision;
  const elsewhere = decision.kind === 'handoff' && deps.handoffElsewhere?.has(channel) === true;
  const opened =
    decision.kind === 'handoff' && !elsewhere
      ? await deps.desk.open({
          id: jobIdFor('handoff', message.conversationId, message.messageId),
          conversationId: message.conversationId,
          messageId: message.messageId,
          buyerId: message.buyer.id,
          channel,
          language: nlu.language,
          reason: decision.reason,
          intent: decision.intent,
          highValue: decision.reason === 'high-value-order',
          returningBuyer: isReturningBuyer(order ?? (await findOrder())),
        })
      : undefined;
  const answers = mergeReplies(
    acted.flatMap(({ reading, facts, decision: each }) => {
      const topics = {
        intents: likelyTopics(reading.alternatives, deps.intents),
        labels: deps.intents.topics,
      };
      const wait =
        opened?.notice.kind === 'wait'
          ? { minutes: opened.notice.minutes }
          : opened?.notice.kind === 'closed'
            ? { backAt: opened.notice.backAt }
            : undefined;
      const context = answerContext({
        catalog: deps.catalog,
        language: nlu.language,
        facts,
        entities: reading.entities,
        now,
        topics,
        timeZone: deps.timeZone,
        ...(replyBy ? { replyBy } : {}),
        ...(wait ? { wait } : {}),
      });
      return composeReply(
        each,
        deps.intents,
        nlu.language,
        context,
        message.messageId,
        opened ? NOTICE_KEY[opened.notice.kind] : 'handoff',
      );
    }),
  );
  const rateBot = !quiet && deps.satisfaction && asksToRateBot(conversation, acted, now);
  const replies = acted.some((d) => d.decision.kind === 'answer' && d.decision.whileWaiting)
    ? answers.map((reply) => ({
        ...reply,
        text: `${reply.text}\n${stillComing(deps, nlu.language, now, message.messageId)}`,
      }))
    : rateBot
      ? answers.map((reply) => ({
          ...reply,
          text: `${reply.text}\n${pickVariant(deps.intents.system['satisfaction-ask'][nlu.language], message.messageId)}`,
        }))
      : answers;

  if (order) await recordOrderTasks(deps.orders, order, acted, now);
  const knownIds = order ? [order.orderId] : [];
  const outgoing: OutboxJob[] = replies.map((reply, i) => ({
    channel,
    ...(knownIds.length ? { knownIds } : {}),
    message: botReply(channel, message, i, reply.text, reply.kind),
  }));
  const sent = outgoing.map((job) => historyEntryFor(job.message, now));
  const buyerEntry: HistoryEntry = {
    messageId: message.messageId,
    from: 'buyer',
    text: message.text,
    at: message.sentAt ?? now.toISOString(),
    intent: nlu.intent,
    entities: { ...nlu.entities },
  };
  const last = followedUp(acted);
  const advice = last.facts.sizeAdvice;
  const fits = namesASize(advice) ? advice.size : undefined;
  const next = nextConversation(conversation, last.decision, last.reading, product?.id, now, fits);
  if (opened && next.handoff) next.handoff = { ...next.handoff, id: opened.handoff.id };
  if (elsewhere) {
    // Our desk has nothing to wait for: the channel keeps the bot quiet while the platform's people have it.
    next.mode = 'bot';
    next.handoff = undefined;
  }
  const turnKind = botTurnKind(acted, conversation.mode);
  const outcome = quiet
    ? undefined
    : nextBotOutcome(conversation.botOutcome, {
        kind: turnKind,
        emotional: readings.some((r) => r.emotional),
        question: repeatKey(message.text),
        now,
        today: localDate(now, deps.timeZone),
      });
  if (outcome?.state) next.botOutcome = rateBot ? { ...outcome.state, rated: true } : outcome.state;
  if (rateBot) next.satisfaction = { askedAt: now.toISOString(), agent: BOT_RATER };
  await deps.conversations.commit(next, [buyerEntry, ...sent], {
    done: { messageId: message.messageId, record: repliesRecord(knownIds) },
    fence,
    ...(stored ? { previousUpdatedAt: stored.updatedAt } : {}),
  });
  const firstToday = outcome?.changes.some((c) => c.answered) === true;
  const notUnderstood = acted.some((d) => d.decision.kind === 'clarify')
    ? 'clarify'
    : decision.kind === 'handoff' && decision.reason === 'not-understood'
      ? 'second-miss'
      : undefined;
  await deps.stats.message({
    intent: nlu.intent,
    at: now,
    ...(sent.length > 0 ? { botResponseMs: now.getTime() - Date.parse(receivedAt) } : {}),
    newConversation: !stored,
    channel,
    conversationId: message.conversationId,
    ...(outcome?.state && turnKind === 'answer'
      ? { botAnswered: { day: outcome.state.day, firstToday } }
      : {}),
    ...(notUnderstood ? { notUnderstood } : {}),
  });
  // The figures after the commit: a failed write is logged, not retried with the message (its
  // state is saved; a retry would find it handled and only send its answers again).
  const marks = outcome?.changes.filter((c) => !c.answered) ?? [];
  try {
    if (rateBot) await deps.stats.satisfactionAsked(BOT_RATER, now);
    if (marks.length > 0) await deps.stats.botOutcome(message.conversationId, marks);
  } catch (err) {
    log.warn({ err }, 'the bot outcome figures were not written');
  }
  if (decision.kind === 'handoff') await deps.stats.handoff(decision.reason, now);
  for (const { reading, decision: each } of acted) {
    const reason = unansweredReason(each);
    const intent = each.kind === 'handoff' ? each.intent : reading.intent;
    if (reason) await deps.stats.unanswered({ text: reading.text, intent, reason, at: now });
  }
  await deps.delivery.deliver(outgoing, { behind: begun.inOutbox > 0 });
  const handoffId = next.handoff?.id;
  if (handoffId && next.mode !== 'bot' && !quiet) {
    const about = { handoffId, conversationId: message.conversationId };
    await deps.deskEvents.publish(
      opened && conversation.mode === 'bot'
        ? { type: 'handoff', ...about, state: opened.handoff.state }
        : { type: 'message', ...about, from: 'buyer' },
    );
  }

  if (decision.kind === 'handoff')
    log.info({ reason: decision.reason, intent: decision.intent }, 'handoff created');
  else if (decision.kind === 'clarify') log.warn({ intent: nlu.intent }, 'not understood; asked to clarify');
  else log.info({ decision: decision.kind, intent: nlu.intent, language: nlu.language }, 'message handled');
  return { kind: 'handled', decision, replies: replies.length };
}

/**
 * A buyer who thanks the bot for answers it gave in the last 30 minutes, with no person called
 * in, is asked to rate it: once a day per conversation.
 */
function asksToRateBot(
  conversation: Conversation,
  acted: readonly { reading: NluResult; decision: Decision }[],
  now: Date,
): boolean {
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

/** What the bot did with a message, as its figures see it: only an answer given as the bot counts as one. */
function botTurnKind(
  acted: readonly { reading: NluResult; decision: Decision }[],
  mode: Conversation['mode'],
): BotTurn['kind'] {
  if (acted.some((d) => d.decision.kind === 'handoff')) return 'handoff';
  if (mode !== 'bot') return 'other';
  if (acted.some((d) => d.decision.kind === 'clarify')) return 'clarify';
  // A hello or a thanks answered is small talk, not the bot answering a question.
  return acted.some((d) => d.decision.kind === 'answer' && !SMALL_TALK.has(d.reading.intent))
    ? 'answer'
    : 'other';
}

const SMALL_TALK: ReadonlySet<IntentId> = new Set(['greeting', 'thanks']);

/** The line added to an answer given while the buyer waits: a person is still coming (and when, off hours). */
function stillComing(deps: HandleInboundDeps, language: Language, now: Date, seed: string): string {
  const open = isOpen(now, deps.workHours, deps.timeZone);
  const texts = deps.intents.system[open ? 'waiting-still' : 'waiting-closed'];
  const backAt = open ? {} : { backAt: nextOpening(now, deps.workHours, deps.timeZone) };
  return renderTemplate(pickVariant(texts[language], seed), {
    wait: waitContext(backAt, language, now, deps.timeZone),
  });
}

function withoutSatisfaction(conversation: Conversation): Conversation {
  const { satisfaction: _asked, ...rest } = conversation;
  return rest;
}

/** A score for the satisfaction question: recorded for the agent, thanked (sorry for a low one), not read as a question. */
async function thankForScore(
  deps: HandleInboundDeps,
  channel: InboundJob['channel'],
  message: InboundJob['message'],
  conversation: Conversation,
  agent: string,
  score: number,
  now: Date,
  log: Logger,
  { fence, inOutbox }: OpenBegin,
): Promise<InboundOutcome> {
  const language = conversation.language ?? 'zh';
  const texts = deps.intents.system[score <= 2 ? 'satisfaction-sorry' : 'satisfaction-thanks'];
  const outgoing: OutboxJob[] = [
    {
      channel,
      message: botReply(channel, message, 0, pickVariant(texts[language], message.messageId), 'answer'),
    },
  ];
  const entries: HistoryEntry[] = [
    {
      messageId: message.messageId,
      from: 'buyer',
      text: message.text,
      at: message.sentAt ?? now.toISOString(),
      kind: 'satisfaction',
      entities: { score },
    },
    historyEntryFor(outgoing[0]!.message, now),
  ];
  await deps.conversations.commit({ ...conversation, updatedAt: now.toISOString() }, entries, {
    done: { messageId: message.messageId, record: repliesRecord([]) },
    fence,
    previousUpdatedAt: conversation.updatedAt,
  });
  await deps.stats.satisfaction(agent, score, now);
  await deps.delivery.deliver(outgoing, { behind: inOutbox > 0 });
  log.info({ score, agent }, 'satisfaction recorded');
  return { kind: 'handled', decision: { kind: 'silent', reason: 'satisfaction' }, replies: 1 };
}

/** In people-first or split reception, a new conversation may go straight to a person. */
async function receptionHandoff<T extends { reading: NluResult; decision: Decision }>(
  deps: HandleInboundDeps,
  stored: Conversation | undefined,
  conversationId: string,
  decided: T[],
): Promise<T | undefined> {
  if (stored || deps.reception.kind === 'bot-first') return undefined;
  const first = decided[decided.length - 1]!;
  if (first.decision.kind === 'silent') return undefined;
  if (routeNewConversation(deps.reception, conversationId, await deps.desk.agentsOnline()) === 'bot')
    return undefined;
  return { ...first, decision: { kind: 'handoff', reason: 'reception', intent: first.reading.intent } };
}

/** A buyer who has paid for an order before is served as a returning buyer. */
function isReturningBuyer(order: Order | undefined): boolean {
  return order?.state === 'paid' || order?.state === 'shipped';
}

/** The bot's reply number `index` to one buyer message: its id is stable, so a re-run job can't send twice. */
function botReply(
  channel: InboundJob['channel'],
  message: InboundJob['message'],
  index: number,
  text: string,
  kind: Reply['kind'],
) {
  return {
    messageId: jobIdFor('out', channel, message.messageId, String(index)),
    conversationId: message.conversationId,
    buyerId: message.buyer.id,
    text,
    from: 'bot' as const,
    kind,
    inReplyTo: message.messageId,
  };
}

/** A flood gets one calm line, then the bot only listens until the minute is over. */
async function quietDuringFlood(
  deps: HandleInboundDeps,
  channel: InboundJob['channel'],
  message: InboundJob['message'],
  conversation: Conversation,
  count: number,
  now: Date,
  log: Logger,
  { fence, inOutbox }: OpenBegin,
): Promise<InboundOutcome> {
  const language = conversation.language ?? 'zh';
  const entries: HistoryEntry[] = [
    {
      messageId: message.messageId,
      from: 'buyer',
      text: message.text,
      at: message.sentAt ?? now.toISOString(),
    },
  ];
  const outgoing: OutboxJob[] = [];
  if (count === deps.floodPerMinute + 1) {
    outgoing.push({
      channel,
      message: botReply(channel, message, 0, deps.intents.system.flood[language][0]!, 'answer'),
    });
    entries.push(historyEntryFor(outgoing[0]!.message, now));
    log.warn({ count }, 'message flood: answered once, listening quietly');
  }
  await deps.conversations.commit({ ...conversation, updatedAt: now.toISOString() }, entries, {
    done: { messageId: message.messageId, record: repliesRecord([]) },
    fence,
    previousUpdatedAt: conversation.updatedAt,
  });
  await deps.delivery.deliver(outgoing, { behind: inOutbox > 0 });
  return { kind: 'handled', decision: { kind: 'silent', reason: 'flood' }, replies: outgoing.length };
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
