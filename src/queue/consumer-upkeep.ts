import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { HeldEntries } from './held-entries.ts';
import type { InboundShard } from './inbound-shards.ts';
import { claimStale, keepMine, removeGoneConsumers, type ClaimedEntry } from './stream-group.ts';

/** Consumers (workers) that left nothing pending and were not seen for this long are removed from the group. */
const CONSUMER_IDLE_MS = 3600_000;
const CONSUMER_SWEEP_MS = 60_000;

export interface UpkeepOptions {
  connection: RedisClient;
  group: string;
  consumer: string;
  /** An entry held this long by a consumer that stopped answering is taken over. */
  lockMs: number;
  shards(): InboundShard[];
  held: HeldEntries;
  running(): boolean;
  /** An entry taken over from a consumer that stopped answering. */
  onClaimed(shard: InboundShard, entry: ClaimedEntry): void;
  /** Reads the shards producers added since. */
  readMoreShards(): Promise<void>;
  log: Logger;
}

/**
 * One round of a consumer's upkeep, run every quarter of the lock time: keeps its entries, takes
 * over those of consumers that stopped answering, removes long-gone consumers and reads new shards.
 */
export function createUpkeep(options: UpkeepOptions): () => Promise<void> {
  const { connection, group, consumer, held, log } = options;
  // After upkeep failed (Redis away), the others get a whole lockMs to renew theirs before any is taken over.
  let takeOverFrom = Date.now();
  let sweptAt = Date.now();

  async function takeOver(shard: InboundShard): Promise<void> {
    const max = held.freeSlots();
    if (max <= 0) return;
    const claimed = await claimStale(connection, shard, group, consumer, {
      lockMs: options.lockMs,
      max,
      held: (id) => held.has(shard, id),
    });
    for (const entry of claimed) {
      log.warn(
        { streamId: entry.id, shard: shard.index, delivery: entry.delivery },
        'taking over a message its worker left',
      );
      options.onClaimed(shard, entry);
    }
  }

  return async function tend() {
    const shards = options.shards();
    try {
      await Promise.all(
        shards.map(async (shard) => {
          const mine = held.idsIn(shard);
          if (!mine.length) return;
          const lost = await keepMine(connection, shard, group, consumer, mine);
          if (lost.length)
            log.warn(
              { streamIds: lost, shard: shard.index },
              'messages taken over by another worker while this one was slow',
            );
        }),
      );
      if (options.running() && Date.now() >= takeOverFrom) for (const shard of shards) await takeOver(shard);
      if (options.running() && Date.now() - sweptAt >= CONSUMER_SWEEP_MS) {
        sweptAt = Date.now();
        await removeGoneConsumers(connection, shards, group, consumer, CONSUMER_IDLE_MS);
      }
      if (options.running()) await options.readMoreShards();
    } catch (err) {
      takeOverFrom = Date.now() + options.lockMs;
      throw err;
    }
  };
}
