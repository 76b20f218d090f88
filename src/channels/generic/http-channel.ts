import type { ChannelPort, OutboundMessage } from '../channel.ts';
import { ChannelSendError } from '../../shared/errors.ts';
import { signedHeaders } from './signature.ts';

/** POSTs each outbound message, signed, to the shop's CHANNEL_SEND_URL. */
export function createHttpChannel(options: { url: string; secret: string; timeoutMs: number }): ChannelPort {
  return {
    name: 'generic',
    async send(message: OutboundMessage) {
      const body = JSON.stringify(message);
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signedHeaders(options.secret, body) },
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        throw new ChannelSendError('channel unreachable', { cause: err });
      }
      await response.body?.cancel();
      if (!response.ok) throw new ChannelSendError(`channel answered ${response.status}`);
    },
  };
}
