import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import { adminRoutes, type AdminDeps } from './admin-routes.ts';
import { chatRoutes, type WebChatDeps } from './chat-routes.ts';
import { errorMiddleware, notFound } from './error-middleware.ts';
import { webhookRoutes } from './webhook-routes.ts';
import type { ChannelInbound } from '../channels/channel.ts';
import type { GenericChannel } from '../channels/generic/generic-channel.ts';
import { deskRoutes, type DeskRouteDeps } from './desk-routes.ts';
import { rateLimit, requestLimiter } from './rate-limit.ts';
import { fastMessageWebhook } from './fast-webhook.ts';
import { securityHeaders } from './security-headers.ts';
import { requireBearer } from './auth.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { OrderEvents } from '../orders/order-queue.ts';
import type { InboundQueue } from '../queue/inbound-queue.ts';

const webPage = (name: string) => fileURLToPath(new URL(`../../web/${name}`, import.meta.url));
const DASHBOARD_PAGE = webPage('dashboard.html');
const ORDERS_PAGE = webPage('orders.html');
const WEB_ASSETS = new Set(['api.js', 'common.css', 'desk.js', 'dashboard.js', 'orders.js']);
/** The pages, for their Content-Security-Policy (chat-routes.ts and desk-routes.ts serve theirs). */
const PAGES = {
  '/chat': webPage('chat.html'),
  '/desk': webPage('desk.html'),
  '/dashboard': DASHBOARD_PAGE,
  '/orders': ORDERS_PAGE,
};

export interface HealthReport {
  ok: boolean;
  checks: Record<string, boolean>;
}

export interface AppDeps extends AdminDeps, DeskRouteDeps {
  metrics: Metrics;
  limits: { perIpPerMinute: number };
  /** The public web chat (/chat and /v1/chat); unset: switched off (WEB_CHAT=off), both answer 404. */
  webChat: Pick<WebChatDeps, 'chats' | 'limits' | 'events'> | undefined;
  /** The generic signed webhook's adapter. */
  genericChannel: GenericChannel;
  /** The platforms' channels the shop switched on, each at /v1/channels/<id>/webhook. */
  platformChannels: readonly ChannelInbound[];
  /** Bearer token /metrics asks for: METRICS_TOKEN, else ADMIN_TOKEN. */
  metricsToken: string;
  inbound: InboundQueue;
  orderEvents: OrderEvents;
  catalog: Catalog;
  health(): HealthReport;
  log: Logger;
}

/**
 * What the server runs: the message webhook straight from node:http (fast-webhook.ts), the rest
 * through Express. Both count against the same per-address limit for /v1.
 */
export function createRequestListener(deps: AppDeps): RequestListener {
  const apiLimit = requestLimiter({ bucket: 'the API', perMinute: deps.limits.perIpPerMinute });
  const app = createApp(deps, apiLimit.middleware);
  const fast = fastMessageWebhook({
    channel: deps.genericChannel,
    inbound: deps.inbound,
    metrics: deps.metrics,
    limit: apiLimit.check,
    log: deps.log,
  });
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}

/** All HTTP: the channel webhook, admin API, web chat and health. No business logic lives here. */
export function createApp(
  deps: AppDeps,
  apiLimit: RequestHandler = rateLimit({ bucket: 'the API', perMinute: deps.limits.perIpPerMinute }),
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders(PAGES));

  app.get('/healthz', healthRoute(deps.health));
  app.get(
    '/metrics',
    requireBearer(
      deps.metricsToken,
      'metrics bearer token required (METRICS_TOKEN, or ADMIN_TOKEN while that is unset)',
    ),
    async (_req, res) => {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.render());
    },
  );
  app.get('/dashboard', (_req, res) => res.sendFile(DASHBOARD_PAGE));
  app.get('/orders', (_req, res) => res.sendFile(ORDERS_PAGE));
  // The pages' shared scripts and styles: only these files, never a path the client makes up.
  app.get('/web/:file', (req, res, next) => {
    const file = req.params.file;
    if (WEB_ASSETS.has(file)) res.sendFile(webPage(file));
    else next();
  });
  app.use('/v1', apiLimit);
  app.use(
    webhookRoutes({
      channel: deps.genericChannel,
      platforms: deps.platformChannels,
      inbound: deps.inbound,
      orders: deps.orderEvents,
      metrics: deps.metrics,
    }),
  );
  app.use(adminRoutes(deps));
  app.use(deskRoutes(deps));
  if (deps.webChat)
    app.use(
      chatRoutes({
        catalog: deps.catalog,
        inbound: deps.inbound,
        conversations: deps.conversations,
        ...deps.webChat,
      }),
    );
  app.use(notFound);
  app.use(errorMiddleware(deps.log));
  return app;
}

/** A worker process (ROLE=worker) answers only /healthz, so an orchestrator can still probe it. */
export function healthOnlyApp(health: () => HealthReport): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({}));
  app.get('/healthz', healthRoute(health));
  app.use(notFound);
  return app;
}

/** 200 {"ok":true} once NLU, Redis and the workers are ready; 503 with the failing checks otherwise. */
function healthRoute(health: () => HealthReport): RequestHandler {
  return (_req, res) => {
    const report = health();
    res.status(report.ok ? 200 : 503).json(report.ok ? { ok: true } : { ok: false, checks: report.checks });
  };
}
