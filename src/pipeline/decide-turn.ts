import type { Product } from '../catalog/product-schema.ts';
import type { Conversation } from '../conversations/conversation.ts';
import type { NluResult } from '../nlu/classifier.ts';
import type { Order } from '../orders/order.ts';
import { actOnHandoff, mainHandoff } from '../policy/act-on-questions.ts';
import {
  answerDependsOnOrder,
  decideReply,
  decideWhileWaiting,
  type Decision,
  type Facts,
} from '../policy/decide-reply.ts';
import { routeNewConversation } from '../policy/route-new-conversation.ts';
import { afterWorkingTime } from '../desk/working-hours.ts';
import type { Logger } from '../shared/logger.ts';
import type { InboundJob } from '../queue/inbound-job.ts';
import { countsAsAQuestion, gatherFacts, resolveProduct } from './gather-facts.ts';
import type { HandleInboundDeps } from './inbound-deps.ts';
import { readMessage } from './read-message.ts';

/** What a buyer's message says, with the item and the order it is about. */
export interface ReadTurn {
  product: Product | undefined;
  candidates: readonly Product[] | undefined;
  /** The questions to answer, in order; the last one leads (its language, its intent for the figures). */
  readings: NluResult[];
  nlu: NluResult;
  order: Order | undefined;
  /** The order, looked up at most once: for a hand-off when the answers did not need it. */
  findOrder: () => Promise<Order | undefined>;
  /** When the warehouse's answer is promised, for an order's answers. */
  replyBy: Date | undefined;
}

/** One question of the message with the facts found for it and what the bot will do. */
export interface Acted {
  reading: NluResult;
  facts: Facts;
  decision: Decision;
}

/** Reads the message: the item it is about, its questions, and the order when an answer needs it. */
export async function readTurn(
  deps: HandleInboundDeps,
  message: InboundJob['message'],
  conversation: Conversation,
  now: Date,
  log: Logger,
): Promise<ReadTurn> {
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
  const lookUp = async () =>
    (namedOrderId ? await deps.orders.get(namedOrderId) : undefined) ??
    (message.orderId ? undefined : await deps.orders.latestFor(message.conversationId));
  let looked: Promise<Order | undefined> | undefined;
  const findOrder = () => (looked ??= lookUp());
  const needsOrder =
    namedOrderId !== undefined ||
    readings.some((r) => answerDependsOnOrder(r.intent, deps.intents.spec(r.intent)));
  const order = needsOrder ? await findOrder() : undefined;
  // Only an order's answers promise the warehouse's reply: worked out for them alone.
  const replyBy = order
    ? afterWorkingTime(now, deps.warehouseReplyHours * 3600_000, deps.workHours, deps.timeZone)
    : undefined;
  return { product, candidates, readings, nlu: readings[readings.length - 1]!, order, findOrder, replyBy };
}

/**
 * What the bot does with each question: answer, ask, hand over or keep quiet. A message to record,
 * not answer (`quiet`), is decided as if a person had the conversation (its mode stays).
 */
export async function decideTurn(
  deps: HandleInboundDeps,
  { message, quiet }: InboundJob,
  read: ReadTurn,
  conversation: Conversation,
  stored: Conversation | undefined,
  now: Date,
): Promise<Acted[]> {
  const deciding: Conversation = quiet ? { ...conversation, mode: 'agent' } : conversation;
  const decide = deciding.mode === 'waiting' && deps.waitingAnswers ? decideWhileWaiting : decideReply;
  const decisions = read.readings.map((reading) => {
    const facts = gatherFacts(reading, read.product, deps.catalog, now, {
      ...(read.order ? { order: read.order } : {}),
      ...(read.candidates ? { candidates: read.candidates } : {}),
      limits: deps.limits,
      ...(deps.faq ? { faq: deps.faq } : {}),
    });
    return { reading, facts, decision: decide(reading, deciding, deps.intents.spec(reading.intent), facts) };
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
  return handoff ? actOnHandoff(decided, handoff) : decided;
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
