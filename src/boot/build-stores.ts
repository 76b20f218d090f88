import { createCatalogSync, type CatalogSync } from '../catalog/catalog-sync.ts';
import type { SwappableCatalog } from '../catalog/json-catalog.ts';
import { createRedisWebChatStore } from '../channels/web/redis-web-chat-store.ts';
import type { WebChatStore } from '../channels/web/web-chat-store.ts';
import type { Config } from '../config.ts';
import type { ConversationStore } from '../conversations/conversation-store.ts';
import { createRedisConversationStore } from '../conversations/redis-conversation-store.ts';
import type { HandoffStore } from '../desk/handoff-store.ts';
import { createRedisHandoffStore } from '../desk/redis-handoff-store.ts';
import type { DeskEvents } from '../desk/desk-events.ts';
import { createRedisTopic } from '../shared/redis-topic.ts';
import type { Topic } from '../shared/topic.ts';
import { catalogRuleProblems } from './check-shop-texts.ts';
import { createRedisRefusedLog } from '../guard/redis-refused-log.ts';
import type { RefusedLog } from '../guard/refused-log.ts';
import type { OrderStore } from '../orders/order-store.ts';
import { createRedisOrderStore } from '../orders/redis-order-store.ts';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import { createRedisStatsStore } from '../stats/redis-stats-store.ts';
import type { StatsStore } from '../stats/stats-store.ts';
import type { Connections } from './connections.ts';

export interface Stores {
  /** On the webhook's fail-fast connection: for the HTTP routes. */
  conversations: ConversationStore;
  /** On a connection that waits out a Redis restart: for workers and use cases. */
  workerConversations: ConversationStore;
  /** The connection the workers' stores use. */
  storeConnection: RedisClient;
  orders: OrderStore;
  handoffs: HandoffStore;
  /** Hand-offs and messages the desk pages are told of at once, across instances. */
  deskEvents: DeskEvents;
  /** Web chats with something new (the id), heard by the instance serving the buyer's page. */
  webChatEvents: Topic<string>;
  refused: RefusedLog;
  stats: StatsStore;
  /** The built-in web chat's visitors, when WEB_CHAT is on. */
  webChats: WebChatStore | undefined;
}

/** Every instance on one catalog: an admin's PUT or a changed CATALOG_FILE is in effect everywhere within seconds. */
export async function startCatalogSync(
  config: Config,
  redis: RedisClient,
  key: string,
  catalog: SwappableCatalog,
  log: Logger,
): Promise<CatalogSync> {
  const catalogSync = createCatalogSync({
    redis,
    key,
    file: config.CATALOG_FILE,
    catalog,
    log,
    checkMs: config.CATALOG_CHECK_MS,
    rules: (c) => catalogRuleProblems(c, config.SHOP_DOMAINS),
  });
  await catalogSync.start();
  return catalogSync;
}

export function buildStores(
  config: Config,
  connections: Connections,
  k: Keys,
  deps: { metrics: Metrics; log: Logger },
): Stores {
  const { log } = deps;
  const historySeconds = config.HISTORY_TTL_HOURS * 3600;
  const webChatTtlSeconds = config.WEB_CHAT_TTL_HOURS * 3600;
  const orderRetentionSeconds = config.ORDER_RETENTION_DAYS * 24 * 3600;
  // Workers keep their state on a connection that waits out a Redis restart instead of failing.
  const storeConnection = connections.workerConnection('store', 'auto-pipeline');
  const webChatEvents = createRedisTopic<string>(
    storeConnection,
    () => connections.workerConnection('web-chat-events'),
    k.webChatEvents(),
    log,
  );
  const webChatChanged = (conversationId: string) => webChatEvents.publish(conversationId);
  const redisStats = createRedisStatsStore(storeConnection, k, config.SHOP_TZ);
  const stats: StatsStore = {
    ...redisStats,
    async message(count) {
      if (count.botAnswered?.firstToday) deps.metrics.botAnswered.inc();
      if (count.notUnderstood) deps.metrics.notUnderstood.inc({ kind: count.notUnderstood });
      await redisStats.message(count);
    },
    async botOutcome(conversationId, changes) {
      for (const { from, to } of changes) {
        if (to) deps.metrics.botNotResolved.inc({ sign: to });
        if (from) deps.metrics.botNotResolvedUndone.inc({ sign: from });
      }
      await redisStats.botOutcome(conversationId, changes);
    },
    async handoff(reason, at) {
      deps.metrics.handoffs.inc({ reason });
      await redisStats.handoff(reason, at);
    },
    async waitBreach(line, at) {
      deps.metrics.waitBreaches.inc({ line });
      await redisStats.waitBreach(line, at);
    },
    async unanswered(question) {
      deps.metrics.unanswered.inc({ reason: question.reason });
      await redisStats.unanswered(question);
    },
    async satisfactionAsked(agent, at) {
      deps.metrics.satisfactionAsked.inc({ agent });
      await redisStats.satisfactionAsked(agent, at);
    },
    async satisfaction(agent, score, at) {
      deps.metrics.satisfactionAnswers.inc({ agent });
      deps.metrics.satisfactionScore.inc({ agent }, score);
      await redisStats.satisfaction(agent, score, at);
    },
  };
  return {
    conversations: createRedisConversationStore(
      connections.producer,
      k,
      historySeconds,
      log,
      webChatTtlSeconds,
      webChatChanged,
    ),
    workerConversations: createRedisConversationStore(
      storeConnection,
      k,
      historySeconds,
      log,
      webChatTtlSeconds,
      webChatChanged,
    ),
    storeConnection,
    orders: createRedisOrderStore(storeConnection, k, orderRetentionSeconds, config.SHOP_TZ),
    handoffs: createRedisHandoffStore(storeConnection, k, orderRetentionSeconds, webChatTtlSeconds),
    deskEvents: createRedisTopic(
      storeConnection,
      () => connections.workerConnection('desk-events'),
      k.deskEvents(),
      log,
    ),
    webChatEvents,
    refused: createRedisRefusedLog(storeConnection, k, log),
    stats,
    webChats: config.WEB_CHAT
      ? createRedisWebChatStore(connections.producer, k, {
          ttlSeconds: webChatTtlSeconds,
          newPerMinute: config.WEB_CHAT_NEW_PER_MINUTE,
        })
      : undefined,
  };
}
