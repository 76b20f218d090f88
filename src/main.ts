import { setFlagsFromString } from 'node:v8';
import { loadConfig } from './config.ts';
import { AppError } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';
import { startService } from './start-service.ts';
import { reportHealthToParent, startWorkerProcesses, type WorkerProcesses } from './worker-processes.ts';

// V8 lets the heap grow to up to 4x what survived its last full collection before collecting
// again: under load that was ~200 MB of garbage on ~50 MB live (peak RSS ~300 MB). At most 2x keeps
// the peak near 215 MB, at no CPU cost we could measure (A/B at 1,000 msg/s). Node accepts this
// flag only here, not in NODE_OPTIONS.
setFlagsFromString('--heap-growing-percent=100');

const bootLog = createLogger();

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL });
  // A worker process started by WORKER_PROCESSES stops when the process that started it is gone
  // (its IPC channel closes), even if that happens while it is still starting.
  let shutdown: (signal: string) => void | Promise<void> = (signal) => {
    log.info({ signal }, 'stopped before it was ready');
    log.flush();
    process.exit(0);
  };
  if (process.send) {
    if (!process.connected) shutdown('parent process exited');
    process.on('disconnect', () => void shutdown('parent process exited'));
  }
  // WORKER_PROCESSES: this process serves HTTP and the workers run in processes of their own.
  const apart = config.ROLE === 'all' && config.WORKER_PROCESSES > 0;
  let workers: WorkerProcesses | undefined;
  // Its /healthz says ok only once every worker process reports ok too.
  const extraChecks = apart ? { extraChecks: () => ({ workerProcesses: (workers?.ready() ?? 0) >= config.WORKER_PROCESSES }) } : {};
  const service = await startService(apart ? { ...config, ROLE: 'web' } : config, { log, ...extraChecks });
  workers = apart ? startWorkerProcesses(config.WORKER_PROCESSES, log) : undefined;
  if (process.send) reportHealthToParent(service.health);

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
    await Promise.all([service.stop(), workers?.stop()]);
    log.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection');
    log.flush();
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  // A start-up failure is a message for the shop owner, not a stack trace.
  const message = err instanceof AppError ? err.message : String((err as Error)?.stack ?? err);
  bootLog.fatal({ code: err instanceof AppError ? err.code : undefined }, message);
  bootLog.flush();
  process.stderr.write(`xiaoer could not start: ${message}\n`);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
