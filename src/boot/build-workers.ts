import { createWeComSyncWorker } from '../channels/wecom/wecom-sync-queue.ts';
import type { Config } from '../config.ts';
import { startDeskSweeper } from '../desk/sweep-worker.ts';
import { createOrderWorker } from '../orders/order-queue.ts';
import { createReminderWorker } from '../orders/reminder-worker.ts';
import { createOutboxWorker } from '../outbox/outbox-worker.ts';
import { keepDrainingOldInboundQueue } from '../queue/drain-old-inbound.ts';
import { startInboundWorker } from '../queue/inbound-worker.ts';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import type { Queues } from './build-queues.ts';
import type { Stores } from './build-stores.ts';
import type { UseCases } from './build-use-cases.ts';
import type { Connections } from './connections.ts';

export interface QueueWorkers {
  /** Every worker is running (for /healthz). */
  running(): boolean;
  /** Stops taking work, lets the work in hand finish, and closes the workers' queues. */
  close(): Promise<void>;
}

/** The workers of every queue: inbound messages, the outbox, order events, reminders and the desk sweep. */
export async function startQueueWorkers(
  config: Config,
  deps: {
    connections: Connections;
    k: Keys;
    queues: Queues;
    stores: Stores;
    useCases: UseCases;
    metrics: Metrics;
    /** WeCom's pull, with WeCom switched on: run for each stored callback. */
    wecomSync:
      | ((openKfId: string, token: string | undefined, calledBackAt: Date | undefined) => Promise<unknown>)
      | undefined;
    log: Logger;
  },
): Promise<QueueWorkers> {
  const { connections, k, queues, stores, useCases, metrics, wecomSync, log } = deps;
  const connection = connections.workerConnection;
  const sweeper = await startDeskSweeper({
    connection: connection('desk-sweep'),
    prefix: config.KEY_PREFIX,
    everyMs: config.DESK_SWEEP_MS,
    desk: useCases.desk,
    log,
  });
  const bullWorkers = [
    createOutboxWorker({
      connection: connection('outbox', 'cork'),
      lockMs: config.WORKER_LOCK_MS,
      prefix: config.KEY_PREFIX,
      send: useCases.send,
      concurrency: config.OUTBOX_CONCURRENCY,
      backoffMs: config.OUTBOX_BACKOFF_MS,
      backoffMaxMs: config.OUTBOX_BACKOFF_MAX_MS,
      metrics,
      log,
      line: queues.line,
      queue: queues.outbox.queue,
      isUnpaid: async (orderId) => (await stores.orders.get(orderId))?.state === 'created',
      markUndelivered: (conversationId, messageId, reason) =>
        stores.workerConversations.markUndelivered(conversationId, messageId, reason),
    }),
    createOrderWorker({
      connection: connection('orders'),
      prefix: config.KEY_PREFIX,
      applyEvent: useCases.applyEvent,
      log,
    }),
    createReminderWorker({
      connection: connection('reminders'),
      prefix: config.KEY_PREFIX,
      sendReminder: useCases.sendReminder,
      log,
    }),
    sweeper.worker,
    ...(wecomSync
      ? [
          createWeComSyncWorker({
            connection: connection('wecom-sync'),
            prefix: config.KEY_PREFIX,
            sync: wecomSync,
            log,
          }),
        ]
      : []),
  ];
  const inboundWorker = await startInboundWorker({
    connection: connection('inbound', 'auto-pipeline'),
    reader: connection('inbound-read'),
    k,
    shardCount: queues.inboundShardCount,
    lockMs: config.WORKER_LOCK_MS,
    concurrency: config.INBOUND_CONCURRENCY,
    handleInbound: useCases.handleInbound,
    log,
  });
  const workers = [inboundWorker, ...bullWorkers];
  // Messages an earlier version left in its BullMQ inbound queue are moved into the stream.
  const oldInbound = await keepDrainingOldInboundQueue(stores.storeConnection, config.KEY_PREFIX, k, log);
  for (const worker of bullWorkers)
    worker.on('error', (err) => log.warn({ err: err.message, queue: worker.name }, 'worker error'));
  sweeper.queue.on('error', (err) =>
    log.warn({ err: err.message, queue: sweeper.queue.name }, 'queue connection error'),
  );
  return {
    running: () => workers.every((w) => w.isRunning()),
    async close() {
      oldInbound.stop();
      await Promise.all(workers.map((w) => w.close()));
      await sweeper.queue.close();
    },
  };
}
