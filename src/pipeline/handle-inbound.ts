import { newConversation, type Conversation } from '../conversations/conversation.ts';
import type { Order } from '../orders/order.ts';
import type { Decision } from '../policy/decide-reply.ts';
import { deliveredMark } from '../outbox/replies-record.ts';
import type { InboundJob } from '../queue/inbound-job.ts';
import { jobIdFor } from '../shared/ids.ts';
import { composeTurn } from './compose-turn.ts';
import { decideTurn, readTurn, type ReadTurn } from './decide-turn.ts';
import type { HandleInboundDeps, InboundOutcome, OpenBegin } from './inbound-deps.ts';
import { recordOrderTasks } from './record-order-tasks.ts';
import { commitTurn, recordFigures, type Turn } from './record-turn.ts';
import { answerToSatisfaction, quietDuringFlood, withoutSatisfaction } from './side-turns.ts';

export type { HandleInboundDeps, InboundOutcome } from './inbound-deps.ts';

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

/**
 * An opened message, as a story: read it, decide, open the hand-off, write the replies, remember
 * the conversation with them, count it, then send them and tell the desk.
 */
async function handleOpen(
  deps: HandleInboundDeps,
  job: InboundJob,
  begun: OpenBegin,
): Promise<InboundOutcome> {
  const { channel, message, quiet } = job;
  const log = deps.log.child({
    conversationId: message.conversationId,
    messageId: message.messageId,
    channel,
  });
  const now = deps.clock.now();
  const stored = begun.conversation;
  const found =
    stored ?? newConversation(message.conversationId, message.buyer.id, channel, now, message.buyer.name);
  if (found.mode === 'bot' && !quiet && begun.countInWindow > deps.floodPerMinute)
    return quietDuringFlood(deps, job, found, begun.countInWindow, now, log, begun);
  const scored =
    found.mode === 'bot' && !quiet
      ? await answerToSatisfaction(deps, job, found, now, log, begun)
      : undefined;
  if (scored) return scored;
  // Anything but a score answers the satisfaction question by not answering it: it is not asked again.
  const conversation = found.satisfaction ? withoutSatisfaction(found) : found;

  const read = await readTurn(deps, message, conversation, now, log);
  const acted = await decideTurn(deps, job, read, conversation, stored, now);
  const decision = acted[acted.length - 1]!.decision;
  const elsewhere = decision.kind === 'handoff' && deps.handoffElsewhere?.has(channel) === true;
  const opened =
    decision.kind === 'handoff' && !elsewhere ? await openHandoff(deps, job, read, decision) : undefined;
  const composed = composeTurn(deps, job, read, acted, opened?.notice, conversation, now);
  if (read.order) await recordOrderTasks(deps.orders, read.order, acted, now);
  const turn: Turn = {
    job,
    begun,
    now,
    log,
    stored,
    conversation,
    read,
    acted,
    decision,
    composed,
    opened,
    elsewhere,
  };
  const committed = await commitTurn(deps, turn);
  await recordFigures(deps, turn, committed);
  await deps.delivery.deliver(committed.outgoing, { behind: begun.inOutbox > 0 });
  await tellTheDesk(deps, turn, committed.next);
  logDecision(turn);
  return { kind: 'handled', decision, replies: composed.replies.length };
}

/** Puts a hand-off in the desk's queue, with what the desk needs to rank it. */
async function openHandoff(
  deps: HandleInboundDeps,
  { channel, message }: InboundJob,
  read: ReadTurn,
  decision: Extract<Decision, { kind: 'handoff' }>,
): Promise<Turn['opened']> {
  return deps.desk.open({
    id: jobIdFor('handoff', message.conversationId, message.messageId),
    conversationId: message.conversationId,
    messageId: message.messageId,
    buyerId: message.buyer.id,
    channel,
    language: read.nlu.language,
    reason: decision.reason,
    intent: decision.intent,
    highValue: decision.reason === 'high-value-order',
    returningBuyer: isReturningBuyer(await read.findOrder()),
  });
}

/** A buyer who has paid for an order before is served as a returning buyer. */
function isReturningBuyer(order: Order | undefined): boolean {
  return order?.state === 'paid' || order?.state === 'shipped';
}

/** The desk pages hear of a new hand-off, or of a buyer's message while a person has or is coming to them. */
async function tellTheDesk(deps: HandleInboundDeps, turn: Turn, next: Conversation): Promise<void> {
  const handoffId = next.handoff?.id;
  if (!handoffId || next.mode === 'bot' || turn.job.quiet) return;
  const about = { handoffId, conversationId: turn.job.message.conversationId };
  await deps.deskEvents.publish(
    turn.opened && turn.conversation.mode === 'bot'
      ? { type: 'handoff', ...about, state: turn.opened.handoff.state }
      : { type: 'message', ...about, from: 'buyer' },
  );
}

/** One log line a message: what the bot did with it. */
function logDecision({ decision, read, log }: Turn): void {
  if (decision.kind === 'handoff')
    log.info({ reason: decision.reason, intent: decision.intent }, 'handoff created');
  else if (decision.kind === 'clarify')
    log.warn({ intent: read.nlu.intent }, 'not understood; asked to clarify');
  else
    log.info(
      { decision: decision.kind, intent: read.nlu.intent, language: read.nlu.language },
      'message handled',
    );
}
