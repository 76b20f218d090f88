import express, { Router } from 'express';
import { GenericMessageSchema, GenericOrderEventSchema } from '../channels/generic/generic-schema.ts';
import { verifySignature } from '../channels/generic/signature.ts';
import type { OrderEvents } from '../orders/order-queue.ts';
import type { InboundQueue } from '../queue/inbound-queue.ts';
import { parseJsonOr400, parseOr400 } from './validate.ts';
import type { Metrics } from '../stats/prom-metrics.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;
const BODY_LIMIT = '64kb';

/**
 * The generic channel: verify the signature on the raw bytes, parse, validate, queue durably,
 * answer 202. The real work happens in the workers.
 */
export interface MessageWebhookDeps {
  secret: string;
  inbound: InboundQueue;
  metrics: Pick<Metrics, 'accepted'>;
}

/** The message webhook's work once the body is read, whichever server read it (fast-webhook.ts serves it too). */
export async function acceptSignedMessage(
  deps: MessageWebhookDeps,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<{ accepted: true; duplicate: boolean }> {
  verifySignature(deps.secret, headers, body);
  const message = parseOr400(GenericMessageSchema, parseJsonOr400(body), 'message');
  const { duplicate } = await deps.inbound.accept('generic', message);
  if (!duplicate) deps.metrics.accepted.inc({ channel: 'generic' });
  return { accepted: true, duplicate };
}

export function webhookRoutes(deps: MessageWebhookDeps & { orders: OrderEvents }): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });

  router.post('/v1/channels/generic/messages', raw, async (req, res) => {
    res.status(202).json(await acceptSignedMessage(deps, req.headers, rawBody(req.body)));
  });

  router.post('/v1/channels/generic/orders', raw, async (req, res) => {
    const body = rawBody(req.body);
    verifySignature(deps.secret, req.headers, body);
    const event = parseOr400(GenericOrderEventSchema, parseJsonOr400(body), 'order event');
    const { duplicate } = await deps.orders.accept('generic', event);
    res.status(202).json({ accepted: true, duplicate });
  });

  return router;
}

function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
