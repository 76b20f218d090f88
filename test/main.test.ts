import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_ARGS } from './helpers/built-service.ts';
import { RedisProcess } from './helpers/redis-process.ts';

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, SERVICE_ARGS, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
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

describe('/healthz while starting', () => {
  it('answers 503 until the service accepts messages, then 200', async () => {
    // Redis comes up only after the port is open, so the service is caught half-started.
    const redis = new RedisProcess();
    redis.port = await freePort();
    const child = spawn(process.execPath, SERVICE_ARGS, { env: { ...process.env, PORT: '0', REDIS_URL: redis.url }, stdio: ['ignore', 'pipe', 'pipe'] });
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
