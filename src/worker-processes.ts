import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from './shared/logger.ts';

const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A worker that ran this long before it exited is restarted at once again, not after a longer wait. */
const HEALTHY_RUN_MS = 60_000;
const STOP_WAIT_MS = 15_000;
/** A worker process reports its health each second; one silent for this long (stuck, or gone) is not ready. */
const HEALTH_REPORT_MS = 1_000;
const HEALTH_STALE_MS = 3_000;

export interface WorkerProcesses {
  /** Worker processes running now. */
  running(): number;
  /** Worker processes whose last health report, within 3 s, was ok (trained, Redis reachable, workers running). */
  ready(): number;
  /** SIGTERM to each (they finish their jobs), SIGKILL after 15 s; resolves when all have exited. */
  stop(): Promise<void>;
}

/** What a worker process sends its parent over IPC each second: its /healthz verdict. */
interface WorkerHealthMessage {
  type: 'xiaoer-worker-health';
  ok: boolean;
}

const isHealthMessage = (m: unknown): m is WorkerHealthMessage => typeof m === 'object' && m !== null && (m as WorkerHealthMessage).type === 'xiaoer-worker-health';

/**
 * In a worker process: tells the process that started it its /healthz verdict every second. A
 * worker whose event loop is stuck stops reporting, and the parent counts it as not ready.
 */
export function reportHealthToParent(health: () => { ok: boolean }): void {
  const report = () => {
    if (process.connected) process.send!({ type: 'xiaoer-worker-health', ok: health().ok } satisfies WorkerHealthMessage, undefined, {}, () => undefined);
  };
  report();
  setInterval(report, HEALTH_REPORT_MS).unref();
}

/**
 * `npm start` with WORKER_PROCESSES=N: this process serves HTTP (ROLE=web) and runs N copies of
 * itself as ROLE=worker, each on its own event loop (on its own core, where there is one). A
 * worker that exits is started again, after 1 s, doubling to 30 s while it keeps failing. Each
 * child has an IPC channel to this process: if this one dies, even by kill -9, they stop too.
 */
export function startWorkerProcesses(count: number, log: Logger): WorkerProcesses {
  const children = new Set<ChildProcess>();
  /** When each worker process last reported ok. */
  const okAt = new Map<ChildProcess, number>();
  let stopping = false;

  function start(slot: number, delayMs: number): void {
    const startedAt = Date.now();
    // The same node flags and script as this process.
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!], {
      env: { ...process.env, ROLE: 'worker', WORKER_PROCESSES: '0', PORT: '0' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    log.info({ slot, pid: child.pid }, 'worker process started');
    child.on('message', (message) => {
      if (!isHealthMessage(message)) return;
      if (message.ok) okAt.set(child, Date.now());
      else okAt.delete(child);
    });
    const restart = (fields: Record<string, unknown>, message: string) => {
      children.delete(child);
      okAt.delete(child);
      if (stopping) return;
      const next = Date.now() - startedAt > HEALTHY_RUN_MS ? RESTART_FIRST_MS : Math.min(delayMs * 2, RESTART_MAX_MS);
      log.error({ slot, pid: child.pid, ...fields, restartInMs: next }, message);
      setTimeout(() => !stopping && start(slot, next), next).unref();
    };
    // 'error' without 'exit': the process could not be started at all (EAGAIN, ENOMEM).
    child.on('error', (err) => child.pid === undefined && restart({ err: err.message }, 'worker process could not start; trying again'));
    child.once('exit', (code, signal) => restart({ code, signal }, 'worker process exited; starting it again'));
  }

  for (let slot = 0; slot < count; slot++) start(slot, RESTART_FIRST_MS / 2);

  return {
    running: () => children.size,
    ready: () => [...okAt.values()].filter((at) => Date.now() - at < HEALTH_STALE_MS).length,
    async stop() {
      stopping = true;
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              const kill = setTimeout(() => child.kill('SIGKILL'), STOP_WAIT_MS);
              child.once('exit', () => {
                clearTimeout(kill);
                done();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
