import { pino, type Logger } from 'pino';

export type { Logger };

/** Buyer text, tokens and personal data never reach the logs at any level but debug-with-text. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-xiaoer-signature"]',
  'headers.authorization',
  'token',
  'secret',
  'buyer.name',
  '*.buyer.name',
  'phone',
  'address',
];

/**
 * The most a pipe takes in one write without mixing it with another writer's (PIPE_BUF on Linux).
 * The worker threads and the main thread all write to fd 1; the logger gathers lines into writes
 * of up to 16 KB by default, and under load two such writes to a pipe (a container's or a log
 * collector's stdout) could cut into each other's lines. Writes of whole lines up to this size can't.
 */
const PIPE_ATOMIC_BYTES = 4096;

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT, censor: '[redacted]' },
      base: { app: 'xiaoer' },
    },
    pino.destination({ dest: options.destination ?? 1, sync: false, maxWrite: PIPE_ATOMIC_BYTES }),
  );
}

/** A logger that drops everything: for tests and the classify command. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Writes out what the logger still holds, before process.exit(). Pino does this by itself at exit
 * on the main thread only; in a worker thread the last lines (the fatal one among them) would be lost.
 */
export function flushLog(log: Logger): void {
  const stream = (log as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[
    pino.symbols.streamSym
  ];
  try {
    stream?.flushSync?.();
  } catch (err) {
    process.stderr.write(`log flush failed: ${(err as Error).message}\n`);
  }
}
