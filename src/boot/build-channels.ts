import type { ChannelPort, ChannelPorts } from '../channels/channel.ts';
import { createGenericChannel, type GenericChannel } from '../channels/generic/generic-channel.ts';
import type { Config } from '../config.ts';

/** The channels the shop connected: their webhooks in, their ports out. The web chat needs no port. */
export interface Channels {
  generic: GenericChannel;
  ports: ChannelPorts;
}

export function buildChannels(
  config: Config,
  options: { genericPort?: ChannelPort | undefined } = {},
): Channels {
  const generic = createGenericChannel({
    secret: config.WEBHOOK_SECRET,
    sendUrl: config.CHANNEL_SEND_URL,
    timeoutMs: config.CHANNEL_TIMEOUT_MS,
    port: options.genericPort,
  });
  return { generic, ports: generic.port ? { generic: generic.port } : {} };
}
