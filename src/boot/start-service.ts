import { parseWorkHours } from '../desk/working-hours.ts';
import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deskCards, quickReplies } from '../desk/quick-replies.ts';
import type { ChannelPort } from '../channels/channel.ts';
import type { Config } from '../config.ts';
import { createRequestListener, healthOnlyApp, type HealthReport } from '../http/app.ts';
import { answerUnparsableRequest } from '../http/error-middleware.ts';
import { SECURITY_HEADERS } from '../http/security-headers.ts';
import type { Classifier } from '../nlu/classifier.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import { createMetrics, type CounterValues } from '../stats/prom-metrics.ts';
import { buildChannels } from './build-channels.ts';
import { buildKnowledge } from './build-knowledge.ts';
import { buildQueues } from './build-queues.ts';
import { buildStores, startCatalogSync } from './build-stores.ts';
import { buildUseCases } from './build-use-cases.ts';
import { startQueueWorkers } from './build-workers.ts';
import { openConnections } from './connections.ts';
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
  const server = await listen(
    (req, res) => (ready ? ready(req, res) : starting(res)),
    config.PORT,
    options.host ?? config.HOST,
  );
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
  res.end(
    JSON.stringify({ ok: false, error: { code: 'STARTING', message: 'xiaoer is starting', details: [] } }),
  );
}

async function build(
  config: Config,
  options: StartOptions,
  server: Server | undefined,
  serve: (app: RequestListener) => void,
): Promise<RunningService> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  // Training is CPU-bound: finish it before any Redis connection is made, so none waits behind it and times out.
  const knowledge = await buildKnowledge(config, {
    clock,
    corporaDir: options.corporaDir,
    intentsDir: options.intentsDir,
    classifier: options.classifier,
  });
  const { catalog, intents, classifier } = knowledge;
  const connections = await openConnections(config, { log, startedByParent: options.startedByParent });
  const k = keys(config.KEY_PREFIX);
  const catalogSync = await startCatalogSync(
    config,
    connections.producer,
    k.catalog(),
    knowledge.ownCatalog,
    log,
  );
  const queues = await buildQueues(config, connections, k, log);
  const metrics = createMetrics(queues.views, () => health(), options.workerCounters);
  const stores = buildStores(config, connections, k, { metrics, log });
  const channels = buildChannels(
    config,
    connections.producer,
    k,
    clock,
    {
      inbound: queues.inbound,
      wecomSync: queues.wecomSync,
      metrics,
      conversations: stores.workerConversations,
      log,
    },
    { genericPort: options.channel },
  );
  const useCases = buildUseCases(config, {
    knowledge,
    stores,
    queues,
    metrics,
    channels: channels.ports,
    channelLimits: channels.limits,
    k,
    clock,
    log,
  });
  // ROLE=web serves HTTP only, ROLE=worker runs the workers only (with /healthz), ROLE=all both.
  const workers =
    config.ROLE !== 'web'
      ? await startQueueWorkers(config, {
          connections,
          k,
          queues,
          stores,
          useCases,
          metrics,
          wecomSync: channels.wecom?.sync,
          log,
        })
      : undefined;

  const health = () => {
    const checks = {
      nlu: true,
      redis: connections.producer.status === 'ready',
      workers: workers?.running() ?? true,
      ...options.extraChecks?.(),
    };
    return { ok: Object.values(checks).every(Boolean), checks };
  };
  const app =
    config.ROLE === 'worker'
      ? healthOnlyApp(health)
      : createRequestListener({
          genericChannel: channels.generic,
          platformChannels: channels.platforms,
          adminToken: config.ADMIN_TOKEN,
          metricsToken: config.METRICS_TOKEN ?? config.ADMIN_TOKEN,
          inbound: queues.inbound,
          orderEvents: queues.orderEvents,
          catalog,
          conversations: stores.conversations,
          queues: queues.views,
          orders: stores.orders,
          stats: stores.stats,
          refused: stores.refused,
          catalogSync,
          metrics,
          desk: useCases.desk,
          waitingNow: () => useCases.desk.waitingNow(),
          clock,
          saveLabel: (label) => stores.handoffs.saveLabel(label),
          shifts: { workHours: parseWorkHours(config.WORK_HOURS), timeZone: config.SHOP_TZ },
          deskEvents: stores.deskEvents,
          agents: config.AGENT_TOKENS,
          quickReplies: (view) =>
            quickReplies(intents, catalog, {
              language: view.handoff.language,
              ...(view.product ? { product: catalog.product(view.product.id)! } : {}),
              ...(view.order ? { order: view.order } : {}),
              now: clock.now(),
              timeZone: config.SHOP_TZ,
            }),
          cards: (view) =>
            deskCards(catalog, {
              language: view.handoff.language,
              ...(view.product ? { product: catalog.product(view.product.id)! } : {}),
              ...(view.order ? { order: view.order } : {}),
            }),
          draftReply: async (view) => {
            const lastBuyer = [...view.messages].reverse().find((m) => m.from === 'buyer');
            return lastBuyer && view.conversation
              ? useCases.draftReply(lastBuyer.text, view.conversation, view.order)
              : undefined;
          },
          classify: useCases.classify,
          limits: { perIpPerMinute: config.IP_RATE_PER_MINUTE },
          webChat: stores.webChats
            ? {
                chats: stores.webChats,
                events: stores.webChatEvents,
                limits: {
                  sendPerMinute: config.CHAT_RATE_PER_MINUTE,
                  readPerMinute: config.CHAT_POLL_PER_MINUTE,
                  startPerMinute: config.CHAT_NEW_PER_ADDRESS_PER_MINUTE,
                },
              }
            : undefined,
          log,
          health,
        });
  serve(app);
  const url = server ? urlOf(server) : '';
  const redisInfo = connections.redis;
  log.info(
    {
      ...(url ? { url } : {}),
      role: config.ROLE,
      redis: redisInfo.embedded ? 'private' : redisInfo.target.kind,
      channels: Object.keys(channels.ports).join(',') || 'store-only',
    },
    config.ROLE === 'worker' ? 'xiaoer workers running' : 'xiaoer is accepting messages',
  );

  let stopped = false;
  let closing: Promise<void> | undefined;
  const stopAccepting = () => {
    // The desk pages' event streams end first: the server's close waits for every open request.
    closing ??= Promise.all([stores.deskEvents.close(), stores.webChatEvents.close()]).then(() =>
      server
        ? new Promise<void>((done) => server.close(() => done())).then(() => server.closeAllConnections())
        : undefined,
    );
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
      catalogSync.stop();
      await stopAccepting();
      await workers?.close();
      await stores.stats.close();
      await queues.close();
      await connections.close();
      log.info('stopped');
    },
  };
}

/** Slow or oversized requests are cut off instead of holding sockets: limits a shop can live with. */
function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(
    { maxHeaderSize: 16 * 1024, requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 65_000 },
    handler,
  );
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
