import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { RedisUnavailableError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import {
  DEFAULT_REDIS_URL,
  explicitTarget,
  redisAnswers,
  withScheme,
  type RedisConfig,
  type RedisTarget,
} from './redis-connection.ts';

export interface ResolvedRedis {
  target: RedisTarget;
  /** The single Redis's URL, or (for logs) the first cluster node or Sentinel. */
  url: string;
  /** Stops the private redis-server, if we started one. */
  stop(): Promise<void>;
  embedded: boolean;
}

export interface ResolveRedisOptions {
  config: RedisConfig;
  defaultUrl?: string;
  dataDir?: string;
  redisServerCommand?: string;
  log: Logger;
}

/**
 * REDIS_CLUSTER_NODES, REDIS_SENTINELS or REDIS_URL, whichever is set. None: the local default if it answers, else a private redis-server from PATH
 * with its data (append-only file on) under .data/, else a message on how to get Redis.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<ResolvedRedis> {
  const none = async () => undefined;
  const external = (target: RedisTarget): ResolvedRedis => ({
    target,
    url: describe(target),
    stop: none,
    embedded: false,
  });
  const configured = explicitTarget(options.config);
  if (configured) return external(configured);
  const defaultUrl = options.defaultUrl ?? DEFAULT_REDIS_URL;
  if (await redisAnswers(defaultUrl)) return external({ kind: 'single', url: defaultUrl });
  options.log.warn(
    { defaultUrl },
    'no Redis answers at the default address; starting a private redis-server',
  );
  return startPrivateRedis(options);
}

function describe(target: RedisTarget): string {
  if (target.kind === 'single') return target.url;
  return withScheme(target.kind === 'cluster' ? target.nodes[0]! : target.sentinels[0]!);
}

async function startPrivateRedis(options: ResolveRedisOptions): Promise<ResolvedRedis> {
  const dir = resolve(options.dataDir ?? '.data');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const command = options.redisServerCommand ?? 'redis-server';
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const spawnError = await new Promise<Error | undefined>((done) => {
    child.once('error', done);
    child.once('spawn', () => done(undefined));
  });
  if (spawnError) {
    throw new RedisUnavailableError(
      'No Redis found. Set REDIS_URL to your Redis (for example redis://127.0.0.1:6379), ' +
        'or install Redis so that redis-server is on PATH: `sudo apt-get install redis-server` ' +
        '(Debian/Ubuntu), `brew install redis` (macOS).',
      { cause: spawnError },
    );
  }
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(url, 300))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new RedisUnavailableError(`the private redis-server did not start (exit code ${child.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  options.log.info({ url, dir }, 'private redis-server started');
  return { target: { kind: 'single', url }, url, stop: () => stopChild(child), embedded: true };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM'); // redis-server flushes the append-only file on SIGTERM
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
