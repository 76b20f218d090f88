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
 * The accept path three times: with the workers in a thread of the same process (WORKER_THREADS=1,
 * the default), with them on the same event loop (WORKER_THREADS=0), and in a web process alone
 * (ROLE=web, as the HTTP process of WORKER_PROCESSES or a scaled-out deployment runs it; no
 * workers run there, so it measures accepting only and the queue just grows). Where workers run,
 * they answer what comes in meanwhile, on the same 2 cores as the load and Redis.
 */
const LAYOUTS: { name: string; label: string; env: Record<string, string> }[] = [
  {
    name: 'threads',
    label: 'webhook accept, WORKER_THREADS=1 (default)',
    env: { ROLE: 'all', WORKER_THREADS: '1' },
  },
  {
    name: 'one',
    label: 'webhook accept, WORKER_THREADS=0 (one loop)',
    env: { ROLE: 'all', WORKER_THREADS: '0' },
  },
  { name: 'web', label: 'webhook accept, ROLE=web (no workers)', env: { ROLE: 'web' } },
];
const echo = await startProcess('scripts/echo-server.ts', {});
let n = 0;
const message = () => {
  const body = JSON.stringify({
    messageId: `bench-${n}`,
    conversationId: `c-${n % 5000}`,
    buyer: { id: `b-${n % 5000}` },
    text: n % 2 ? '在吗' : 'what is the fabric?',
    productId: 'p-1001',
  });
  n += 1;
  return { body, headers: signedHeaders(SECRET, body) };
};
const warm = { connections: 10, seconds: 2 };
const measure = (url: string) =>
  runLoad({ url, bodies: message, connections: CONNECTIONS, seconds: SECONDS });

await runLoad({ url: `${echo.url}/echo`, bodies: message, ...warm });
const echoResult = await measure(`${echo.url}/echo`);
const accept: Record<string, Awaited<ReturnType<typeof runLoad>>> = {};
for (const layout of LAYOUTS) {
  const service = await startService({
    REDIS_URL,
    KEY_PREFIX: `${prefix}-${layout.name}`,
    WEBHOOK_SECRET: SECRET,
    ADMIN_TOKEN: 'bench-admin-token',
    AGENT_TOKENS: 'b:bench-token',
    ...layout.env,
  });
  const url = `${service.url}/v1/channels/generic/messages`;
  await runLoad({ url, bodies: message, ...warm });
  accept[layout.name] = await measure(url);
  await stopProcess(service.child);
}
// The machine's speed drifts during a run: the echo is measured before and after, and the ratio
// is taken against the mean of the two.
const echoAfter = await measure(`${echo.url}/echo`);
await stopProcess(echo.child);
const redis = new Redis(REDIS_URL);
for (const name of Object.keys(accept)) await deleteKeysWithPrefix(redis, `${prefix}-${name}`);
redis.disconnect();

const echoMean = (echoResult.perSecond + echoAfter.perSecond) / 2;
const ratio = (r: { perSecond: number }) => Math.round((r.perSecond / echoMean) * 100) / 100;
const line = (label: string, r: Awaited<ReturnType<typeof runLoad>>) =>
  `${label}: ${r.perSecond} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  ${JSON.stringify(r.statuses)}`;
process.stdout.write(
  [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CONNECTIONS} connections, ${SECONDS} s each`,
    line('bare Express echo (before)'.padEnd(42), echoResult),
    line('bare Express echo (after)'.padEnd(42), echoAfter),
    ...LAYOUTS.map((layout) => line(layout.label.padEnd(42), accept[layout.name]!)),
    `accept / echo (mean of before and after): ${LAYOUTS.map((layout) => `${ratio(accept[layout.name]!)} (${layout.name})`).join(', ')}`,
  ].join('\n') + '\n',
);
