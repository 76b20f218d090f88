/** Wait before retry number `attemptsMade` (1 = after the first failure): doubling, capped. */
export function retryDelayMs(attemptsMade: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** How long a message keeps being retried before it is left for replay: the sum of the waits. */
export function retryWindowMs(attempts: number, baseMs: number, maxMs: number): number {
  let total = 0;
  for (let made = 1; made < attempts; made++) total += retryDelayMs(made, baseMs, maxMs);
  return total;
}
