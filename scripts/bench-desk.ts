import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../src/channels/generic/signature.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/shared/logger.ts';
import { startService } from '../src/boot/start-service.ts';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../src/shared/redis-helpers.ts';

/**
 * Claim latency: from a buyer's message that needs a person to the moment a waiting agent
 * (polling the claim endpoint) holds it; and the time of one claim request.
 */
const ROUNDS = Number(process.env.BENCH_HANDOFFS ?? 50);
const prefix = `bench-${randomUUID().slice(0, 8)}`;
const secret = 'bench-secret-123';
const config = loadConfig({
  PORT: '0',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  KEY_PREFIX: prefix,
  WEBHOOK_SECRET: secret,
  ADMIN_TOKEN: 'bench-admin-token',
  AGENT_TOKENS: 'ann:ann-token',
  WORK_HOURS: '00:00-24:00',
  LOG_LEVEL: 'silent',
});
const service = await startService(config, { log: silentLogger(), host: '127.0.0.1' });
const agent = { authorization: 'Bearer ann-token' };

const endToEnd: number[] = [];
const claimCall: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const body = JSON.stringify({
    messageId: `m-${i}-${randomUUID()}`,
    conversationId: `c-${randomUUID()}`,
    buyer: { id: `b-${i}` },
    text: '我要人工客服',
  });
  const t0 = performance.now();
  await fetch(`${service.url}/v1/channels/generic/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) },
    body,
  });
  for (;;) {
    const c0 = performance.now();
    const res = await fetch(`${service.url}/v1/desk/handoffs/claim`, { method: 'POST', headers: agent });
    claimCall.push(performance.now() - c0);
    if (res.status === 200) {
      await res.json();
      endToEnd.push(performance.now() - t0);
      break;
    }
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 5));
  }
}
await service.stop();
const redis = new Redis(config.REDIS_URL!);
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();

const q = (xs: number[], p: number) =>
  Math.round([...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]! * 10) / 10;
process.stdout.write(
  `desk: buyer message → claimed by a polling agent: p50 ${q(endToEnd, 0.5)} ms, p99 ${q(endToEnd, 0.99)} ms (n ${ROUNDS}); one claim request p50 ${q(claimCall, 0.5)} ms\n`,
);
process.exit(0);
