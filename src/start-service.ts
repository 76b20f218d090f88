import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { loadIntents, INTENTS_DIR } from './answers/load-intents.ts';
import { assertWithinShopRules, catalogRuleProblems } from './guard/check-texts.ts';
import { campaignAwareBook, campaignAwareCatalog } from './campaigns/campaign-views.ts';
import { loadCampaigns } from './campaigns/load-campaigns.ts';
import { createHttpChannel } from './channels/generic/http-channel.ts';
import { quickReplies } from './answers/quick-replies.ts';
import { createDesk } from './desk/desk-service.ts';
import { createRedisHandoffStore } from './desk/redis-handoff-store.ts';
import { createRedisWebChatStore } from './channels/web/redis-web-chat-store.ts';
import { startDeskSweeper } from './desk/sweep-worker.ts';
import { parseWorkHours } from './desk/working-hours.ts';
import type { ChannelPort } from './channels/channel.ts';
import { createCatalogSync } from './catalog/catalog-sync.ts';
import { loadJsonCatalog } from './catalog/json-catalog.ts';
import type { Config } from './config.ts';
import { createRedisConversationStore } from './conversations/redis-conversation-store.ts';
import { createRequestListener, healthOnlyApp, type HealthReport } from './http/app.ts';
import { SECURITY_HEADERS } from './http/security-headers.ts';
import { answerUnparsableRequest } from './http/error-middleware.ts';
import { liveEntityVocabulary } from './nlu/entity-vocabulary.ts';
import { faqMatcherFor } from './nlu/faq-matcher.ts';
import { CORPORA_DIR, loadCorpora, loadEmotionCorpora } from './nlu/load-corpora.ts';
import { createNlpjsClassifier } from './nlu/nlpjs-classifier.ts';
import { lazyClassifier } from './nlu/lazy-classifier.ts';
import { modelCacheDir } from './nlu/model-cache.ts';
import type { Classifier } from './nlu/classifier.ts';
import { createApplyOrderEvent } from './orders/apply-order-event.ts';
import { createOrderEvents, createOrderWorker } from './orders/order-queue.ts';
import { createRedisOrderStore } from './orders/redis-order-store.ts';
import { createReminderQueue } from './orders/reminder-queue.ts';
import { claimBuyerDay, createReminderWorker } from './orders/reminder-worker.ts';
import { createSendReminder } from './orders/send-reminder.ts';
import { createOutbox } from './outbox/outbox-queue.ts';
import { createConversationLine } from './outbox/conversation-line.ts';
import { createOutboxWorker } from './outbox/outbox-worker.ts';
import { createSendMessage } from './outbox/send-message.ts';
import { createRedisRefusedLog } from './guard/redis-refused-log.ts';
import { createDeliver } from './outbox/deliver.ts';
import { createClassifyMessage } from './pipeline/classify-message.ts';
import { createHandleInbound } from './pipeline/handle-inbound.ts';
import { createInboundQueue } from './queue/inbound-queue.ts';
import { startInboundWorker } from './queue/inbound-worker.ts';
import { keepDrainingOldInboundQueue } from './queue/drain-old-inbound.ts';
import { bullQueueView } from './queue/queue-view.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { keys } from './shared/keys.ts';
import { createRedisStatsStore } from './stats/redis-stats-store.ts';
import { createMetrics, type CounterValues } from './stats/prom-metrics.ts';
import { parseReceptionMode } from './policy/route-new-conversation.ts';
import type { Logger } from './shared/logger.ts';
import { createProducerConnection, createWorkerConnection, resolveRedis, waitUntilReady, type RedisClient } from './shared/redis.ts';
import { checkRedisDurability } from './shared/redis-durability.ts';

/** After a failed immediate send, replies go through the outbox alone for this long. */
const DIRECT_SEND_PAUSE_MS = 5_000;
/** The immediate send gives up after this long (the outbox then waits CHANNEL_TIMEOUT_MS). */
const DIRECT_SEND_TIMEOUT_MS = 2_000;

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  /** Replaces the HTTP channel built from CHANNEL_SEND_URL (tests pass their own fake shop). */
  channel?: ChannelPort;
  corporaDir?: string;
  intentsDir?: string;
  /** Replaces HOST. */
  host?: string;
  /**
   * A worker started by WORKER_THREADS or WORKER_PROCESSES: it opens no port (it reports its health
   * to its parent, so nothing but HOST:PORT listens) and leaves the once-per-service checks to it.
   */
  startedByParent?: boolean;
  /** More /healthz checks, e.g. that the worker processes WORKER_PROCESSES started are ready. */
  extraChecks?: () => Record<string, boolean>;
  /** The counters the worker threads or processes this process started last reported, for /metrics. */
  workerCounters?: () => CounterValues[];
  /** Classifies instead of a classifier of this process's own (an HTTP process asks its worker threads or processes). */
  classifier?: Classifier;
}

export interface RunningService {
  /** '' when started by a parent (no port). */
  url: string;
  server: Server | undefined;
  redisUrl: string;
  /** This process's counters (messages sent, hand-offs), which a worker reports to its parent. */
  counters(): Promise<CounterValues>;
  /** Whether this process started its own private redis-server (no Redis was configured or found). */
  redisEmbedded: boolean;
  /** What /healthz reports. */
  health(): HealthReport;
  /** This process's classifier (a worker answers its HTTP process's classify requests with it). */
  classifier: Classifier;
  /** Closes the port: nothing more is accepted. stop() does it too. */
  stopAccepting(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds every adapter from config, wires the pipeline, starts workers and HTTP. */
export async function startService(config: Config, options: StartOptions): Promise<RunningService> {
  if (options.startedByParent) return build(config, options, undefined, () => undefined);
  // The port opens at once and answers 503 (/healthz {"ok":false}) until everything is ready.
  let ready: RequestListener | undefined;
  const server = await listen((req, res) => (ready ? ready(req, res) : starting(res)), config.PORT, options.host ?? config.HOST);
  options.log.info({ port: (server.address() as AddressInfo).port }, 'port open; starting up');
  try {
    return await build(config, options, server, (app) => (ready = app));
  } catch (err) {
    await new Promise<void>((done) => server.close(() => done()));
    throw err;
  }
}

function starting(res: ServerResponse): void {
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2', ...SECURITY_HEADERS });
  res.end(JSON.stringify({ ok: false, error: { code: 'STARTING', message: 'xiaoer is starting', details: [] } }));
}

async function build(config: Config, options: StartOptions, server: Server | undefined, serve: (app: RequestListener) => void): Promise<RunningService> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const campaigns = loadCampaigns(config.CAMPAIGNS_DIR);
  const ownCatalog = loadJsonCatalog(config.CATALOG_FILE);
  const ownIntents = loadIntents(options.intentsDir ?? INTENTS_DIR);
  assertWithinShopRules(ownIntents, ownCatalog, config.SHOP_DOMAINS, campaigns);
  // During a sale, its promotions, dispatch promise and answers apply; the clock decides.
  const catalog = campaignAwareCatalog(ownCatalog, campaigns, clock);
  const intents = campaignAwareBook(ownIntents, campaigns, clock);
  const corpora = loadCorpora(options.corporaDir ?? CORPORA_DIR);
  // The shop's FAQ is matched with the classifier's words, weighed by their rarity in the corpora.
  const faq = faqMatcherFor(corpora, options.corporaDir ?? CORPORA_DIR);
  const train = () => createNlpjsClassifier({ corpora, emotion: loadEmotionCorpora(options.corporaDir ?? CORPORA_DIR), vocabulary: liveEntityVocabulary(catalog), cacheDir: modelCacheDir(config.MODEL_CACHE_DIR) });
  // A ROLE=web process classifies only for the admin API: it trains on the first such request.
  // One started by the HTTP process of WORKER_THREADS or WORKER_PROCESSES asks its workers instead.
  const nluReady = options.classifier ? Promise.resolve(options.classifier) : config.ROLE === 'web' ? Promise.resolve(lazyClassifier(train)) : train();

  // Training is CPU-bound (about ten seconds when the model cache has no model for these
  // corpora): finish it before any Redis connection is made, so none waits behind it and times out.
  const classifier = await nluReady;
  const redisInfo = await resolveRedis({ config, log });
  const producer = createProducerConnection(redisInfo.target);
  const workerConnections: RedisClient[] = [];
  const workerConnection = (name: string, batching?: 'auto-pipeline' | 'cork') => {
    const connection = createWorkerConnection(redisInfo.target, name, batching ? { batching } : {});
    connection.on('error', (err) => log.warn({ err: err.message, connection: name }, 'redis connection error'));
    workerConnections.push(connection);
    return connection;
  };
  producer.on('error', (err) => log.warn({ err: err.message }, 'redis (producer) connection error'));
  await waitUntilReady(producer, 10_000);
  // Once per service: its worker threads and processes use the same Redis and would only repeat it.
  if (!options.startedByParent) await checkRedisDurability(producer, { require: config.REDIS_REQUIRE_DURABLE, log });

  const k = keys(config.KEY_PREFIX);
  // Every instance on one catalog: an admin's PUT or a changed CATALOG_FILE is in effect everywhere within seconds.
  const catalogSync = createCatalogSync({
    redis: producer, key: k.catalog(), file: config.CATALOG_FILE, catalog: ownCatalog, log, checkMs: config.CATALOG_CHECK_MS,
    rules: (c) => catalogRuleProblems(c, config.SHOP_DOMAINS),
  });
  await catalogSync.start();
  const webChatTtlSeconds = config.WEB_CHAT_TTL_HOURS * 3600;
  const conversations = createRedisConversationStore(producer, k, config.HISTORY_TTL_HOURS * 3600, log, webChatTtlSeconds);
  const inboundShardCount = config.INBOUND_SHARDS ?? (config.REDIS_CLUSTER_NODES ? 8 : 1);
  const inbound = createInboundQueue(producer, k, inboundShardCount);
  await inbound.ready();
  const orderEvents = createOrderEvents(producer, config.KEY_PREFIX, k);
  // The workers' queue producers share a connection, and the stores get one without BullMQ on it:
  // ioredis copies every script defined on a connection (BullMQ defines ~65) into each MULTI.
  const queueProducer = workerConnection('queue-producer', 'auto-pipeline');
  const line = createConversationLine(queueProducer, k);
  const outbox = createOutbox(queueProducer, config.KEY_PREFIX, config.OUTBOX_ATTEMPTS, line);
  const channel =
    options.channel ??
    (config.CHANNEL_SEND_URL ? createHttpChannel({ url: config.CHANNEL_SEND_URL, secret: config.WEBHOOK_SECRET, timeoutMs: config.CHANNEL_TIMEOUT_MS }) : undefined);

  // Workers keep their state on a connection that waits out a Redis restart instead of failing.
  const storeConnection = workerConnection('store', 'auto-pipeline');
  const workerStore = createRedisConversationStore(storeConnection, k, config.HISTORY_TTL_HOURS * 3600, log, webChatTtlSeconds);
  const orderRetentionSeconds = config.ORDER_RETENTION_DAYS * 24 * 3600;
  const orders = createRedisOrderStore(storeConnection, k, orderRetentionSeconds);
  const reminders = createReminderQueue(queueProducer, config.KEY_PREFIX, Math.max(config.UNPAID_CLOSE_MINUTES * 60 * 2, 7 * 24 * 3600));
  const applyEvent = createApplyOrderEvent({
    orders, reminders, clock, log,
    rules: { reminderAt: config.REMINDER_AT, timeZone: config.SHOP_TZ, minDelayMinutes: config.REMINDER_MIN_DELAY, quietHours: config.QUIET_HOURS, unpaidCloseMinutes: config.UNPAID_CLOSE_MINUTES },
  });
  const sendReminder = createSendReminder({
    orders, conversations: workerStore, catalog, intents, outbox, clock, log,
    claimBuyerDay: (buyerId, day, orderId) => claimBuyerDay(storeConnection, k.remindedToday(buyerId, day), orderId),
    settings: { timeZone: config.SHOP_TZ, quietHours: config.QUIET_HOURS, shipCutoff: config.SHIP_CUTOFF },
  });
  const handoffs = createRedisHandoffStore(storeConnection, k, orderRetentionSeconds, webChatTtlSeconds);
  const refused = createRedisRefusedLog(storeConnection, k, log);
  const queues = { outbox: bullQueueView(outbox.queue), inbound: inbound.view, orders: bullQueueView(orderEvents.queue), reminders: bullQueueView(reminders.queue) };
  const metrics = createMetrics(queues, () => health(), options.workerCounters);
  const redisStats = createRedisStatsStore(storeConnection, k);
  const stats: typeof redisStats = {
    ...redisStats,
    async handoff(reason) {
      metrics.handoffs.inc({ reason });
      await redisStats.handoff(reason);
    },
  };
  const desk = createDesk(
    {
      intents, handoffs, conversations: workerStore, orders, catalog, outbox, stats, clock, log, refused,
      settings: {
        leaseMs: config.AGENT_IDLE_SECONDS * 1000, onlineMs: config.AGENT_ONLINE_SECONDS * 1000, minutesPerHandoff: config.HANDOFF_MINUTES,
        workHours: parseWorkHours(config.WORK_HOURS), timeZone: config.SHOP_TZ, ownDomains: config.SHOP_DOMAINS,
      },
    },
    config.AGENT_TOKENS.map((a) => a.name),
  );
  const outboxLog = log.child({ module: 'outbox' });
  const send = createSendMessage({ channel, ownDomains: config.SHOP_DOMAINS, metrics, log: outboxLog, refused });
  const deliver = createDeliver({ send, outbox, log: outboxLog, pauseMs: DIRECT_SEND_PAUSE_MS, timeoutMs: Math.min(DIRECT_SEND_TIMEOUT_MS, config.CHANNEL_TIMEOUT_MS) });
  const handleInbound = createHandleInbound({
    classifier, catalog, faq, intents, conversations: workerStore, deliver, orders, clock, log, desk,
    timeZone: config.SHOP_TZ, warehouseReplyHours: config.WAREHOUSE_REPLY_HOURS,
    limits: { discount: config.DISCOUNT_LIMIT, orderValue: config.HANDOFF_ORDER_VALUE },
    floodPerMinute: config.FLOOD_PER_MINUTE,
    stats,
    reception: parseReceptionMode(config.RECEPTION_MODE)!,
  });
  // ROLE=web serves HTTP only, ROLE=worker runs the workers only (with /healthz), ROLE=all both.
  const runWorkers = config.ROLE !== 'web';
  const sweeper = runWorkers ? await startDeskSweeper({ connection: workerConnection('desk-sweep'), prefix: config.KEY_PREFIX, everyMs: config.DESK_SWEEP_MS, desk, log }) : undefined;
  const bullWorkers: Worker[] = !runWorkers ? [] : [
    createOutboxWorker({ connection: workerConnection('outbox', 'cork'), lockMs: config.WORKER_LOCK_MS, prefix: config.KEY_PREFIX, send, concurrency: config.OUTBOX_CONCURRENCY, backoffMs: config.OUTBOX_BACKOFF_MS, backoffMaxMs: config.OUTBOX_BACKOFF_MAX_MS, metrics, log, line, queue: outbox.queue,
      isUnpaid: async (orderId) => (await orders.get(orderId))?.state === 'created' }),
    createOrderWorker({ connection: workerConnection('orders'), prefix: config.KEY_PREFIX, applyEvent, log }),
    createReminderWorker({ connection: workerConnection('reminders'), prefix: config.KEY_PREFIX, sendReminder, log }),
    sweeper!.worker,
  ];
  const inboundWorker = runWorkers
    ? await startInboundWorker({ connection: workerConnection('inbound', 'auto-pipeline'), reader: workerConnection('inbound-read'), k, shardCount: inboundShardCount, lockMs: config.WORKER_LOCK_MS, concurrency: config.INBOUND_CONCURRENCY, handleInbound, log })
    : undefined;
  const workers: Pick<Worker, 'isRunning' | 'close'>[] = [...(inboundWorker ? [inboundWorker] : []), ...bullWorkers];
  // Messages an earlier version left in its BullMQ inbound queue are moved into the stream.
  const oldInbound = runWorkers ? await keepDrainingOldInboundQueue(storeConnection, config.KEY_PREFIX, k, log) : undefined;
  for (const worker of bullWorkers) worker.on('error', (err) => log.warn({ err: err.message, queue: worker.name }, 'worker error'));
  for (const queue of [orderEvents.queue, outbox.queue, reminders.queue, ...(sweeper ? [sweeper.queue] : [])]) {
    queue.on('error', (err) => log.warn({ err: err.message, queue: queue.name }, 'queue connection error'));
  }

  const classify = createClassifyMessage({ classifier, intents, catalog, faq, clock, limits: { discount: config.DISCOUNT_LIMIT, orderValue: config.HANDOFF_ORDER_VALUE } });
  await Promise.all([orderEvents.queue, outbox.queue, reminders.queue].map((q) => q.waitUntilReady()));
  const health = () => {
    const checks = { nlu: true, redis: producer.status === 'ready', workers: workers.every((w) => w.isRunning()), ...options.extraChecks?.() };
    return { ok: Object.values(checks).every(Boolean), checks };
  };
  const app = config.ROLE === 'worker' ? healthOnlyApp(health) : createRequestListener({
    webhookSecret: config.WEBHOOK_SECRET,
    adminToken: config.ADMIN_TOKEN,
    metricsToken: config.METRICS_TOKEN ?? config.ADMIN_TOKEN,
    inbound,
    orderEvents,
    catalog,
    conversations,
    queues,
    orders,
    stats,
    refused,
    catalogSync,
    metrics,
    desk,
    agents: config.AGENT_TOKENS,
    quickReplies: (view) => quickReplies(intents, catalog, { language: view.handoff.language, ...(view.product ? { product: catalog.product(view.product.id)! } : {}), ...(view.order ? { order: view.order } : {}), now: clock.now(), timeZone: config.SHOP_TZ }),
    classify,
    limits: { perIpPerMinute: config.IP_RATE_PER_MINUTE },
    webChat: config.WEB_CHAT
      ? { chats: createRedisWebChatStore(producer, k, { ttlSeconds: webChatTtlSeconds, newPerMinute: config.WEB_CHAT_NEW_PER_MINUTE }), limits: { sendPerMinute: config.CHAT_RATE_PER_MINUTE, readPerMinute: config.CHAT_POLL_PER_MINUTE, startPerMinute: config.CHAT_NEW_PER_ADDRESS_PER_MINUTE } }
      : undefined,
    log,
    health,
  });
  serve(app);
  const url = server ? urlOf(server) : '';
  log.info({ ...(url ? { url } : {}), role: config.ROLE, redis: redisInfo.embedded ? 'private' : redisInfo.target.kind, channel: channel?.name ?? 'store-only' }, config.ROLE === 'worker' ? 'xiaoer workers running' : 'xiaoer is accepting messages');

  let stopped = false;
  let closing: Promise<void> | undefined;
  const stopAccepting = () => {
    closing ??= server ? new Promise<void>((done) => server.close(() => done())).then(() => server.closeAllConnections()) : Promise.resolve();
    return closing;
  };
  return {
    url,
    server,
    redisUrl: redisInfo.url,
    redisEmbedded: redisInfo.embedded,
    counters: () => metrics.counters(),
    health,
    classifier,
    stopAccepting,
    async stop() {
      if (stopped) return;
      stopped = true;
      oldInbound?.stop();
      catalogSync.stop();
      await stopAccepting();
      await Promise.all(workers.map((w) => w.close()));
      await stats.close();
      await Promise.all([orderEvents.close(), outbox.close(), reminders.close(), sweeper?.queue.close()]);
      await Promise.all([producer, ...workerConnections].map((c) => c.quit().catch(() => c.disconnect())));
      await redisInfo.stop();
      log.info('stopped');
    },
  };
}

/** Slow or oversized requests are cut off instead of holding sockets: limits a shop can live with. */
function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 65_000 }, handler);
  server.maxHeadersCount = 100;
  server.on('clientError', answerUnparsableRequest);
  return new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => done(server));
  });
}

function urlOf(server: Server): string {
  const { address, family, port } = server.address() as AddressInfo;
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}
