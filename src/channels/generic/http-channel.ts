import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ChannelPort } from '../channel.ts';
import type { OutboundMessage } from '../message.ts';
import { ChannelSendError } from '../../shared/errors.ts';
import { signedHeaders } from './signature.ts';

/**
 * POSTs each outbound message, signed, to the shop's CHANNEL_SEND_URL. node:http with a keep-alive
 * agent rather than fetch: in a CPU profile under load, fetch (undici, web streams, AbortSignal)
 * cost more than the whole use case that produced the message.
 */
export function createHttpChannel(options: { url: string; secret: string; timeoutMs: number }): ChannelPort {
  const url = new URL(options.url);
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  return {
    id: 'generic',
    async send(message: OutboundMessage, timeoutMs = options.timeoutMs) {
      // The contract's fields only: a reminder's productName is for platforms' templates.
      const body = JSON.stringify(message.productName === undefined ? message : withoutProductName(message));
      const headers = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...signedHeaders(options.secret, body),
      };
      let response: IncomingMessage;
      try {
        response = await new Promise((done, fail) => {
          const req = request(url, { method: 'POST', agent, headers, timeout: timeoutMs }, done);
          req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
          req.on('error', fail);
          req.end(body);
        });
      } catch (err) {
        throw new ChannelSendError('channel unreachable', { cause: err });
      }
      // The body is not read but drained, so the socket is reused; the status already decided the outcome.
      response.on('error', () => undefined).resume();
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) throw new ChannelSendError(`channel answered ${status}`);
    },
  };
}

function withoutProductName(message: OutboundMessage): OutboundMessage {
  const { productName: _forTemplates, ...contract } = message;
  return contract;
}
