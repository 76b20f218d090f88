import type { ChannelPort, ChannelPorts } from '../channels/channel.ts';
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
  ports: ChannelPorts;
}

export function buildChannels(
  config: Config,
  redis: RedisClient,
  k: Keys,
  options: { genericPort?: ChannelPort | undefined } = {},
): Channels {
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
  return {
    generic,
    telegram,
    ports: {
      ...(generic.port ? { generic: generic.port } : {}),
      ...(telegram ? { telegram: telegram.port } : {}),
    },
  };
}
