import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { signedHeaders } from '../../src/channels/generic/signature.ts';
import { loadConfig } from '../../src/config.ts';
import { toLocal } from '../../src/shared/zoned-time.ts';
import { createLogger, silentLogger, type Logger } from '../../src/shared/logger.ts';
import { startService, type RunningService } from '../../src/boot/start-service.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { afterAll, beforeAll } from 'vitest';
import { FakeChannel } from './fake-channel.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './redis.ts';
import { waitFor } from './wait.ts';

export const SECRET = 'test-secret-123';
export const ADMIN = 'test-admin-token';
export const FIXTURE_CATALOG = fileURLToPath(new URL('../fixtures/catalog.json', import.meta.url));

export interface TestService extends RunningService {
  prefix: string;
  close(): Promise<void>;
}

/** The real service (HTTP, BullMQ workers, NLU) on port 0, with its own key prefix. */
export async function startTestService(
  env: Record<string, string> = {},
  options: { log?: Logger; clock?: Clock } = {},
): Promise<TestService> {
  const prefix = env.KEY_PREFIX ?? uniquePrefix();
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: TEST_REDIS_URL,
    KEY_PREFIX: prefix,
    WEBHOOK_SECRET: SECRET,
    ADMIN_TOKEN: ADMIN,
    AGENT_TOKENS: 'ann:ann-token',
    LOG_LEVEL: 'silent',
    // Every test posts from 127.0.0.1: the per-address start limit is tested on its own.
    CHAT_NEW_PER_ADDRESS_PER_MINUTE: '1000',
    ...env,
  });
  // TEST_LOG_LEVEL=error (or debug) shows the service's own log when a test needs looking into.
  const log =
    options.log ??
    (process.env.TEST_LOG_LEVEL
      ? createLogger({ level: process.env.TEST_LOG_LEVEL, destination: 2 })
      : silentLogger());
  const service = await startService(config, {
    log,
    host: '127.0.0.1',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ...service,
    prefix,
    async close() {
      await service.stop();
      await deletePrefix(prefix);
    },
  };
}

type Env = Record<string, string>;

/**
 * The setup most service tests share: a fake shop channel and the real service sending to it,
 * started before the file's (or describe block's) tests and stopped after them. `env` may be a
 * function, read when the service starts. `service` stands for the running service from then on.
 */
export function useTestService(
  env: Env | (() => Env | Promise<Env>) = {},
  options: { log?: Logger; clock?: Clock } = {},
): { service: TestService; channel: FakeChannel } {
  const channel = new FakeChannel(SECRET);
  let running: TestService | undefined;
  beforeAll(async () => {
    const extra = typeof env === 'function' ? await env() : env;
    running = await startTestService({ CHANNEL_SEND_URL: await channel.start(), ...extra }, options);
  });
  afterAll(async () => {
    await running?.close();
    await channel.stop();
  });
  const service = new Proxy({} as TestService, {
    get(_target, key) {
      if (!running)
        throw new Error(`the test service is not running: read service.${String(key)} inside a test`);
      const value = Reflect.get(running, key) as unknown;
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
  return { service, channel };
}

export function buyerMessage(
  fields: Partial<{
    messageId: string;
    conversationId: string;
    text: string;
    productId: string;
    buyerId: string;
  }> = {},
) {
  return {
    messageId: fields.messageId ?? `m-${randomUUID()}`,
    conversationId: fields.conversationId ?? `c-${randomUUID()}`,
    buyer: { id: fields.buyerId ?? 'buyer-1', name: '小王' },
    text: fields.text ?? '在吗',
    ...(fields.productId ? { productId: fields.productId } : {}),
  };
}

/** POSTs a body signed as the channel would sign it. */
export async function signedPost(
  url: string,
  body: unknown,
  options: { secret?: string; nowMs?: number; raw?: string } = {},
): Promise<Response> {
  const raw = options.raw ?? JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedHeaders(options.secret ?? SECRET, raw, options.nowMs),
    },
    body: raw,
  });
}

export { sleep, waitFor } from './wait.ts';

/** The desk's headers for an agent whose token is `<agent>-token` (the tests' AGENT_TOKENS). */
export function agentHeaders(agent: string): Record<string, string> {
  return { authorization: `Bearer ${agent}-token`, 'content-type': 'application/json' };
}

export function adminHeaders(): Record<string, string> {
  return { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
}

/** A REMINDER_AT (HH:MM:SS) that the shop's clock in `timeZone` shows `seconds` from now. */
export function localTimeIn(seconds: number, timeZone = 'Asia/Shanghai'): string {
  const l = toLocal(new Date(Date.now() + seconds * 1000), timeZone);
  return [l.hour, l.minute, l.second].map((n) => String(n).padStart(2, '0')).join(':');
}

export interface FailedOutboxMessage {
  jobId: string;
  failedReason: string;
  message: { conversationId: string; kind: string };
}

/** A conversation's message in the outbox's failed list (GET /v1/admin/outbox/failed), once it is there. */
export function failedOutboxMessage(
  service: { url: string },
  conversationId: string,
): Promise<FailedOutboxMessage> {
  return waitFor(async () => {
    const list = await fetch(`${service.url}/v1/admin/outbox/failed`, { headers: adminHeaders() }).then((r) =>
      r.json(),
    );
    return (list.failed as FailedOutboxMessage[]).find((f) => f.message.conversationId === conversationId);
  });
}

/** Why an order's reminder was skipped (GET /v1/admin/orders/:id), once it was. */
export function skippedReminder(
  service: { url: string },
  orderId: string,
  timeoutMs = 12_000,
): Promise<string> {
  return waitFor(
    async () => {
      const o = await fetch(`${service.url}/v1/admin/orders/${orderId}`, { headers: adminHeaders() }).then(
        (r) => r.json(),
      );
      return o.order?.reminder?.skipped as string | undefined;
    },
    timeoutMs,
    `the reminder of ${orderId} skipped`,
  );
}

/** A buyer's lines in one new conversation (the first names `productId`), each sent once the previous one was answered; the texts the channel got. */
export async function talk(
  service: { url: string },
  channel: FakeChannel,
  lines: string[],
  productId = 't-1',
): Promise<string[]> {
  const conversationId = `c-${randomUUID()}`;
  for (const [i, text] of lines.entries()) {
    await signedPost(
      `${service.url}/v1/channels/generic/messages`,
      buyerMessage({ conversationId, text, ...(i === 0 ? { productId } : {}) }),
    );
    await waitFor(() => (channel.to(conversationId).length > i ? true : undefined), 8_000, `answer ${i + 1}`);
  }
  return channel.to(conversationId).map((m) => m.text);
}

/** One buyer message, once the service has answered it (one more message to the buyer). */
export async function say(
  service: { url: string },
  channel: FakeChannel,
  conversationId: string,
  text: string,
  fields: Partial<{ buyerId: string }> = {},
): Promise<void> {
  const before = channel.to(conversationId).length;
  await signedPost(
    `${service.url}/v1/channels/generic/messages`,
    buyerMessage({ conversationId, text, ...fields }),
  );
  await waitFor(
    () => (channel.to(conversationId).length > before ? true : undefined),
    8_000,
    `an answer to ${text}`,
  );
}

/** GET /v1/stats for one day of the shop (today without one). */
export async function statsOn(service: { url: string }, day?: string) {
  const range = day ? `?from=${day}&to=${day}` : '';
  return (await fetch(`${service.url}/v1/stats${range}`, { headers: adminHeaders() })).json();
}
