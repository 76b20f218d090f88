import { spawn } from 'node:child_process';
import { isMainThread, parentPort, Worker as Thread } from 'node:worker_threads';
import type { Language } from '../shared/language.ts';
import type { Classifier, NluResult } from '../nlu/classifier.ts';
import { WorkersUnavailableError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { CounterValues } from '../stats/prom-metrics.ts';

const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A worker that ran this long before it exited is restarted at once again, not after a longer wait. */
const HEALTHY_RUN_MS = 60_000;
const STOP_WAIT_MS = 15_000;
/** A worker reports its health each second; one silent for this long (stuck, or gone) is not ready. */
const HEALTH_REPORT_MS = 1_000;
const HEALTH_STALE_MS = 3_000;
/** A classify request a worker has not answered in this long fails (the worker is stuck or gone). */
const CLASSIFY_TIMEOUT_MS = 10_000;

/** Where the workers run apart from the HTTP process: processes of their own, or threads of this one. */
export type WorkerKind = 'process' | 'thread';

export interface Workers {
  /** Workers running now. */
  running(): number;
  /** Workers whose last health report, within 3 s, was ok (trained, Redis reachable, workers running). */
  ready(): number;
  /** The counters each running worker last reported (messages sent, hand-offs), for /metrics. */
  counters(): CounterValues[];
  /**
   * Classifies with a worker's classifier (round robin among those that reported in the last 3 s,
   * ok or not: a worker's classifier works while Redis is away), so this HTTP process needs none
   * of its own: no model in its memory, and no training stalling the webhook on the first admin request.
   */
  classify: Classifier['classify'];
  /** Asks each to stop (they finish their jobs), kills it after 15 s; resolves when all have exited. */
  stop(): Promise<void>;
}

/** What a worker sends its parent each second: its /healthz verdict. */
interface WorkerHealthMessage {
  type: 'xiaoer-worker-health';
  ok: boolean;
  counters?: CounterValues;
}
/** What the parent sends a worker thread to stop it (a process gets SIGTERM instead). */
interface WorkerStopMessage {
  type: 'xiaoer-worker-stop';
}

/** The parent asks a worker to classify a text (the admin API's classify). */
interface ClassifyRequest {
  type: 'xiaoer-classify';
  id: number;
  text: string;
  previousLanguage?: Language;
}
interface ClassifyReply {
  type: 'xiaoer-classified';
  id: number;
  result?: NluResult;
  error?: string;
}

const isClassifyRequest = (m: unknown): m is ClassifyRequest =>
  typeof m === 'object' && m !== null && (m as ClassifyRequest).type === 'xiaoer-classify';
const isClassifyReply = (m: unknown): m is ClassifyReply =>
  typeof m === 'object' && m !== null && (m as ClassifyReply).type === 'xiaoer-classified';
const isHealthMessage = (m: unknown): m is WorkerHealthMessage =>
  typeof m === 'object' && m !== null && (m as WorkerHealthMessage).type === 'xiaoer-worker-health';
const isStopMessage = (m: unknown): m is WorkerStopMessage =>
  typeof m === 'object' && m !== null && (m as WorkerStopMessage).type === 'xiaoer-worker-stop';

/** Whether this code runs as a worker started by WORKER_PROCESSES or WORKER_THREADS. */
export function startedAsWorker(): WorkerKind | undefined {
  if (!isMainThread && parentPort) return 'thread';
  return process.send ? 'process' : undefined;
}

/** In a worker thread: `onStop` runs when the thread that started it asks it to stop. */
export function onStopRequest(onStop: () => void): void {
  if (!isMainThread) parentPort?.on('message', (message) => isStopMessage(message) && onStop());
}

/**
 * In a worker: tells the process or thread that started it its /healthz verdict every second. A
 * worker whose event loop is stuck stops reporting, and the parent counts it as not ready.
 */
export function reportHealthToParent(
  health: () => { ok: boolean },
  counters?: () => Promise<CounterValues>,
): void {
  const report = async () =>
    sendToParent({
      type: 'xiaoer-worker-health',
      ok: health().ok,
      ...(counters ? { counters: await counters() } : {}),
    });
  void report();
  setInterval(() => void report(), HEALTH_REPORT_MS).unref();
}

/** In a worker: answers its parent's classify requests with this worker's classifier. */
export function answerClassifyRequests(classifier: Classifier): void {
  const onMessage = (message: unknown) => {
    if (!isClassifyRequest(message)) return;
    classifier
      .classify(message.text, message.previousLanguage)
      .then(
        (result) =>
          sendToParent({ type: 'xiaoer-classified', id: message.id, result } satisfies ClassifyReply),
        (err: unknown) =>
          sendToParent({
            type: 'xiaoer-classified',
            id: message.id,
            error: String((err as Error | undefined)?.message ?? err),
          } satisfies ClassifyReply),
      )
      .catch(() => undefined); // the parent is gone: nothing to answer
  };
  const port = isMainThread ? undefined : parentPort;
  if (port) port.on('message', onMessage);
  else process.on('message', onMessage);
}

/** To the thread or process that started this worker (nothing when that process is gone). */
function sendToParent(message: WorkerHealthMessage | ClassifyReply): void {
  const port = isMainThread ? undefined : parentPort;
  if (port) port.postMessage(message);
  else if (process.connected) process.send!(message, undefined, {}, () => undefined);
}

/** One worker as the supervisor sees it, whichever kind. */
interface Running {
  id: number;
  onMessage(listener: (message: unknown) => void): void;
  /** A process that could not be started at all; a thread that failed (it ends: an exit follows). */
  onError(listener: (err: Error) => void): void;
  onExit(listener: (fields: Record<string, unknown>) => void): void;
  exited(): boolean;
  /** `failed`: the message could not be handed over (the worker is gone). */
  send(message: ClassifyRequest, failed: () => void): void;
  askToStop(): void;
  kill(): void;
}

export interface WorkerOptions {
  /** The script each worker runs (default: this process's own). */
  script?: string;
  /** More environment for the workers, e.g. REDIS_URL of the private redis-server this process started. */
  env?: Record<string, string>;
}

/**
 * `npm start` with WORKER_PROCESSES=N or WORKER_THREADS=N: this process serves HTTP (ROLE=web) and
 * runs N copies of the service as ROLE=worker, each on its own event loop (on its own core, where
 * there is one): in processes of their own, or in threads of this process (one process's memory:
 * Node's own code and data are loaded once). A worker that exits is started again, after 1 s,
 * doubling to 30 s while it keeps failing. A worker process has an IPC channel to this process:
 * if this one dies, even by kill -9, it stops too; a thread dies with its process anyway.
 */
export function startWorkers(
  kind: WorkerKind,
  count: number,
  log: Logger,
  options: WorkerOptions = {},
): Workers {
  const workers = new Set<Running>();
  /** Each worker's last health report: when, and whether it was ok. */
  const reports = new Map<Running, { at: number; ok: boolean }>();
  /** Workers that reported in the last 3 s, ok or not (one not ok because Redis is away still classifies). */
  const heard = () => [...reports].filter(([, report]) => Date.now() - report.at < HEALTH_STALE_MS);
  const countersOf = new Map<Running, CounterValues>();
  const noun = `worker ${kind}`;
  let stopping = false;
  /** Classify requests sent and not answered yet, by id: the worker asked, and how the request ends. */
  const asked = new Map<
    number,
    { worker: Running; answer(reply: ClassifyReply): void; fail(reason: string): void }
  >();
  let lastId = 0;
  let turn = 0;

  function start(slot: number, delayMs: number): void {
    const startedAt = Date.now();
    let worker: Running;
    try {
      worker = (kind === 'process' ? runProcess : runThread)(options);
    } catch (err) {
      // A thread that can't be created throws here (a process reports it as 'error').
      log.error({ slot, err, restartInMs: delayMs * 2 }, `${noun} could not start; trying again`);
      setTimeout(() => !stopping && start(slot, Math.min(delayMs * 2, RESTART_MAX_MS)), delayMs * 2).unref();
      return;
    }
    workers.add(worker);
    log.info({ slot, [kind === 'process' ? 'pid' : 'threadId']: worker.id }, `${noun} started`);
    worker.onMessage((message) => {
      if (isClassifyReply(message)) return asked.get(message.id)?.answer(message);
      if (!isHealthMessage(message)) return;
      reports.set(worker, { at: Date.now(), ok: message.ok });
      if (message.counters) countersOf.set(worker, message.counters);
    });
    let restarting = false;
    const restart = (fields: Record<string, unknown>, message: string) => {
      if (restarting) return;
      restarting = true;
      workers.delete(worker);
      reports.delete(worker);
      countersOf.delete(worker); // a worker started again counts from 0, as after any restart
      for (const request of asked.values())
        if (request.worker === worker) request.fail(`${noun} stopped before it answered`);
      if (stopping) return;
      const next =
        Date.now() - startedAt > HEALTHY_RUN_MS ? RESTART_FIRST_MS : Math.min(delayMs * 2, RESTART_MAX_MS);
      log.error({ slot, id: worker.id, ...fields, restartInMs: next }, message);
      setTimeout(() => !stopping && start(slot, next), next).unref();
    };
    worker.onError((err) => restart({ err }, `${noun} failed; starting it again`));
    worker.onExit((fields) => restart(fields, `${noun} exited; starting it again`));
  }

  for (let slot = 0; slot < count; slot++) start(slot, RESTART_FIRST_MS / 2);

  return {
    running: () => workers.size,
    ready: () => heard().filter(([, report]) => report.ok).length,
    counters: () => [...countersOf.values()],
    classify(text, previousLanguage) {
      const candidates = heard();
      if (!candidates.length)
        return Promise.reject(
          new WorkersUnavailableError(`no ${noun} is ready to classify; try again in a moment`),
        );
      const [worker] = candidates[turn++ % candidates.length]!;
      const id = ++lastId;
      return new Promise<NluResult>((resolve, reject) => {
        const end = () => {
          clearTimeout(timer);
          asked.delete(id);
        };
        const timer = setTimeout(
          () => asked.get(id)?.fail(`${noun} did not answer within ${CLASSIFY_TIMEOUT_MS} ms`),
          CLASSIFY_TIMEOUT_MS,
        );
        asked.set(id, {
          worker,
          answer: (reply) => {
            end();
            if (reply.result) resolve(reply.result);
            else reject(new Error(`classify failed in a ${noun}: ${reply.error}`));
          },
          fail: (reason) => {
            end();
            reject(new WorkersUnavailableError(reason));
          },
        });
        worker.send(
          { type: 'xiaoer-classify', id, text, ...(previousLanguage ? { previousLanguage } : {}) },
          () => asked.get(id)?.fail(`could not reach the ${noun}`),
        );
      });
    },
    async stop() {
      stopping = true;
      await Promise.all(
        [...workers].map(
          (worker) =>
            new Promise<void>((done) => {
              if (worker.exited()) return done();
              const kill = setTimeout(() => worker.kill(), STOP_WAIT_MS);
              worker.onExit(() => {
                clearTimeout(kill);
                done();
              });
              worker.askToStop();
            }),
        ),
      );
    },
  };
}

// No PORT: a started worker opens no port (main.ts), it reports to this process over its channel.
const WORKER_ENV = { ROLE: 'worker', WORKER_PROCESSES: '0', WORKER_THREADS: '0' };

/** A worker process: the same node flags and script as this process, with an IPC channel. */
function runProcess(options: WorkerOptions): Running {
  const child = spawn(process.execPath, [...process.execArgv, options.script ?? process.argv[1]!], {
    env: { ...process.env, ...options.env, ...WORKER_ENV },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    id: child.pid ?? 0,
    onMessage: (listener) => child.on('message', listener),
    // 'error' without 'exit': the process could not be started at all (EAGAIN, ENOMEM).
    onError: (listener) => child.on('error', (err) => child.pid === undefined && listener(err)),
    onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    send: (message, failed) => {
      if (!child.connected) return failed();
      child.send(message, undefined, {}, (err) => err && failed());
    },
    askToStop: () => child.kill('SIGTERM'),
    kill: () => child.kill('SIGKILL'),
  };
}

/** A worker thread of this process, running the same script. */
function runThread(options: WorkerOptions): Running {
  // A thread shares the process's V8 flags (npm start's --max-semi-space-size among them).
  const thread = new Thread(options.script ?? process.argv[1]!, {
    env: { ...process.env, ...options.env, ...WORKER_ENV },
  });
  let exited = false;
  thread.once('exit', () => (exited = true));
  return {
    id: thread.threadId,
    onMessage: (listener) => thread.on('message', listener),
    // An uncaught error ends the thread; its 'exit' follows.
    onError: (listener) => thread.on('error', listener),
    onExit: (listener) => thread.once('exit', (code) => listener({ code })),
    exited: () => exited,
    send: (message, failed) => {
      try {
        thread.postMessage(message);
      } catch {
        failed();
      }
    },
    askToStop: () => thread.postMessage({ type: 'xiaoer-worker-stop' } satisfies WorkerStopMessage),
    kill: () => void thread.terminate(),
  };
}
