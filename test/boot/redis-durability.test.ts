import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createProducerConnection, waitUntilReady } from '../../src/boot/redis-connection.ts';
import { checkRedisDurability } from '../../src/boot/redis-durability.ts';
import { SERVICE_ARGS } from '../helpers/built-service.ts';
import { RedisCluster } from '../helpers/redis-cluster.ts';
import { allAnswer, freePort, RedisProcess, stopChild } from '../helpers/redis-process.ts';
import { uniquePrefix } from '../helpers/redis.ts';
import { ServiceProcess } from '../helpers/service-process.ts';
import { waitFor } from '../helpers/wait.ts';

const WARNING = /has neither the append-only file \(appendonly no\) nor a connected replica/;

const serviceEnv = (redisUrl: string) => ({
  REDIS_URL: redisUrl,
  KEY_PREFIX: uniquePrefix(),
  LOG_LEVEL: 'info',
});

/** Runs the built service until it exits by itself (a refused start). */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, SERVICE_ARGS, {
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}

describe('Redis durability at start', () => {
  const servers: RedisProcess[] = [];
  const services: ServiceProcess[] = [];
  const ownRedis = async (appendonly: boolean) => {
    const redis = new RedisProcess({ appendonly });
    servers.push(redis);
    await redis.start();
    return redis;
  };
  /** The service as npm start runs it (with its default worker thread), until /healthz says ok. */
  const startService = async (env: Record<string, string>) => {
    const service = new ServiceProcess(env);
    services.push(service);
    await service.start();
    await service.ready();
    return service;
  };

  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop('SIGTERM');
  });
  afterAll(async () => {
    for (const r of servers) {
      await r.stop();
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('warns once, naming the fix, when Redis keeps accepted messages in memory only', async () => {
    const redis = await ownRedis(false);
    const service = await startService(serviceEnv(redis.url));
    const warnings = service.stdout.split('\n').filter((line) => WARNING.test(line));
    expect(warnings).toHaveLength(1); // the main thread says it; the worker thread does not repeat it
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40 });
    expect(warnings[0]).toMatch(/appendonly yes/);
    expect(warnings[0]).toMatch(/appendfsync always/);
    expect(warnings[0]).toMatch(/REDIS_REQUIRE_DURABLE=true/);
  }, 40_000);

  it('refuses to start with REDIS_REQUIRE_DURABLE=true, naming the problem', async () => {
    const redis = await ownRedis(false);
    const { code, output } = await runToExit({ ...serviceEnv(redis.url), REDIS_REQUIRE_DURABLE: 'true' });
    expect(code).toBe(1);
    expect(output).toMatch(
      /xiaoer could not start: REDIS_REQUIRE_DURABLE is on, and Redis 127\.0\.0\.1:\d+ has neither the append-only file/,
    );
    expect(output).toMatch(/appendonly yes/);
    expect(output).not.toMatch(/accepting messages/);
  }, 40_000);

  it('starts without a warning when the append-only file is on, even with REDIS_REQUIRE_DURABLE=true', async () => {
    const redis = await ownRedis(true);
    const service = await startService({ ...serviceEnv(redis.url), REDIS_REQUIRE_DURABLE: 'true' });
    expect(service.stdout).not.toMatch(WARNING);
    expect(service.stdout).toMatch(/redis durability: accepted messages survive a Redis crash/);
  }, 40_000);

  it('counts a connected replica as protection', async () => {
    const primary = await ownRedis(false);
    const port = await freePort();
    const replica = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        primary.dir,
        '--dbfilename',
        `replica-${port}.rdb`,
        '--appendonly',
        'no',
        '--save',
        '',
        '--replicaof',
        '127.0.0.1',
        String(primary.port),
      ],
      { stdio: 'ignore' },
    );
    try {
      expect(await allAnswer([replica], [port])).toBe(true);
      const probe = new Redis(primary.url);
      await waitFor(
        async () => /connected_slaves:1/.test(await probe.info('replication')),
        10_000,
        'the replica to connect',
      );
      probe.disconnect();
      const { lines, log } = capturedLog();
      const producer = createProducerConnection({ kind: 'single', url: primary.url });
      await waitUntilReady(producer);
      const nodes = await checkRedisDurability(producer, { require: true, log });
      producer.disconnect();
      expect(nodes).toEqual([{ node: `127.0.0.1:${primary.port}`, aof: false, replicas: 1 }]);
      expect(lines.join('')).not.toMatch(WARNING);
    } finally {
      await stopChild(replica);
    }
  }, 30_000);
});

describe('Redis durability on a Cluster', () => {
  const cluster = new RedisCluster();
  let stop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await stop?.();
    await cluster.stop();
  });

  it('reads every primary and names the one without the append-only file', async () => {
    await cluster.start(3);
    const exposedPort = cluster.ports[1]!;
    const node = new Redis(exposedPort, '127.0.0.1');
    await node.config('SET', 'appendonly', 'no');
    node.disconnect();
    const producer = createProducerConnection({ kind: 'cluster', nodes: cluster.nodes.split(',') });
    stop = async () => producer.disconnect();
    await waitUntilReady(producer, 10_000);
    const { lines, log } = capturedLog();
    const nodes = await checkRedisDurability(producer, { require: false, log });
    expect(nodes.map((n) => n.node).sort()).toEqual(cluster.ports.map((p) => `127.0.0.1:${p}`).sort());
    const warnings = lines.filter((l) => WARNING.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`Redis 127.0.0.1:${exposedPort} has neither`);
    await expect(checkRedisDurability(producer, { require: true, log })).rejects.toThrow(
      /REDIS_REQUIRE_DURABLE is on/,
    );
  }, 90_000);
});

function capturedLog() {
  const lines: string[] = [];
  return { lines, log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) };
}
