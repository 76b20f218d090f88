import { Cluster } from 'ioredis';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { InboundShard } from './inbound-shards.ts';
import { ensureGroup } from './stream-group.ts';
import type { Waits } from './waits.ts';

/** How long one read waits for new entries. */
const BLOCK_MS = 1_000;

type StreamReply = [string, [string, string[]][]][] | null;

export interface StreamReaderOptions {
  /** Reads alone (under Cluster, shard 0's; the other shards get a copy each). */
  reader: RedisClient;
  /** For CLIENT UNBLOCK and group creation. */
  connection: RedisClient;
  group: string;
  consumer: string;
  shards(): InboundShard[];
  freeSlots(): number;
  running(): boolean;
  waits: Waits;
  onEntry(shard: InboundShard, id: string, fields: string[]): void;
  log: Logger;
}

export interface StreamReaders {
  /** Starts reading shards added since (under Cluster a reader each; a single Redis's one read covers them). */
  added(shards: readonly InboundShard[]): void;
  /** Ends the reads (at once on a single Redis); what a read in progress brings is still handed on. */
  stop(): Promise<void>;
}

/**
 * Reads new entries while the consumer runs. On a single Redis one read covers every shard; under
 * Cluster each shard's read is its own, as keys of different slots can't share a command. Either
 * way the free slots are shared out between the shards (a read's COUNT is per stream), so reads in
 * flight overrun them by at most one per shard.
 */
export async function startStreamReaders(options: StreamReaderOptions): Promise<StreamReaders> {
  const { reader, connection, group, consumer, waits, log } = options;

  async function readLoop(source: RedisClient, readShards: () => InboundShard[]): Promise<void> {
    while (options.running()) {
      const free = options.freeSlots();
      const reading = readShards();
      if (free <= 0 || reading.length === 0) {
        await waits.waitForSlot();
        continue;
      }
      const count = Math.max(1, Math.floor(free / options.shards().length));
      try {
        const streams = reading.map((shard) => shard.stream);
        const reply = (await source.xreadgroup(
          'GROUP',
          group,
          consumer,
          'COUNT',
          count,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...streams,
          ...streams.map(() => '>'),
        )) as StreamReply;
        for (const [stream, entries] of reply ?? []) {
          const shard = reading.find((s) => s.stream === stream);
          if (shard) for (const [id, fields] of entries) options.onEntry(shard, id, fields);
        }
      } catch (err) {
        if (!options.running()) return;
        if (err instanceof Error && err.message.startsWith('NOGROUP'))
          await Promise.all(reading.map((shard) => ensureGroup(connection, shard, group))).catch(
            () => undefined,
          );
        else log.warn({ err: (err as Error).message }, 'inbound read failed; trying again');
        await waits.sleep(200);
      }
    }
  }

  // stop() ends a blocking read at once with CLIENT UNBLOCK (a read that brought entries still
  // returns them). Under Cluster the reader's node is not known here: stop() waits for the reads.
  const clustered = reader instanceof Cluster;
  let readerId: number | undefined;
  const learnReaderId = async () => {
    if (!(reader instanceof Cluster)) readerId = Number(await reader.client('ID'));
  };
  reader.on('ready', () => void learnReaderId().catch(() => undefined));
  await learnReaderId();
  const readers: Promise<void>[] = [];
  /** Under Cluster: shard 0 is read on `reader`, each other shard on a copy of it, closed on stop. */
  const copies: RedisClient[] = [];
  const startShardReader = (shard: InboundShard) => {
    const source = shard.index === 0 ? reader : reader.duplicate();
    if (source !== reader) copies.push(source);
    readers.push(readLoop(source, () => [shard]));
  };
  if (clustered) for (const shard of options.shards()) startShardReader(shard);
  else readers.push(readLoop(reader, options.shards));

  let stopping = false;
  return {
    added(shards) {
      if (clustered && !stopping) for (const shard of shards) startShardReader(shard);
    },
    async stop() {
      stopping = true;
      if (readerId !== undefined && !(connection instanceof Cluster))
        await connection.client('UNBLOCK', readerId).catch(() => undefined);
      await Promise.all(readers);
      for (const copy of copies) copy.disconnect();
    },
  };
}
