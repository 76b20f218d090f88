import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { listeningSockets } from '../helpers/listening-sockets.ts';
import { deletePrefix, uniquePrefix } from '../helpers/redis.ts';
import { ServiceProcess } from '../helpers/service-process.ts';
import { ADMIN, adminHeaders, buyerMessage, SECRET, signedPost, waitFor } from '../helpers/service.ts';

/** Running, not exited (an exited orphan may linger as a zombie where nothing reaps it). */
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/** The pids of the worker processes `npm start` reported starting, in order. */
const workerPids = (service: ServiceProcess) =>
  [...service.stdout.matchAll(/"pid":(\d+)[^\n]*worker process started/g)].map((m) => Number(m[1]));

/** `npm start` with WORKER_PROCESSES: HTTP in the process started, the workers in processes of their own. */
describe('WORKER_PROCESSES', () => {
  const channel = new FakeChannel(SECRET);
  const prefix = uniquePrefix();
  let env: Record<string, string>;

  beforeAll(async () => {
    // A message Redis hands to a worker in the instant it is killed is taken over after WORKER_LOCK_MS
    // (30 s by default); a short lock keeps the test short.
    env = {
      KEY_PREFIX: prefix,
      WEBHOOK_SECRET: SECRET,
      CHANNEL_SEND_URL: await channel.start(),
      WORKER_PROCESSES: '2',
      WORKER_LOCK_MS: '2000',
      ADMIN_TOKEN: ADMIN,
    };
  });
  afterAll(async () => {
    await channel.stop();
    await deletePrefix(prefix);
  });

  const health = async (service: ServiceProcess) => {
    const response = await fetch(`${service.url}/healthz`);
    const body = (await response.json()) as { checks?: { workerProcesses?: boolean } };
    return { status: response.status, workerProcesses: body.checks?.workerProcesses ?? response.ok };
  };
  const metricsCheck = async (service: ServiceProcess) =>
    Number(
      (await (await fetch(`${service.url}/metrics`, { headers: adminHeaders() })).text()).match(
        /^xiaoer_health_check\{check="workerProcesses"\} (\d)/m,
      )?.[1],
    );

  const answered = async (service: ServiceProcess) => {
    const message = buyerMessage({ text: '在吗' });
    expect((await signedPost(`${service.url}/v1/channels/generic/messages`, message)).status).toBe(202);
    return waitFor(() => channel.to(message.conversationId)[0], 15_000, 'an answer');
  };

  it('answers through its worker processes, starts one again after a kill -9, and stops them all on SIGTERM', async () => {
    const service = new ServiceProcess(env);
    await service.start();
    try {
      // Its port is open, but the worker processes are still starting: not healthy yet.
      expect(await health(service)).toEqual({ status: 503, workerProcesses: false });
      await waitFor(
        async () => (await health(service)).status === 200,
        20_000,
        '/healthz ok once both worker processes report ok',
      );
      expect(await metricsCheck(service)).toBe(1);
      const [first, second] = await waitFor(
        () => (workerPids(service).length === 2 ? workerPids(service) : undefined),
        15_000,
        'two worker processes',
      );
      // The worker processes report over IPC and open no port: only HOST:PORT listens.
      expect([first!, second!].map(listeningSockets)).toEqual([[], []]);
      expect(listeningSockets(service.pid!)).toEqual([`127.0.0.1:${new URL(service.url).port}`]);
      await answered(service);

      // The admin API's classify goes to a worker process; with none ready it is refused, not
      // answered by a classifier the HTTP process would have to train.
      const classify = () =>
        fetch(`${service.url}/v1/nlu/classify`, {
          method: 'POST',
          headers: adminHeaders(),
          body: JSON.stringify({ text: '这件衣服什么面料' }),
        });
      expect(await (await classify()).json()).toMatchObject({ intent: 'product.fabric', language: 'zh' });
      for (const pid of [first!, second!]) process.kill(pid, 'SIGSTOP');
      await waitFor(
        async () => (await health(service)).workerProcesses === false,
        10_000,
        'no worker process ready',
      );
      await waitFor(
        async () => ((await health(service)).status === 503 ? true : undefined),
        10_000,
        'both silent',
      );
      const refused = await classify();
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: { code: 'WORKERS_UNAVAILABLE' } });
      for (const pid of [first!, second!]) process.kill(pid, 'SIGCONT');
      await waitFor(
        async () => (await health(service)).status === 200,
        10_000,
        '/healthz ok once they report again',
      );

      // A worker process that stops reporting (here: stopped; in life: a stuck event loop) is not ready.
      process.kill(second!, 'SIGSTOP');
      await waitFor(
        async () => (await health(service)).workerProcesses === false,
        10_000,
        '/healthz failing while a worker process is silent',
      );
      process.kill(second!, 'SIGCONT');
      await waitFor(
        async () => (await health(service)).status === 200,
        10_000,
        '/healthz ok once it reports again',
      );

      process.kill(first!, 'SIGKILL');
      await waitFor(
        async () => (await health(service)).workerProcesses === false,
        5_000,
        '/healthz failing while a worker process is down',
      );
      expect(await metricsCheck(service)).toBe(0);
      const [, , third] = await waitFor(
        () => (workerPids(service).length === 3 ? workerPids(service) : undefined),
        15_000,
        'the killed worker started again',
      );
      expect(service.stdout).toMatch(/worker process exited; starting it again/);
      await waitFor(
        async () => (await health(service)).status === 200,
        20_000,
        '/healthz ok again once the new worker process is ready',
      );
      process.kill(second!, 'SIGKILL');
      await answered(service);
      const started = await waitFor(
        () => (workerPids(service).length === 4 ? workerPids(service) : undefined),
        15_000,
        'the second killed worker started again',
      );
      expect(started.slice(2).every(alive)).toBe(true);
      expect(third).toBe(started[2]);

      expect(await service.stop('SIGTERM')).toBe(0);
      await waitFor(
        () => (started.some(alive) ? undefined : true),
        5_000,
        'every worker process to stop with it',
      );
    } finally {
      await service.stop('SIGKILL');
    }
  }, 120_000);

  it('takes its worker processes with it when it is killed -9', async () => {
    const service = new ServiceProcess(env);
    await service.start();
    const pids = await waitFor(
      () => (workerPids(service).length === 2 ? workerPids(service) : undefined),
      15_000,
      'two worker processes',
    );
    await service.stop('SIGKILL');
    await waitFor(() => (pids.some(alive) ? undefined : true), 15_000, 'the orphaned workers to stop');
  }, 40_000);
});
