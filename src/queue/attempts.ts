import type { Logger } from '../shared/logger.ts';

/** One try at a message: 'busy' when another worker holds its conversation (tried again soon, not counted). */
export type TryOutcome = 'done' | 'busy';

export type AttemptsOutcome =
  | { kind: 'done' }
  /** Every attempt failed: set the message aside with the last error. */
  | { kind: 'failed'; reason: string; attempts: number }
  /** The consumer stopped first: give the message back with the attempts it used. */
  | { kind: 'stopped'; triesUsed: number };

export interface AttemptsOptions {
  /** Attempts in all; a message gets `maxAttempts - firstAttempt + 1` more here. */
  maxAttempts: number;
  /** The wait after the first failure; it doubles after each. */
  backoffMs: number;
  /** A busy conversation is tried again every 10 ms for this long, then every `busyRetryMs`. */
  spinMs: number;
  busyRetryMs: number;
  running(): boolean;
  sleep(ms: number): Promise<void>;
  /** The wait between failed attempts (the consumer may give the message's slot up meanwhile). */
  waitToRetry(ms: number): Promise<void>;
  log: Logger;
}

/** Tries `attempt` until it is done, every attempt failed, or the consumer stops. */
export async function tryUntilDone(
  tryOnce: () => Promise<TryOutcome>,
  firstAttempt: number,
  context: Record<string, unknown>,
  options: AttemptsOptions,
): Promise<AttemptsOutcome> {
  const { log } = options;
  let attempt = firstAttempt;
  while (options.running()) {
    try {
      for (const spinUntil = Date.now() + options.spinMs; options.running();) {
        if ((await tryOnce()) !== 'busy') return { kind: 'done' };
        await options.sleep(Date.now() < spinUntil ? 10 : options.busyRetryMs);
      }
    } catch (err) {
      if (attempt >= options.maxAttempts) {
        log.error({ ...context, attemptsMade: attempt, err }, 'inbound message failed');
        return { kind: 'failed', reason: (err as Error).message, attempts: attempt };
      }
      log.warn({ ...context, attempt, err: (err as Error).message }, 'inbound message failed; trying again');
      // Stopping: given back now with this attempt counted, not after a wait that nothing would end.
      if (!options.running()) return { kind: 'stopped', triesUsed: attempt };
      await options.waitToRetry(options.backoffMs * 2 ** (attempt - 1));
      attempt += 1;
    }
  }
  return { kind: 'stopped', triesUsed: attempt - 1 };
}
