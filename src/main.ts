import { setFlagsFromString } from 'node:v8';
import { loadConfig } from './config.ts';
import type { Classifier } from './nlu/classifier.ts';
import { AppError, WorkersUnavailableError } from './shared/errors.ts';
import { createLogger, flushLog } from './shared/logger.ts';
import { startService } from './boot/start-service.ts';
import {
  answerClassifyRequests,
  onStopRequest,
  reportHealthToParent,
  startedAsWorker,
  startWorkers,
  type Workers,
} from './boot/worker-supervisor.ts';

// V8 lets the heap grow to up to 4x what survived its last full collection before collecting
// again: under load that was ~200 MB of garbage on ~50 MB live. At most 1.5x (set before the worker
// threads start; they share V8's flags) keeps the worker thread's old space near 60 MB instead of
// 80 at 2x (bench-reply, WORKER_THREADS=1, with npm start's --max-semi-space-size=8: peak RSS
// 246 MB at 2x in one run, 213–216 MB at 1.5x in three; CPU per message within the noise).
// Node accepts this flag only here, not in NODE_OPTIONS.
setFlagsFromString('--heap-growing-percent=50');

const bootLog = createLogger();
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL });
  let shutdown: (signal: string) => void | Promise<void> = (signal) => {
    log.info({ signal }, 'stopped before it was ready');
    flushLog(log);
    process.exit(0);
  };
  // A worker started by WORKER_PROCESSES stops when the process that started it is gone (its IPC
  // channel closes), even if that happens while it is still starting. A thread goes with its process.
  const startedAs = startedAsWorker();
  // A started worker reads the same environment: the process that started it has said it all once.
  if (!startedAs) for (const warning of config.warnings) log.warn(warning);
  if (startedAs === 'process') {
    if (!process.connected) shutdown('parent process exited');
    process.on('disconnect', () => void shutdown('parent process exited'));
  }
  // WORKER_PROCESSES or WORKER_THREADS: this process serves HTTP and the workers run apart.
  const apart =
    config.ROLE !== 'all'
      ? undefined
      : config.WORKER_PROCESSES > 0
        ? { kind: 'process' as const, count: config.WORKER_PROCESSES }
        : config.WORKER_THREADS > 0
          ? { kind: 'thread' as const, count: config.WORKER_THREADS }
          : undefined;
  let workers: Workers | undefined;
  // Its /healthz says ok only once every worker reports ok too; its /metrics adds their counters.
  const check = apart?.kind === 'process' ? 'workerProcesses' : 'workerThreads';
  const fromWorkers = apart
    ? {
        extraChecks: () => ({ [check]: (workers?.ready() ?? 0) >= apart.count }),
        workerCounters: () => workers?.counters() ?? [],
      }
    : {};
  // The HTTP process classifies (the admin API) with its workers' classifiers, not one of its own.
  const askWorkers: Classifier = {
    classify: (text, previousLanguage) =>
      workers
        ? workers.classify(text, previousLanguage)
        : Promise.reject(new WorkersUnavailableError('the workers are starting')),
  };
  const service = await startService(apart ? { ...config, ROLE: 'web' } : config, {
    log,
    startedByParent: startedAs !== undefined,
    ...fromWorkers,
    ...(apart ? { classifier: askWorkers } : {}),
  });
  // The workers use the same Redis: the private redis-server this process started, if it did.
  workers = apart
    ? startWorkers(
        apart.kind,
        apart.count,
        log,
        service.redisEmbedded ? { env: { REDIS_URL: service.redisUrl } } : {},
      )
    : undefined;
  if (startedAs) {
    reportHealthToParent(service.health, service.counters);
    answerClassifyRequests(service.classifier);
  }

  let stopping = false;
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took over 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    // Nothing more is accepted; the workers finish their jobs; then the connections (and a private
    // Redis, which the workers use to the end) go.
    await service.stopAccepting();
    await workers?.stop();
    await service.stop();
    flushLog(log);
    process.exit(0);
  };
  // A thread listens for its stop request only now: one sent while it started waits on its port until
  // then, so it stops once started, not midway while its workers may already hold jobs.
  if (startedAs === 'thread') onStopRequest(() => void shutdown('asked to stop by the main thread'));
  else {
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  }
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection');
    flushLog(log);
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  // A start-up failure is a message for the shop owner, not a stack trace.
  const message = err instanceof AppError ? err.message : String((err as Error)?.stack ?? err);
  bootLog.fatal({ code: err instanceof AppError ? err.code : undefined }, message);
  flushLog(bootLog);
  process.stderr.write(`xiaoer could not start: ${message}\n`);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
