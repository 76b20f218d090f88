import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { signedHeaders } from '../src/channels/generic/signature.ts';
import { runLoad } from './load.ts';
import { startProcess } from './bench-service.ts';
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

const echo = await startProcess('scripts/echo-server.ts', {});
const service = await startProcess('src/main.ts', { REDIS_URL, KEY_PREFIX: prefix, WEBHOOK_SECRET: SECRET, ADMIN_TOKEN: 'bench-admin-token', AGENT_TOKENS: 'b:bench-token' });
const serviceUrl = service.url;

let n = 0;
const message = () => {
  const body = JSON.stringify({ messageId: `bench-${n}`, conversationId: `c-${n % 5000}`, buyer: { id: `b-${n % 5000}` }, text: n % 2 ? '在吗' : 'what is the fabric?', productId: 'p-1001' });
  n += 1;
  return { body, headers: signedHeaders(SECRET, body) };
};

const warm = { connections: 10, seconds: 2 };
await runLoad({ url: `${echo.url}/echo`, bodies: message, ...warm });
const echoResult = await runLoad({ url: `${echo.url}/echo`, bodies: message, connections: CONNECTIONS, seconds: SECONDS });
await runLoad({ url: `${serviceUrl}/v1/channels/generic/messages`, bodies: message, ...warm });
const acceptResult = await runLoad({ url: `${serviceUrl}/v1/channels/generic/messages`, bodies: message, connections: CONNECTIONS, seconds: SECONDS });

echo.child.kill('SIGTERM');
service.child.kill('SIGTERM');
await new Promise((r) => service.child.once('exit', r));
const redis = new Redis(REDIS_URL);
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();

const ratio = Math.round((acceptResult.perSecond / echoResult.perSecond) * 100) / 100;
process.stdout.write(
  [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CONNECTIONS} connections, ${SECONDS} s each`,
    `bare Express echo : ${echoResult.perSecond} req/s  p50 ${echoResult.p50Ms} ms  p99 ${echoResult.p99Ms} ms  ${JSON.stringify(echoResult.statuses)}`,
    `webhook accept    : ${acceptResult.perSecond} req/s  p50 ${acceptResult.p50Ms} ms  p99 ${acceptResult.p99Ms} ms  ${JSON.stringify(acceptResult.statuses)}`,
    `accept / echo     : ${ratio}`,
  ].join('\n') + '\n',
);
