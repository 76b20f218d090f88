import type { Catalog } from '../catalog/catalog.ts';
import type { Reply } from '../answers/compose-reply.ts';
import type { IntentBook } from '../answers/load-intents.ts';
import type { HistoryEntry } from '../conversations/conversation.ts';
import type { BeginResult, ConversationStore } from '../conversations/conversation-store.ts';
import type { Classifier } from '../nlu/classifier.ts';
import type { FaqMatcher } from '../nlu/faq-matcher.ts';
import type { Delivery } from '../outbox/delivery.ts';
import type { OrderStore } from '../orders/order-store.ts';
import type { Desk } from '../desk/desk-service.ts';
import type { DeskEvents } from '../desk/desk-events.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import type { ReceptionMode } from '../policy/route-new-conversation.ts';
import type { Decision } from '../policy/decide-reply.ts';
import type { Clock } from '../shared/clock.ts';
import { jobIdFor } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
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

/** The conversation as `begin` opened it, with the lock's fence. */
export type OpenBegin = Extract<BeginResult, { kind: 'open' }>;

/** The buyer's message as the conversation's history keeps it, with what was read in it (`marks`). */
export function buyerEntry(
  message: InboundJob['message'],
  now: Date,
  marks: Pick<HistoryEntry, 'intent' | 'kind' | 'entities'> = {},
): HistoryEntry {
  return {
    messageId: message.messageId,
    from: 'buyer',
    text: message.text,
    at: message.sentAt ?? now.toISOString(),
    ...marks,
  };
}

/** The bot's reply number `index` to one buyer message: its id is stable, so a re-run job can't send twice. */
export function botReply(
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
