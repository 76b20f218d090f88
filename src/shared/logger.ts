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

export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'xiaoer' } },
    pino.destination({ dest: options.destination ?? 1, sync: false }),
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
  const stream = (log as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[pino.symbols.streamSym];
  try {
    stream?.flushSync?.();
  } catch (err) {
    process.stderr.write(`log flush failed: ${(err as Error).message}\n`);
  }
}
