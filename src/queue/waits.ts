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
  wakeAll(): void;
}

export function createWaits(): Waits {
  const wakers = new Set<() => void>();
  const slotWaiters = new Set<() => void>();
  return {
    sleep: (ms) =>
      new Promise<void>((done) => {
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
      for (const wake of [...wakers]) wake();
    },
  };
}
