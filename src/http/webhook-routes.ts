import express, { Router } from 'express';
import type { ChannelInbound } from '../channels/channel.ts';
import type { GenericChannel } from '../channels/generic/generic-channel.ts';
import type { OrderEvents } from '../orders/order-queue.ts';
import type { InboundQueue } from '../queue/inbound-queue.ts';
import type { Metrics } from '../stats/prom-metrics.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;
const BODY_LIMIT = '64kb';

/**
 * The generic channel: its adapter verifies the signature on the raw bytes and reads the message;
 * here it is queued durably and answered 202. The real work happens in the workers.
 */
export interface MessageWebhookDeps {
  channel: Pick<GenericChannel, 'id' | 'readMessages' | 'readOrderEvent'>;
  inbound: InboundQueue;
  metrics: Pick<Metrics, 'accepted'>;
}

/** A message webhook's work once the body is read, whichever server read it (fast-webhook.ts serves it too). */
export async function acceptSignedMessage(
  deps: Omit<MessageWebhookDeps, 'channel'> & { channel: ChannelInbound },
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  query?: Record<string, unknown>,
): Promise<{ accepted: true; duplicate: boolean }> {
  const { channel } = deps;
  let duplicate = false;
  for (const message of await channel.readMessages({ headers, body, ...(query ? { query } : {}) })) {
    const accepted = await deps.inbound.accept(channel.id, message);
    if (!accepted.duplicate) deps.metrics.accepted.inc({ channel: channel.id });
    duplicate ||= accepted.duplicate;
  }
  return { accepted: true, duplicate };
}

export function webhookRoutes(
  deps: MessageWebhookDeps & { orders: OrderEvents; platforms: readonly ChannelInbound[] },
): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });

  router.post('/v1/channels/generic/messages', raw, async (req, res) => {
    res.status(202).json(await acceptSignedMessage(deps, req.headers, rawBody(req.body)));
  });

  router.post('/v1/channels/generic/orders', raw, async (req, res) => {
    const event = deps.channel.readOrderEvent({ headers: req.headers, body: rawBody(req.body) });
    const { duplicate } = await deps.orders.accept(deps.channel.id, event);
    res.status(202).json({ accepted: true, duplicate });
  });

  // A platform retries until it gets a 2xx: 200 once every message in the update is queued
  // (an update with none, such as a photo or an edit, too), 401 for a bad signature.
  for (const channel of deps.platforms) {
    const path = `/v1/channels/${channel.id}/${channel.path ?? 'webhook'}`;
    router.post(path, raw, async (req, res) => {
      await acceptSignedMessage({ ...deps, channel }, req.headers, rawBody(req.body), req.query);
      res.status(200).json({ ok: true });
    });
    const { handshake } = channel;
    if (handshake)
      router.get(path, (req, res) => {
        const answer = handshake(req.query as Record<string, unknown>);
        if (answer === undefined) res.status(403).type('text/plain').send('forbidden');
        else res.status(200).type('text/plain').send(answer);
      });
  }

  return router;
}

function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
