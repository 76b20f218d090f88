import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { retryDelayMs, retryWindowMs } from '../../src/outbox/retry-schedule.ts';

describe('the outbox retry schedule', () => {
  it('doubles from OUTBOX_BACKOFF_MS up to OUTBOX_BACKOFF_MAX_MS', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 1_000, 10_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('keeps retrying a channel that is down for 24 h with the default settings, and not much longer', () => {
    const c = loadConfig({});
    const hours = retryWindowMs(c.OUTBOX_ATTEMPTS, c.OUTBOX_BACKOFF_MS, c.OUTBOX_BACKOFF_MAX_MS) / 3600_000;
    expect(hours).toBeGreaterThanOrEqual(24);
    expect(hours).toBeLessThan(26);
    // once the channel is back, a waiting reply goes out within one capped wait
    expect(c.OUTBOX_BACKOFF_MAX_MS).toBeLessThanOrEqual(10 * 60_000);
  });
});
