import type { OrderEvent } from '../../orders/order-event.ts';
import { parseJsonBody as parseJson, validated } from '../../shared/parse-input.ts';
import type { ChannelInbound, ChannelPort, WebhookRequest } from '../channel.ts';
import { GenericMessageSchema, GenericOrderEventSchema } from './generic-schema.ts';
import { createHttpChannel } from './http-channel.ts';
import { verifySignature } from './signature.ts';

/** The generic signed webhook (CONTRACT.md): one message or order event a request, HMAC over the raw bytes. */
export interface GenericChannel extends ChannelInbound {
  readonly id: 'generic';
  /** The order webhook: the shop's platform's order events come through it. */
  readOrderEvent(request: WebhookRequest): OrderEvent;
  /** POSTs to CHANNEL_SEND_URL, signed; absent without one (messages are then only stored). */
  port: ChannelPort | undefined;
}

export function createGenericChannel(options: {
  secret: string;
  sendUrl?: string | undefined;
  timeoutMs: number;
  /** Replaces the port built from `sendUrl` (tests pass their own fake shop). */
  port?: ChannelPort | undefined;
}): GenericChannel {
  const read = <T>(request: WebhookRequest, parse: (json: unknown) => T): T => {
    verifySignature(options.secret, request.headers, request.body);
    return parse(parseJson(request.body));
  };
  return {
    id: 'generic',
    readMessages: (request) => [read(request, (json) => validated(GenericMessageSchema, json, 'message'))],
    readOrderEvent: (request) =>
      read(request, (json) => validated(GenericOrderEventSchema, json, 'order event')),
    port:
      options.port ??
      (options.sendUrl
        ? createHttpChannel({ url: options.sendUrl, secret: options.secret, timeoutMs: options.timeoutMs })
        : undefined),
  };
}
