import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import type { InboundShard } from './inbound-shards.ts';

export interface StreamAcks {
  /** Acknowledges and deletes a handled entry, together with the others of this turn of the event loop. */
  ack(shard: InboundShard, id: string): void;
  /** Resolves when the acknowledgements asked for so far were written (or failed). */
  settled(): Promise<void>;
}

/** Acknowledgements of one turn of the event loop go together: XACK and XDEL per shard (one slot each). */
export function createStreamAcks(connection: RedisClient, group: string, log: Logger): StreamAcks {
  let toAck = new Map<InboundShard, string[]>();
  let acking: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batches = toAck;
    toAck = new Map();
    await Promise.all(
      [...batches].map(async ([shard, ids]) => {
        try {
          const replies = await connection
            .multi()
            .xack(shard.stream, group, ...ids)
            .xdel(shard.stream, ...ids)
            .exec();
          const failed = replies?.find(([err]) => err);
          if (failed) throw failed[0];
        } catch (err) {
          // They stay pending; whoever takes them over (or gives them back) finds them answered and sends nothing twice.
          log.warn(
            { err: (err as Error).message, count: ids.length },
            'could not acknowledge handled messages',
          );
        }
      }),
    );
  };
  return {
    ack(shard, id) {
      if (toAck.size === 0) acking = new Promise<void>((done) => setImmediate(() => void flush().then(done)));
      const ids = toAck.get(shard);
      if (ids) ids.push(id);
      else toAck.set(shard, [id]);
    },
    settled: () => acking,
  };
}
