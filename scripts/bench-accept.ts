import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { signedHeaders } from '../src/channels/generic/signature.ts';
import { runLoad } from './load.ts';
import { startProcess, startService, stopProcess } from './bench-service.ts';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../src/shared/redis-helpers.ts';

/**
 * `npm run bench`: the webhook's accept path (verify, validate, dedupe, durable enqueue, 202)
 * against a bare Express JSON echo, in the same run, on the same machine.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-secret-123';
const prefix = `bench-${randomUUID().slice(0, 8)}`;

/**
 * The accept path twice: in one process with the workers (ROLE=all, the default), and in a web
 * process alone (ROLE=web, as a big-sale deployment runs it, with workers in other processes;
 * none run here, so the bench measures accepting only and the queue just grows).
 */
const echo = await startProcess('scripts/echo-server.ts', {});
let n = 0;
const message = () => {
  const body = JSON.stringify({ messageId: `bench-${n}`, conversationId: `c-${n % 5000}`, buyer: { id: `b-${n % 5000}` }, text: n % 2 ? '在吗' : 'what is the fabric?', productId: 'p-1001' });
  n += 1;
  return { body, headers: signedHeaders(SECRET, body) };
};
const warm = { connections: 10, seconds: 2 };
const measure = (url: string) => runLoad({ url, bodies: message, connections: CONNECTIONS, seconds: SECONDS });

await runLoad({ url: `${echo.url}/echo`, bodies: message, ...warm });
const echoResult = await measure(`${echo.url}/echo`);
const accept: Record<string, Awaited<ReturnType<typeof runLoad>>> = {};
for (const role of ['all', 'web']) {
  const service = await startService({ REDIS_URL, KEY_PREFIX: `${prefix}-${role}`, WEBHOOK_SECRET: SECRET, ADMIN_TOKEN: 'bench-admin-token', AGENT_TOKENS: 'b:bench-token', ROLE: role });
  const url = `${service.url}/v1/channels/generic/messages`;
  await runLoad({ url, bodies: message, ...warm });
  accept[role] = await measure(url);
  await stopProcess(service.child);
}
// The machine's speed drifts during a run: the echo is measured before and after, and the ratio
// is taken against the mean of the two.
const echoAfter = await measure(`${echo.url}/echo`);
await stopProcess(echo.child);
const redis = new Redis(REDIS_URL);
for (const role of Object.keys(accept)) await deleteKeysWithPrefix(redis, `${prefix}-${role}`);
redis.disconnect();

const echoMean = (echoResult.perSecond + echoAfter.perSecond) / 2;
const ratio = (r: { perSecond: number }) => Math.round((r.perSecond / echoMean) * 100) / 100;
const line = (label: string, r: Awaited<ReturnType<typeof runLoad>>) => `${label}: ${r.perSecond} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  ${JSON.stringify(r.statuses)}`;
process.stdout.write(
  [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CONNECTIONS} connections, ${SECONDS} s each`,
    line('bare Express echo (before)        ', echoResult),
    line('bare Express echo (after)         ', echoAfter),
    line('webhook accept, ROLE=all          ', accept.all!),
    line('webhook accept, ROLE=web (no workers)', accept.web!),
    `accept / echo (mean of before and after): ${ratio(accept.all!)} (ROLE=all), ${ratio(accept.web!)} (ROLE=web)`,
  ].join('\n') + '\n',
);
