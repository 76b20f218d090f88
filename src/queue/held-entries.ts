import type { InboundShard } from './inbound-shards.ts';

/**
 * The entries a consumer holds and its slots. An entry waiting to be tried again may give its slot
 * up meanwhile (up to `waitingPerSlot` such entries per slot), so one failing conversation does
 * not stop the others from being read.
 */
export interface HeldEntries {
  has(shard: InboundShard, id: string): boolean;
  hold(shard: InboundShard, id: string, done: Promise<void>): void;
  release(shard: InboundShard, id: string): void;
  idsIn(shard: InboundShard): string[];
  /** Resolves when every entry held now is done. */
  settled(): Promise<void>;
  freeSlots(): number;
  /** Runs `wait` with the entry's slot given up, unless too many wait already; `slotFreed` is told when it is. */
  waitGivingSlot(wait: () => Promise<void>, slotFreed: () => void): Promise<void>;
  /** The attempts an entry used before the consumer stopped: given back with it. */
  rememberTries(shard: InboundShard, id: string, tries: number): void;
  triesUsed(shard: InboundShard, id: string): number;
}

export function createHeldEntries(concurrency: number, waitingPerSlot: number): HeldEntries {
  /** An entry's id is unique within its shard only: entries are known by both. */
  const ref = (shard: InboundShard, id: string) => `${shard.index}/${id}`;
  const held = new Map<string, { shard: InboundShard; id: string; done: Promise<void> }>();
  const tries = new Map<string, number>();
  let waitingForRetry = 0;
  return {
    has: (shard, id) => held.has(ref(shard, id)),
    hold: (shard, id, done) => void held.set(ref(shard, id), { shard, id, done }),
    release: (shard, id) => void held.delete(ref(shard, id)),
    idsIn: (shard) => [...held.values()].filter((e) => e.shard.index === shard.index).map((e) => e.id),
    settled: async () => {
      await Promise.all([...held.values()].map((e) => e.done));
    },
    freeSlots: () => concurrency - (held.size - waitingForRetry),
    async waitGivingSlot(wait, slotFreed) {
      const givesSlot = waitingForRetry < concurrency * waitingPerSlot;
      if (givesSlot) {
        waitingForRetry += 1;
        slotFreed();
      }
      try {
        await wait();
      } finally {
        if (givesSlot) waitingForRetry -= 1;
      }
    },
    rememberTries: (shard, id, n) => void tries.set(ref(shard, id), n),
    triesUsed: (shard, id) => tries.get(ref(shard, id)) ?? 0,
  };
}
