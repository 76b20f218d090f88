import type { Config } from '../config.ts';
import { createOrderEvents, type OrderEvents } from '../orders/order-queue.ts';
import { createReminderQueue, type ReminderQueue } from '../orders/reminder-queue.ts';
import { createConversationLine, type ConversationLine } from '../outbox/conversation-line.ts';
import { createOutbox, type OutboxWithQueue } from '../outbox/outbox-queue.ts';
import { createInboundQueue, type InboundQueue } from '../queue/inbound-queue.ts';
import type { QueueView } from '../queue/queue-view.ts';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { Connections } from './connections.ts';
import { createWeComSyncQueue, type WeComSyncQueue } from '../channels/wecom/wecom-sync-queue.ts';

export interface Queues {
  inbound: InboundQueue;
  /** Shards the inbound stream is written to. */
  inboundShardCount: number;
  orderEvents: OrderEvents;
  reminders: ReminderQueue;
  /** With its BullMQ queue: only its own worker reads that. */
  outbox: OutboxWithQueue;
  /** Each conversation's outgoing messages, in the order they must leave. */
  line: ConversationLine;
  /** WeCom's callbacks waiting to be pulled; with WeCom switched on. */
  wecomSync: WeComSyncQueue | undefined;
  /** Depths and failed jobs, for /metrics and the admin API. */
  views: Record<'outbox' | 'inbound' | 'orders' | 'reminders', QueueView>;
  close(): Promise<void>;
}

export async function buildQueues(
  config: Config,
  connections: Connections,
  k: Keys,
  log: Logger,
): Promise<Queues> {
  const inboundShardCount = config.INBOUND_SHARDS ?? (config.REDIS_CLUSTER_NODES ? 8 : 1);
  const inbound = createInboundQueue(connections.producer, k, inboundShardCount);
  await inbound.ready();
  const orderEvents = createOrderEvents(connections.producer, config.KEY_PREFIX, k, log);
  // The workers' queue producers share a connection, and the stores get one without BullMQ on it:
  // ioredis copies every script defined on a connection (BullMQ defines ~65) into each MULTI.
  const queueProducer = connections.workerConnection('queue-producer', 'auto-pipeline');
  const line = createConversationLine(queueProducer, k);
  const outbox = createOutbox(queueProducer, config.KEY_PREFIX, config.OUTBOX_ATTEMPTS, line, log);
  const reminders = createReminderQueue(
    queueProducer,
    config.KEY_PREFIX,
    Math.max(config.UNPAID_CLOSE_MINUTES * 60 * 2, 7 * 24 * 3600),
    log,
  );
  const wecomSync = config.WECOM_CORP_ID
    ? createWeComSyncQueue(connections.producer, config.KEY_PREFIX, log)
    : undefined;
  await Promise.all(
    [orderEvents, outbox, reminders, ...(wecomSync ? [wecomSync] : [])].map((q) => q.ready()),
  );
  return {
    inbound,
    inboundShardCount,
    orderEvents,
    reminders,
    outbox,
    line,
    wecomSync,
    views: {
      outbox: outbox.view,
      inbound: inbound.view,
      orders: orderEvents.view,
      reminders: reminders.view,
    },
    async close() {
      await Promise.all([orderEvents.close(), outbox.close(), reminders.close(), wecomSync?.close()]);
    },
  };
}
