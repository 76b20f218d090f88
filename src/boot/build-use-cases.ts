import type { ChannelLimits, ChannelPorts } from '../channels/channel.ts';
import type { Config } from '../config.ts';
import { createDesk, type Desk } from '../desk/desk-service.ts';
import { parseWorkHours } from '../desk/working-hours.ts';
import { createApplyOrderEvent } from '../orders/apply-order-event.ts';
import { claimBuyerDay } from '../orders/reminder-worker.ts';
import { createSendReminder } from '../reminders/send-reminder.ts';
import { createDelivery } from '../outbox/delivery.ts';
import { createSendMessage, type ChannelSender } from '../outbox/send-message.ts';
import { createDraftReply, type DraftReply } from '../pipeline/draft-reply.ts';
import { createClassifyMessage } from '../pipeline/classify-message.ts';
import { createHandleInbound } from '../pipeline/handle-inbound.ts';
import { parseReceptionMode } from '../policy/route-new-conversation.ts';
import type { Clock } from '../shared/clock.ts';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import type { Knowledge } from './build-knowledge.ts';
import type { Queues } from './build-queues.ts';
import type { Stores } from './build-stores.ts';

/** After a failed immediate send, replies go through the outbox alone for this long. */
const DIRECT_SEND_PAUSE_MS = 5_000;
/** The immediate send gives up after this long (the outbox then waits CHANNEL_TIMEOUT_MS). */
const DIRECT_SEND_TIMEOUT_MS = 2_000;

export interface UseCases {
  handleInbound: ReturnType<typeof createHandleInbound>;
  classify: ReturnType<typeof createClassifyMessage>;
  draftReply: DraftReply;
  applyEvent: ReturnType<typeof createApplyOrderEvent>;
  sendReminder: ReturnType<typeof createSendReminder>;
  /** Sends one outbound message on the channel, after the shop's rules. */
  send: ChannelSender;
  desk: Desk;
}

export interface UseCaseDeps {
  knowledge: Knowledge;
  stores: Stores;
  queues: Queues;
  metrics: Metrics;
  /** The channels that send, by id. */
  channels: ChannelPorts;
  /** The platforms' rules on what may be sent when. */
  channelLimits: ChannelLimits;
  k: Keys;
  clock: Clock;
  log: Logger;
}

export function buildUseCases(config: Config, deps: UseCaseDeps): UseCases {
  const { knowledge, stores, queues, metrics, channels, channelLimits, k, clock, log } = deps;
  const { catalog, intents, faq, classifier } = knowledge;
  const { orders, handoffs, refused, stats, storeConnection } = stores;
  const conversations = stores.workerConversations;
  const { outbox, reminders } = queues;
  const limits = { discount: config.DISCOUNT_LIMIT, orderValue: config.HANDOFF_ORDER_VALUE };

  const applyEvent = createApplyOrderEvent({
    orders,
    reminders,
    clock,
    log,
    rules: {
      reminderAt: config.REMINDER_AT,
      timeZone: config.SHOP_TZ,
      minDelayMinutes: config.REMINDER_MIN_DELAY,
      quietHours: config.QUIET_HOURS,
      unpaidCloseMinutes: config.UNPAID_CLOSE_MINUTES,
    },
  });
  const sendReminder = createSendReminder({
    orders,
    conversations,
    catalog,
    intents,
    outbox,
    channelLimits,
    // The platforms' channels send only when switched on; the generic one without CHANNEL_SEND_URL
    // and the web chat store their messages, as ever.
    channelSends: (channel) => channel === 'generic' || channel === 'web' || channels[channel] !== undefined,
    clock,
    log,
    claimBuyerDay: (buyerId, day, orderId) =>
      claimBuyerDay(storeConnection, k.remindedToday(buyerId, day), orderId),
    settings: { timeZone: config.SHOP_TZ, quietHours: config.QUIET_HOURS, shipCutoff: config.SHIP_CUTOFF },
  });
  const desk = createDesk(
    {
      intents,
      handoffs,
      conversations,
      orders,
      catalog,
      outbox,
      stats,
      channelLimits,
      events: stores.deskEvents,
      clock,
      log,
      refused,
      settings: {
        leaseMs: config.AGENT_IDLE_SECONDS * 1000,
        onlineMs: config.AGENT_ONLINE_SECONDS * 1000,
        minutesPerHandoff: config.HANDOFF_MINUTES,
        workHours: parseWorkHours(config.WORK_HOURS),
        timeZone: config.SHOP_TZ,
        ownDomains: config.SHOP_DOMAINS,
        satisfaction: config.SATISFACTION,
      },
    },
    config.AGENT_TOKENS.map((a) => a.name),
  );
  const outboxLog = log.child({ module: 'outbox' });
  const send = createSendMessage({
    channels,
    ownDomains: config.SHOP_DOMAINS,
    metrics,
    log: outboxLog,
    refused,
  });
  const delivery = createDelivery({
    send,
    outbox,
    conversations,
    log: outboxLog,
    pauseMs: DIRECT_SEND_PAUSE_MS,
    timeoutMs: Math.min(DIRECT_SEND_TIMEOUT_MS, config.CHANNEL_TIMEOUT_MS),
  });
  const handleInbound = createHandleInbound({
    classifier,
    catalog,
    faq,
    intents,
    conversations,
    delivery,
    orders,
    clock,
    log,
    desk,
    timeZone: config.SHOP_TZ,
    warehouseReplyHours: config.WAREHOUSE_REPLY_HOURS,
    workHours: parseWorkHours(config.WORK_HOURS),
    limits,
    floodPerMinute: config.FLOOD_PER_MINUTE,
    stats,
    reception: parseReceptionMode(config.RECEPTION_MODE)!,
    waitingAnswers: config.WAITING_ANSWERS,
    satisfaction: config.SATISFACTION,
    deskEvents: stores.deskEvents,
    handoffElsewhere: new Set(
      config.WECOM_CORP_ID && config.WECOM_HANDOFF === 'servicers' ? ['wecom' as const] : [],
    ),
  });
  const classify = createClassifyMessage({ classifier, intents, catalog, faq, clock, limits });
  const draftReply = createDraftReply({
    classifier,
    intents,
    catalog,
    faq,
    clock,
    limits,
    timeZone: config.SHOP_TZ,
  });
  return { handleInbound, classify, draftReply, applyEvent, sendReminder, send, desk };
}
