import type { ChannelLimits, ChannelPort, ChannelPorts } from '../channels/channel.ts';
import { createRedisReplyWindows } from '../channels/redis-reply-window.ts';
import {
  createWhatsAppChannel,
  WHATSAPP_WINDOW_MS,
  type WhatsAppChannel,
} from '../channels/whatsapp/whatsapp-channel.ts';
import type { Clock } from '../shared/clock.ts';
import type { ConversationStore } from '../conversations/conversation-store.ts';
import { createRedisWeComState } from '../channels/wecom/redis-wecom-state.ts';
import { createWeComChannel, type WeComChannel } from '../channels/wecom/wecom-channel.ts';
import type { WeComSyncQueue } from '../channels/wecom/wecom-sync-queue.ts';
import type { InboundQueue } from '../queue/inbound-queue.ts';
import type { Logger } from '../shared/logger.ts';
import type { Metrics } from '../stats/prom-metrics.ts';
import { createGenericChannel, type GenericChannel } from '../channels/generic/generic-channel.ts';
import { createRedisSendPace } from '../channels/redis-send-pace.ts';
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram/telegram-channel.ts';
import type { Config } from '../config.ts';
import type { Keys } from '../shared/keys.ts';
import type { RedisClient } from '../shared/redis-client.ts';

/** Telegram asks for no more than about one message a second in one chat. */
const TELEGRAM_CHAT_INTERVAL_MS = 1_000;

/** The channels the shop connected: their webhooks in, their ports out. The web chat needs no port. */
export interface Channels {
  generic: GenericChannel;
  /** Switched on by its settings (TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET). */
  telegram: TelegramChannel | undefined;
  /** Switched on by its four settings (WHATSAPP_PHONE_NUMBER_ID, _ACCESS_TOKEN, _APP_SECRET, _VERIFY_TOKEN). */
  whatsapp: WhatsAppChannel | undefined;
  ports: ChannelPorts;
  /** The platforms' rules on what may be sent when (WhatsApp's window). */
  limits: ChannelLimits;
  /** The platforms' channels switched on, each with its webhook at /v1/channels/<id>/webhook. */
  platforms: readonly (TelegramChannel | WhatsAppChannel | WeComChannel)[];
  /** Switched on by WECOM_CORP_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_AES_KEY. */
  wecom: WeComChannel | undefined;
}

export function buildChannels(
  config: Config,
  redis: RedisClient,
  k: Keys,
  clock: Clock,
  deps: {
    inbound: Pick<InboundQueue, 'accept'>;
    wecomSync: Pick<WeComSyncQueue, 'add'> | undefined;
    metrics: Pick<Metrics, 'accepted'>;
    conversations: Pick<ConversationStore, 'markUndelivered'>;
    log: Logger;
  },
  options: { genericPort?: ChannelPort | undefined } = {},
): Channels {
  const { inbound, wecomSync, metrics, conversations, log } = deps;
  const generic = createGenericChannel({
    secret: config.WEBHOOK_SECRET,
    sendUrl: config.CHANNEL_SEND_URL,
    timeoutMs: config.CHANNEL_TIMEOUT_MS,
    port: options.genericPort,
  });
  const telegram =
    config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET
      ? createTelegramChannel({
          botToken: config.TELEGRAM_BOT_TOKEN,
          webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
          apiBase: config.TELEGRAM_API_BASE,
          timeoutMs: config.CHANNEL_TIMEOUT_MS,
          pace: createRedisSendPace(redis, k, 'telegram', {
            perSecond: config.TELEGRAM_SENDS_PER_SECOND,
            chatIntervalMs: TELEGRAM_CHAT_INTERVAL_MS,
          }),
        })
      : undefined;
  const whatsapp =
    config.WHATSAPP_PHONE_NUMBER_ID &&
    config.WHATSAPP_ACCESS_TOKEN &&
    config.WHATSAPP_APP_SECRET &&
    config.WHATSAPP_VERIFY_TOKEN
      ? createWhatsAppChannel({
          phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
          accessToken: config.WHATSAPP_ACCESS_TOKEN,
          appSecret: config.WHATSAPP_APP_SECRET,
          verifyToken: config.WHATSAPP_VERIFY_TOKEN,
          apiBase: config.WHATSAPP_API_BASE,
          reminderTemplate: config.WHATSAPP_REMINDER_TEMPLATE,
          timeoutMs: config.CHANNEL_TIMEOUT_MS,
          windows: createRedisReplyWindows(redis, k, WHATSAPP_WINDOW_MS),
          pace: createRedisSendPace(redis, k, 'whatsapp', {
            perSecond: config.WHATSAPP_SENDS_PER_SECOND,
            chatIntervalMs: 0,
          }),
          now: () => clock.now(),
        })
      : undefined;
  const wecom =
    config.WECOM_CORP_ID && config.WECOM_SECRET && config.WECOM_TOKEN && config.WECOM_AES_KEY && wecomSync
      ? createWeComChannel({
          corpId: config.WECOM_CORP_ID,
          secret: config.WECOM_SECRET,
          token: config.WECOM_TOKEN,
          aesKey: config.WECOM_AES_KEY,
          apiBase: config.WECOM_API_BASE,
          timeoutMs: config.CHANNEL_TIMEOUT_MS,
          state: createRedisWeComState(redis, k),
          handoff: config.WECOM_HANDOFF,
          pull: (job) => wecomSync.add(job),
          accept: async (message, quiet) => {
            const { duplicate } = await inbound.accept('wecom', message, quiet ? { quiet } : {});
            if (!duplicate) metrics.accepted.inc({ channel: 'wecom' });
          },
          undelivered: (conversationId, messageId, reason) =>
            conversations.markUndelivered(conversationId, messageId, reason),
          now: () => clock.now(),
          log,
        })
      : undefined;
  return {
    generic,
    telegram,
    whatsapp,
    wecom,
    ports: {
      ...(generic.port ? { generic: generic.port } : {}),
      ...(telegram ? { telegram: telegram.port } : {}),
      ...(whatsapp ? { whatsapp: whatsapp.port } : {}),
      ...(wecom ? { wecom: wecom.port } : {}),
    },
    limits: {
      ...(whatsapp ? { whatsapp: whatsapp.limits } : {}),
      ...(wecom ? { wecom: wecom.limits } : {}),
    },
    platforms: [telegram, whatsapp, wecom].filter((c) => c !== undefined),
  };
}
