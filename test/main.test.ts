import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_ARGS } from './helpers/built-service.ts';
import { listeningSockets } from './helpers/listening-sockets.ts';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis.ts';
import { RedisProcess } from './helpers/redis-process.ts';
import { ServiceProcess } from './helpers/service-process.ts';

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, SERVICE_ARGS, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describe('npm start', () => {
  it('stops with a message naming the variable when a setting is bad', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty', REMINDER_AT: '3pm' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT/);
    expect(stderr).toMatch(/REMINDER_AT/);
  }, 30_000);

  it('stops with a message naming the file when the catalog is invalid', async () => {
    const { code, stderr } = await runMain({ CATALOG_FILE: 'package.json' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/CATALOG_FILE package.json is invalid/);
  }, 30_000);
});

/** Secrets and tokens of 16+ characters: what production asks for. */
const OWN = {
  WEBHOOK_SECRET: 'whsec-0123456789abcdef',
  ADMIN_TOKEN: 'admin-0123456789abcdef',
  AGENT_TOKENS: 'ann:ann-0123456789abcdef,bo:bo-0123456789abcdef',
};
/** '' is unset, whatever the environment the tests run in says. */
const UNSET = {
  HOST: '',
  NODE_ENV: '',
  WEBHOOK_SECRET: '',
  ADMIN_TOKEN: '',
  AGENT_TOKENS: '',
  METRICS_TOKEN: '',
};

describe('demo mode and production', () => {
  it('refuses NODE_ENV=production with the public demo values, naming every one', async () => {
    const { code, stderr } = await runMain({ ...UNSET, NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/refusing to start with NODE_ENV=production/);
    for (const name of ['WEBHOOK_SECRET', 'ADMIN_TOKEN', 'AGENT_TOKENS'])
      expect(stderr).toMatch(new RegExp(`${name}: not set`));
  }, 30_000);

  it.each(['WEBHOOK_SECRET', 'ADMIN_TOKEN', 'AGENT_TOKENS'] as const)(
    'refuses HOST=0.0.0.0 while %s is its public demo value, naming it alone',
    async (name) => {
      const { code, stderr } = await runMain({ ...UNSET, ...OWN, HOST: '0.0.0.0', [name]: '' });
      expect(code).toBe(1);
      expect(stderr).toMatch(/refusing to start with HOST=0.0.0.0 \(not a loopback address\)/);
      expect(stderr).toMatch(new RegExp(`${name}: not set`));
      expect(stderr.match(/: not set/g)).toHaveLength(1);
    },
    30_000,
  );

  it('refuses a secret or token under 16 characters outside loopback, naming each', async () => {
    const { code, stderr } = await runMain({
      ...UNSET,
      ...OWN,
      HOST: '::',
      WEBHOOK_SECRET: 'short-secret',
      AGENT_TOKENS: 'ann:ann-0123456789abcdef,bo:bo-token',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/WEBHOOK_SECRET: shorter than 16 characters/);
    expect(stderr).toMatch(/AGENT_TOKENS: the token of agent "bo" is shorter than 16 characters/);
    expect(stderr).not.toMatch(/agent "ann"|ADMIN_TOKEN/);
    expect(stderr).not.toMatch(/bo-token/); // names the agent, never prints the token
  }, 30_000);

  it('starts as a demo on 127.0.0.1 alone with no settings, says so once, and listens nowhere else', async () => {
    const prefix = uniquePrefix();
    const service = new ServiceProcess({ ...UNSET, REDIS_URL: TEST_REDIS_URL, KEY_PREFIX: prefix });
    try {
      await service.start();
      await service.ready();
      expect(new URL(service.url).hostname).toBe('127.0.0.1');
      expect(listeningSockets(service.pid!)).toEqual([`127.0.0.1:${new URL(service.url).port}`]);
      // Once, from the main thread (the worker thread reads the same settings and says nothing).
      expect(
        service.stdout.match(
          /demo mode: WEBHOOK_SECRET, AGENT_TOKENS, ADMIN_TOKEN are their public demo values, so xiaoer listens on 127.0.0.1 \(this machine\) only/g,
        ),
      ).toHaveLength(1);
      expect(await service.stop('SIGTERM')).toBe(0);
    } finally {
      await service.stop('SIGKILL');
      await deletePrefix(prefix);
    }
  }, 60_000);

  it('starts with NODE_ENV=production once every secret is its own, without the demo notice', async () => {
    const prefix = uniquePrefix();
    const service = new ServiceProcess({
      ...UNSET,
      ...OWN,
      NODE_ENV: 'production',
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: prefix,
      WORKER_THREADS: '0',
    });
    try {
      await service.start();
      await service.ready();
      expect(listeningSockets(service.pid!)).toEqual([`127.0.0.1:${new URL(service.url).port}`]);
      expect(service.stdout).not.toMatch(/demo mode/);
      expect(
        (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${OWN.ADMIN_TOKEN}` } }))
          .status,
      ).toBe(200);
    } finally {
      await service.stop('SIGKILL');
      await deletePrefix(prefix);
    }
  }, 60_000);

  it('a ROLE=worker process answers /healthz on HOST:PORT and listens nowhere else', async () => {
    const prefix = uniquePrefix();
    const service = new ServiceProcess({
      ...UNSET,
      ...OWN,
      ROLE: 'worker',
      REDIS_URL: TEST_REDIS_URL,
      KEY_PREFIX: prefix,
    });
    try {
      await service.start();
      await service.ready();
      expect(listeningSockets(service.pid!)).toEqual([`127.0.0.1:${new URL(service.url).port}`]);
    } finally {
      await service.stop('SIGKILL');
      await deletePrefix(prefix);
    }
  }, 60_000);
});

describe('/healthz while starting', () => {
  it('answers 503 until the service accepts messages, then 200', async () => {
    // Redis comes up only after the port is open, so the service is caught half-started.
    const redis = new RedisProcess();
    redis.port = await freePort();
    const child = spawn(process.execPath, SERVICE_ARGS, {
      env: { ...process.env, PORT: '0', REDIS_URL: redis.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await new Promise<number>((done, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('no port')), 20_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = out.match(/"port":(\d+)/);
          if (m) {
            clearTimeout(timer);
            done(Number(m[1]));
          }
        });
      });
      const early = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(early.status).toBe(503);
      expect(await early.json()).toMatchObject({ ok: false });
      await redis.start();
      let status = 0;
      for (let i = 0; i < 200 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      }
      expect(status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await redis.stop();
    }
  }, 30_000);
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}
