import { pickVariant } from '../answers/compose-reply.ts';
import type { Conversation, HistoryEntry } from '../conversations/conversation.ts';
import { readSatisfaction, SATISFACTION_ANSWER_MS } from '../desk/satisfaction.ts';
import type { OutboxJob } from '../outbox/outbox-queue.ts';
import { historyEntryFor } from '../outbox/queue-message.ts';
import { repliesRecord } from '../outbox/replies-record.ts';
import type { Logger } from '../shared/logger.ts';
import type { InboundJob } from '../queue/inbound-job.ts';
import {
  botReply,
  buyerEntry,
  type HandleInboundDeps,
  type InboundOutcome,
  type OpenBegin,
} from './inbound-deps.ts';

/**
 * The satisfaction question is answered by the next message or not at all: a score is recorded
 * and thanked (undefined for anything else, read as usual; the question is not asked again).
 */
export async function answerToSatisfaction(
  deps: HandleInboundDeps,
  job: InboundJob,
  found: Conversation,
  now: Date,
  log: Logger,
  begun: OpenBegin,
): Promise<InboundOutcome | undefined> {
  if (!found.satisfaction) return undefined;
  const score =
    now.getTime() - Date.parse(found.satisfaction.askedAt) < SATISFACTION_ANSWER_MS
      ? readSatisfaction(job.message.text)
      : undefined;
  if (score === undefined) return undefined;
  const conversation = withoutSatisfaction(found);
  return thankForScore(deps, job, conversation, { agent: found.satisfaction.agent, score }, now, log, begun);
}

/** The conversation without its open satisfaction question. */
export function withoutSatisfaction(conversation: Conversation): Conversation {
  const { satisfaction: _asked, ...rest } = conversation;
  return rest;
}

/** A score for the satisfaction question: recorded for the agent, thanked (sorry for a low one), not read as a question. */
async function thankForScore(
  deps: HandleInboundDeps,
  job: InboundJob,
  conversation: Conversation,
  { agent, score }: { agent: string; score: number },
  now: Date,
  log: Logger,
  begun: OpenBegin,
): Promise<InboundOutcome> {
  const texts = deps.intents.system[score <= 2 ? 'satisfaction-sorry' : 'satisfaction-thanks'];
  const text = pickVariant(texts[conversation.language ?? 'zh'], job.message.messageId);
  const buyer = { kind: 'satisfaction', entities: { score } } as const;
  const outgoing = await saveSideTurn(deps, job, conversation, buyer, text, now, begun);
  await deps.stats.satisfaction(agent, score, now);
  await deps.delivery.deliver(outgoing, { behind: begun.inOutbox > 0 });
  log.info({ score, agent }, 'satisfaction recorded');
  return { kind: 'handled', decision: { kind: 'silent', reason: 'satisfaction' }, replies: 1 };
}

/** A flood gets one calm line, then the bot only listens until the minute is over. */
export async function quietDuringFlood(
  deps: HandleInboundDeps,
  job: InboundJob,
  conversation: Conversation,
  count: number,
  now: Date,
  log: Logger,
  begun: OpenBegin,
): Promise<InboundOutcome> {
  const first = count === deps.floodPerMinute + 1;
  const text = first ? deps.intents.system.flood[conversation.language ?? 'zh'][0]! : undefined;
  const outgoing = await saveSideTurn(deps, job, conversation, {}, text, now, begun);
  if (first) log.warn({ count }, 'message flood: answered once, listening quietly');
  await deps.delivery.deliver(outgoing, { behind: begun.inOutbox > 0 });
  return { kind: 'handled', decision: { kind: 'silent', reason: 'flood' }, replies: outgoing.length };
}

/** Saves the buyer's message (with `buyer`'s marks) and the one reply, if any, keeping the conversation as it was. */
async function saveSideTurn(
  deps: HandleInboundDeps,
  { channel, message }: InboundJob,
  conversation: Conversation,
  buyer: Pick<HistoryEntry, 'kind' | 'entities'>,
  text: string | undefined,
  now: Date,
  { fence }: OpenBegin,
): Promise<OutboxJob[]> {
  const outgoing: OutboxJob[] =
    text === undefined ? [] : [{ channel, message: botReply(channel, message, 0, text, 'answer') }];
  const entries: HistoryEntry[] = [
    buyerEntry(message, now, buyer),
    ...outgoing.map((o) => historyEntryFor(o.message, now)),
  ];
  await deps.conversations.commit({ ...conversation, updatedAt: now.toISOString() }, entries, {
    done: { messageId: message.messageId, record: repliesRecord([]) },
    fence,
    previousUpdatedAt: conversation.updatedAt,
  });
  return outgoing;
}
