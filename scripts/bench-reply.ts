import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../src/shared/redis-helpers.ts';
import { signedHeaders } from '../src/channels/generic/signature.ts';
import { loadHeldOut, utterancesOf } from '../src/nlu/load-corpora.ts';
import { startService, stopProcess } from './bench-service.ts';

/**
 * `npm run bench` (part 3): message-to-reply latency at a steady rate, the end-to-end rate the
 * service sustains, and its memory. Replies go to a local sink standing in for the shop's channel.
 * BENCH_ROLES picks the layout: `threads` (the default: one process, the workers in a thread of
 * their own, WORKER_THREADS=1), `one` (HTTP and workers on one event loop, WORKER_THREADS=0) or
 * `split` (two processes, WORKER_PROCESSES=1). The service runs with its defaults;
 * BENCH_INBOUND_CONCURRENCY sets INBOUND_CONCURRENCY, BENCH_WORKER_THREADS the threads layout's WORKER_THREADS.
 */
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/** BENCH_WORKER_THREADS: worker threads in the `threads` layout (the service's default is 1). */
const THREADS = process.env.BENCH_WORKER_THREADS ?? '1';
const LAYOUTS = {
  one: {
    env: { WORKER_PROCESSES: '0', WORKER_THREADS: '0' },
    label: 'one process, one event loop (WORKER_THREADS=0)',
  },
  split: {
    env: { WORKER_PROCESSES: '1', WORKER_THREADS: '0' },
    label: 'WORKER_PROCESSES=1: an HTTP process and a worker process',
  },
  threads: {
    env: { WORKER_PROCESSES: '0', WORKER_THREADS: THREADS },
    label: `WORKER_THREADS=${THREADS}: one process, HTTP on its main thread and the workers on ${THREADS === '1' ? 'a second' : `${THREADS} more`}`,
  },
};
const layoutName = (process.env.BENCH_ROLES ?? 'threads') as keyof typeof LAYOUTS;
const LAYOUT = LAYOUTS[layoutName];
if (!LAYOUT) throw new Error(`BENCH_ROLES: expected ${Object.keys(LAYOUTS).join(', ')}`);
const SPLIT = layoutName === 'split';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-secret-123';
const prefix = `bench-${randomUUID().slice(0, 8)}`;

/**
 * Real buyer texts: the held-out messages in all three languages (routine questions, haggling,
 * complaints, requests for a person), each the first message of a conversation of its own, so
 * each gets exactly one reply: an answer, a question back, or a hand-off notice.
 */
const TEXTS = (['zh', 'en', 'es'] as const).flatMap((lang) =>
  utterancesOf(loadHeldOut(lang)).map((u) => u.text),
);
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let replies = 0;
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const reply = JSON.parse(Buffer.concat(chunks).toString()) as { inReplyTo?: string };
    const t0 = reply.inReplyTo ? sentAt.get(reply.inReplyTo) : undefined;
    if (t0 !== undefined) {
      latencies.push(performance.now() - t0);
      sentAt.delete(reply.inReplyTo!);
    }
    replies += 1;
    res.writeHead(200).end();
  });
});
await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/send`;

const serviceEnv = {
  REDIS_URL,
  KEY_PREFIX: prefix,
  WEBHOOK_SECRET: SECRET,
  CHANNEL_SEND_URL: sinkUrl,
  ADMIN_TOKEN: 'bench-admin-token',
  AGENT_TOKENS: 'b:bench-token',
  FLOOD_PER_MINUTE: '100000',
  ...(process.env.BENCH_INBOUND_CONCURRENCY
    ? { INBOUND_CONCURRENCY: process.env.BENCH_INBOUND_CONCURRENCY }
    : {}),
};
const web = await startService({ ...serviceEnv, ROLE: 'all', ...LAYOUT.env });
/** The service's processes: the one started and the worker processes it started. */
const pids = () => [
  web.child.pid!,
  ...readFileSync(`/proc/${web.child.pid}/task/${web.child.pid}/children`, 'utf8')
    .split(' ')
    .filter(Boolean)
    .map(Number),
];
const rssOf = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // a process that has just exited
  }
};
let peakRss = 0;
const peakEach = [0, 0];
/** CPU time (user + system) a process has used so far, in ms (clock ticks of 10 ms); 0 when it can't be read. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
const serviceCpuMs = () => pids().reduce((sum, pid) => sum + cpuMs(pid), 0);
/**
 * Read and write system calls the service's processes made so far (all threads, from /proc/<pid>/io).
 * Socket reads and writes were the largest single cost in profiles, and their count per message
 * moves far less with a noisy host than CPU time does.
 */
function serviceSyscalls(): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const pid of pids()) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8');
      reads += Number(io.match(/^syscr: (\d+)/m)?.[1] ?? 0);
      writes += Number(io.match(/^syscw: (\d+)/m)?.[1] ?? 0);
    } catch {
      // not readable here: reported as 0
    }
  }
  return { reads, writes };
}
// Redis's own CPU, when it runs on this machine.
const redis = new Redis(REDIS_URL);
const redisPid = Number((await redis.info('server')).match(/process_id:(\d+)/)?.[1] ?? 0);
const redisLocal = redisPid > 0 && cpuMs(redisPid) > 0;
const rssTimer = setInterval(() => {
  const each = pids().map(rssOf);
  each.forEach((mb, i) => (peakEach[i] = Math.max(peakEach[i]!, mb)));
  peakRss = Math.max(
    peakRss,
    each.reduce((a, b) => a + b, 0),
  );
}, 200);

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const target = new URL(`${web.url}/v1/channels/generic/messages`);
let n = 0;
let refused = 0;
function send(): Promise<void> {
  const id = `bench-${n}`;
  const body = JSON.stringify({
    messageId: id,
    conversationId: `c-${n}`,
    buyer: { id: `b-${n}` },
    text: TEXTS[n % TEXTS.length],
    productId: 'p-1001',
  });
  n += 1;
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...signedHeaders(SECRET, body),
  };
  sentAt.set(id, performance.now());
  return new Promise((done) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers },
      (res) => {
        if (res.statusCode !== 202) refused += 1;
        res.resume();
        res.on('end', done);
      },
    );
    req.on('error', () => {
      refused += 1;
      done();
    });
    req.end(body);
  });
}

/** An open loop: `seconds` at `rate` msg/s, each sent when due whatever the service is doing. */
async function steadyLoad(rate: number, seconds: number): Promise<void> {
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send());
  }
  await Promise.all(inFlight);
}

// Phase 0: the same load for WARMUP seconds, not measured: a shop's service is warm (JIT, sockets) when a sale starts.
await steadyLoad(RATE, WARMUP);
const warmupSent = n;
const warmDeadline = performance.now() + 30_000;
while (replies < warmupSent - refused && performance.now() < warmDeadline)
  await new Promise((r) => setTimeout(r, 50));
latencies.length = 0;
refused = 0;

// Phase 1: open loop at RATE msg/s.
const cpuBefore = serviceCpuMs();
const syscallsBefore = serviceSyscalls();
const redisCpuBefore = cpuMs(redisPid);
await steadyLoad(RATE, SECONDS);
const steadySent = n - warmupSent;
const deadline = performance.now() + 30_000;
while (latencies.length < steadySent - refused && performance.now() < deadline)
  await new Promise((r) => setTimeout(r, 50));
const steady = [...latencies].sort((a, b) => a - b);
const cpuPerMessage = (serviceCpuMs() - cpuBefore) / steadySent;
const syscallsAfter = serviceSyscalls();
const perMessage = (n: number) => (n / steadySent).toFixed(1);
const redisCpuPerMessage = (cpuMs(redisPid) - redisCpuBefore) / steadySent;
const q = (xs: number[], p: number) => Math.round((xs[Math.floor(p * (xs.length - 1))] ?? NaN) * 10) / 10;

// Phase 2: as fast as it takes them, for SECONDS: replies per second end to end.
latencies.length = 0;
const repliesBefore = replies;
const t2 = performance.now();
const stopAt = t2 + SECONDS * 1000;
const refusedBefore2 = refused;
await Promise.all(
  Array.from({ length: 128 }, async () => {
    while (performance.now() < stopAt) await send();
  }),
);
const phase2Sent = n - steadySent - warmupSent;
const drainUntil = performance.now() + 30_000;
while (replies - repliesBefore < phase2Sent - (refused - refusedBefore2) && performance.now() < drainUntil)
  await new Promise((r) => setTimeout(r, 50));
const e2eSeconds = (performance.now() - t2) / 1000;
const e2eRate = Math.round((replies - repliesBefore) / e2eSeconds);

clearInterval(rssTimer);
await stopProcess(web.child);
agent.destroy();
sink.close();
await deleteKeysWithPrefix(redis, prefix);
redis.disconnect();

process.stdout.write(
  [
    `end to end (${LAYOUT.label}):`,
    `  message → reply at ${RATE} msg/s for ${SECONDS} s (after ${WARMUP} s of the same, not counted): p50 ${q(steady, 0.5)} ms, p99 ${q(steady, 0.99)} ms (${steady.length} of ${steadySent} answered, ${refused} refused)`,
    `  CPU per message at that rate: service ${cpuPerMessage.toFixed(3)} ms (all its processes, user + system)${redisLocal ? `, Redis ${redisCpuPerMessage.toFixed(3)} ms` : ''}`,
    `  system calls per message at that rate: ${perMessage(syscallsAfter.reads - syscallsBefore.reads)} reads, ${perMessage(syscallsAfter.writes - syscallsBefore.writes)} writes (all the service's threads: sockets to the webhook's client, Redis and the channel)`,
    `  sustained: ${e2eRate} replies/s (${phase2Sent} messages sent as fast as accepted, ${refused - refusedBefore2} refused, ${replies - repliesBefore} replies in ${e2eSeconds.toFixed(1)} s)`,
    `  peak RSS: ${Math.round(peakRss)} MB${SPLIT ? ` (web ${Math.round(peakEach[0]!)} MB, worker ${Math.round(peakEach[1]!)} MB)` : ''}`,
  ].join('\n') + '\n',
);
process.exit(0);
