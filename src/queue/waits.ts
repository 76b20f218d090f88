/**
 * The waits of a consumer: timed sleeps and waits for a free slot. Every one of them ends early
 * when the consumer stops (`wakeAll`), so nothing stays attached to a long-lived promise.
 */
export interface Waits {
  sleep(ms: number): Promise<void>;
  /** Resolves at the next `slotFreed` (or `wakeAll`). */
  waitForSlot(): Promise<void>;
  /** Wakes every read waiting for a slot (under Cluster, one per shard). */
  slotFreed(): void;
  /** The consumer stops: every wait ends, now and from now on. */
  wakeAll(): void;
}

export function createWaits(): Waits {
  const wakers = new Set<() => void>();
  const slotWaiters = new Set<() => void>();
  /** After wakeAll every wait ends at once, the ones asked for later too. */
  let stopped = false;
  return {
    sleep: (ms) =>
      new Promise<void>((done) => {
        if (stopped) return done();
        const wake = () => {
          clearTimeout(timer);
          wakers.delete(wake);
          done();
        };
        const timer = setTimeout(wake, ms);
        wakers.add(wake);
      }),
    waitForSlot: () =>
      new Promise<void>((done) => {
        if (stopped) return done();
        const wake = () => {
          slotWaiters.delete(wake);
          wakers.delete(wake);
          done();
        };
        slotWaiters.add(wake);
        wakers.add(wake);
      }),
    slotFreed() {
      for (const wake of [...slotWaiters]) wake();
    },
    wakeAll() {
      stopped = true;
      for (const wake of [...wakers]) wake();
    },
  };
}
