import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { Cluster } from 'ioredis';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { INBOUND_GROUP, requeueEntries } from './inbound-queue.ts';
import { entryFields } from './stream-entries.ts';
import { tryUntilDone } from './attempts.ts';
import { createConversationTurns } from './conversation-turns.ts';
import { createStreamAcks } from './stream-acks.ts';
import {
  claimStale,
  ensureGroup,
  keepMine,
  pendingOf,
  removeConsumer,
  removeGoneConsumers,
  setAside,
} from './stream-group.ts';
import { createWaits } from './waits.ts';
import { InboundJobSchema, type InboundJob } from './inbound-job.ts';
import { inboundShards, shardsToRead, type InboundShard } from './inbound-shards.ts';

/** A message whose conversation another worker holds is tried again this often, after a short spin. */
const SPIN_MS = 500;
const LOCKED_RETRY_MS = 100;
/** How long one read waits for new messages. */
const BLOCK_MS = 1_000;
/** A message that keeps failing is tried this many times in all, waiting 0.5 s, 1 s, 2 s … between. */
const ATTEMPTS = 8;
const BACKOFF_MS = 500;
/** Messages waiting to be tried again give their slot up, up to this many per slot. */
const WAITING_PER_SLOT = 4;
/** A message whose worker died this many times while handling it is set aside: it may be what kills them. */
const MAX_DELIVERIES = 6;
/** Consumers (workers) that left nothing pending and were not seen for this long are removed from the group. */
const CONSUMER_IDLE_MS = 3600_000;
const CONSUMER_SWEEP_MS = 60_000;

export interface InboundWorkerOptions {
  /** For acknowledgements, claims and the failed list. */
  connection: RedisClient;
  /** For the blocking reads, alone (under Cluster, shard 0's; the others get a copy each). */
  reader: RedisClient;
  k: Keys;
  /** Shards producers write to (inbound-shards.ts); every shard any producer wrote to is read. */
  shardCount?: number;
  /** A message held this long by a worker that stopped answering is taken over by another. */
  lockMs: number;
  /** Messages handled at once (or waiting for their conversation's previous one) by this worker. */
  concurrency: number;
  /** The use case; `{ kind: 'busy' }` when another worker holds the conversation (tried again soon). */
  handleInbound: (job: InboundJob) => Promise<{ kind: string }>;
  log: Logger;
  /** The first wait between attempts (tests shorten it). */
  backoffMs?: number;
}

export interface InboundWorker {
  readonly name: string;
  isRunning(): boolean;
  /** Stops reading, lets the messages being handled finish, gives back the rest at once, then leaves. */
  close(): Promise<void>;
}

type StreamReply = [string, [string, string[]][]][] | null;

/**
 * Reads buyer messages from every shard of the inbound stream and runs the use case for each. A message is
 * acknowledged (and deleted) once handled; until then it stays pending under this worker's name,
 * and a worker that dies leaves it for another to take over after `lockMs`. Within a worker, the
 * messages of one conversation are handled one after another in the order they came; across
 * workers, the conversation's lock in Redis keeps them one at a time.
 */
export async function startInboundWorker(options: InboundWorkerOptions): Promise<InboundWorker> {
  const { connection, reader, handleInbound } = options;
  const log = options.log.child({ module: 'inbound' });
  const name = `${hostname()}-${process.pid}-${threadId}-${randomUUID().slice(0, 8)}`;
  const backoffMs = options.backoffMs ?? BACKOFF_MS;

  let running = true;
  let shards: InboundShard[] = inboundShards(
    options.k,
    await shardsToRead(connection, options.k, options.shardCount ?? 1),
  );
  /** An entry's id is unique within its shard only: entries are known by both. */
  const ref = (shard: InboundShard, id: string) => `${shard.index}/${id}`;
  /** Entries in this worker, by ref. */
  const held = new Map<string, { shard: InboundShard; id: string; done: Promise<void> }>();
  /** Held entries waiting to be tried again that gave their slot up (up to WAITING_PER_SLOT per slot). */
  let waitingForRetry = 0;
  const busySlots = () => held.size - waitingForRetry;
  /** Attempts already used by messages this worker stopped before handling (by ref): given back with them. */
  const triesUsed = new Map<string, number>();
  const turns = createConversationTurns();
  const waits = createWaits();
  const acks = createStreamAcks(connection, INBOUND_GROUP, log);

  /** Between attempts a message gives its slot up, while not too many wait already. */
  async function waitToRetry(ms: number): Promise<void> {
    const givesSlot = waitingForRetry < options.concurrency * WAITING_PER_SLOT;
    if (givesSlot) {
      waitingForRetry += 1;
      waits.slotFreed();
    }
    await waits.sleep(ms);
    if (givesSlot) waitingForRetry -= 1;
  }
  const attemptOptions = {
    maxAttempts: ATTEMPTS,
    backoffMs,
    spinMs: SPIN_MS,
    busyRetryMs: LOCKED_RETRY_MS,
    running: () => running,
    sleep: waits.sleep,
    waitToRetry,
    log,
  };

  /** Handles one message until it is answered, set aside, or the worker stops (it is then given back). */
  async function handle(
    shard: InboundShard,
    id: string,
    job: InboundJob,
    raw: string,
    firstAttempt: number,
  ): Promise<void> {
    const tryOnce = async () => ((await handleInbound(job)).kind === 'busy' ? 'busy' : 'done');
    const outcome = await tryUntilDone(
      tryOnce,
      firstAttempt,
      { streamId: id, messageId: job.message.messageId },
      attemptOptions,
    );
    if (outcome.kind === 'done') acks.ack(shard, id);
    else if (outcome.kind === 'failed')
      await setAside(connection, shard, INBOUND_GROUP, {
        id,
        raw,
        reason: outcome.reason,
        attempts: outcome.attempts,
      });
    else triesUsed.set(ref(shard, id), outcome.triesUsed);
  }

  async function run(shard: InboundShard, id: string, fields: string[], delivery: number): Promise<void> {
    const entry = entryFields(fields);
    const raw = entry.job ?? '';
    const parsed = InboundJobSchema.safeParse(parseJson(raw));
    if (!parsed.success) {
      log.error({ streamId: id, err: parsed.error.message }, 'bad inbound job set aside');
      return setAside(connection, shard, INBOUND_GROUP, {
        id,
        raw,
        reason: `bad inbound job: ${parsed.error.message}`,
        attempts: delivery,
      });
    }
    if (delivery > MAX_DELIVERIES) {
      log.error(
        { streamId: id, messageId: parsed.data.message.messageId, delivery },
        'inbound message set aside: its workers stopped while handling it',
      );
      return setAside(connection, shard, INBOUND_GROUP, {
        id,
        raw,
        reason: `its worker stopped ${delivery - 1} times while handling it`,
        attempts: delivery - 1,
      });
    }
    // A message given back by a stopping worker carries the attempts it used there.
    const tries = Math.max(0, Math.trunc(Number(entry.tries ?? 0)) || 0);
    await turns.run(parsed.data.message.conversationId, () =>
      handle(shard, id, parsed.data, raw, delivery + tries),
    );
  }

  function start(shard: InboundShard, id: string, fields: string[], delivery: number): void {
    const key = ref(shard, id);
    if (held.has(key)) return;
    const done = run(shard, id, fields, delivery)
      .catch((err) =>
        log.warn(
          { streamId: id, err: (err as Error).message },
          'inbound message left pending; another worker takes it over',
        ),
      )
      .finally(() => {
        held.delete(key);
        waits.slotFreed();
      });
    held.set(key, { shard, id, done });
  }

  /**
   * Reads new entries of `readShards()` with `source` while the worker runs. On a single Redis
   * one read covers every shard; under Cluster each shard's read is its own, as keys of different
   * slots can't share a command. Either way the free slots are shared out between the shards (a
   * read's COUNT is per stream), so reads in flight overrun them by at most one per shard.
   */
  async function readLoop(source: RedisClient, readShards: () => InboundShard[]): Promise<void> {
    while (running) {
      const free = options.concurrency - busySlots();
      const reading = readShards();
      if (free <= 0 || reading.length === 0) {
        await waits.waitForSlot();
        continue;
      }
      const count = Math.max(1, Math.floor(free / shards.length));
      try {
        const streams = reading.map((shard) => shard.stream);
        const reply = (await source.xreadgroup(
          'GROUP',
          INBOUND_GROUP,
          name,
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
          if (shard) for (const [id, fields] of entries) start(shard, id, fields, 1);
        }
      } catch (err) {
        if (!running) return;
        if (err instanceof Error && err.message.startsWith('NOGROUP'))
          await Promise.all(reading.map((shard) => ensureGroup(connection, shard, INBOUND_GROUP))).catch(
            () => undefined,
          );
        else log.warn({ err: (err as Error).message }, 'inbound read failed; trying again');
        await waits.sleep(200);
      }
    }
  }

  // After upkeep failed (Redis away), the others get a whole lockMs to renew theirs before any is taken over.
  let takeOverFrom = Date.now();
  let sweptAt = Date.now();

  /** Keeps this worker's entries, takes over those of workers that stopped answering, and reads new shards. */
  async function tend(): Promise<void> {
    try {
      await Promise.all(
        shards.map(async (shard) => {
          const mine = [...held.values()].filter((e) => e.shard === shard).map((e) => e.id);
          if (!mine.length) return;
          const lost = await keepMine(connection, shard, INBOUND_GROUP, name, mine);
          if (lost.length)
            log.warn(
              { streamIds: lost, shard: shard.index },
              'messages taken over by another worker while this one was slow',
            );
        }),
      );
      if (running && Date.now() >= takeOverFrom) for (const shard of shards) await takeOver(shard);
      if (running && Date.now() - sweptAt >= CONSUMER_SWEEP_MS) {
        sweptAt = Date.now();
        await removeGoneConsumers(connection, shards, INBOUND_GROUP, name, CONSUMER_IDLE_MS);
      }
      if (running) await readMoreShards();
    } catch (err) {
      takeOverFrom = Date.now() + options.lockMs;
      throw err;
    }
  }

  async function takeOver(shard: InboundShard): Promise<void> {
    const free = options.concurrency - busySlots();
    if (free <= 0) return;
    const claimed = await claimStale(connection, shard, INBOUND_GROUP, name, {
      lockMs: options.lockMs,
      max: free,
      held: (id) => held.has(ref(shard, id)),
    });
    for (const { id, fields, delivery } of claimed) {
      log.warn({ streamId: id, shard: shard.index, delivery }, 'taking over a message its worker left');
      start(shard, id, fields, delivery);
    }
  }

  /** A producer that writes to more shards than this worker reads (a raised setting, rolled out) gets them read. */
  async function readMoreShards(): Promise<void> {
    const count = await shardsToRead(connection, options.k, shards.length);
    if (count <= shards.length) return;
    const added = inboundShards(options.k, count).slice(shards.length);
    for (const shard of added) await ensureGroup(connection, shard, INBOUND_GROUP);
    shards = [...shards, ...added];
    log.info({ shards: count }, 'reading more inbound shards');
    if (clustered) for (const shard of added) startShardReader(shard);
    waits.slotFreed();
  }

  /** Everything still pending under this worker's name once it has stopped: none of it was handled. */
  async function giveBackTheRest(): Promise<void> {
    for (const shard of shards) {
      const pending = await pendingOf(connection, shard, INBOUND_GROUP, name);
      if (!pending.length) continue;
      await requeueEntries(
        connection,
        shard,
        'stream',
        pending.map((id) => [id, triesUsed.get(ref(shard, id)) ?? 0]),
      );
    }
  }

  // close() ends a blocking read at once with CLIENT UNBLOCK (a read that brought messages still
  // returns them). Under Cluster the reader's node is not known here: close() waits for the reads.
  const clustered = reader instanceof Cluster;
  let readerId: number | undefined;
  const learnReaderId = async () => {
    if (!(reader instanceof Cluster)) readerId = Number(await reader.client('ID'));
  };
  reader.on('ready', () => void learnReaderId().catch(() => undefined));
  await learnReaderId();
  for (const shard of shards) await ensureGroup(connection, shard, INBOUND_GROUP);
  const readers: Promise<void>[] = [];
  /** Under Cluster: shard 0 is read on `reader`, each other shard on a copy of it, closed when the worker is. */
  const copies: RedisClient[] = [];
  const startShardReader = (shard: InboundShard) => {
    const source = shard.index === 0 ? reader : reader.duplicate();
    if (source !== reader) copies.push(source);
    readers.push(readLoop(source, () => [shard]));
  };
  if (clustered) for (const shard of shards) startShardReader(shard);
  else readers.push(readLoop(reader, () => shards));
  let tending: Promise<void> = Promise.resolve();
  const tendEvery = Math.max(250, Math.floor(options.lockMs / 4));
  const timer = setInterval(() => {
    tending = tending
      .then(tend)
      .catch((err) => log.warn({ err: (err as Error).message }, 'inbound upkeep failed'));
  }, tendEvery);

  return {
    name: 'inbound',
    isRunning: () => running,
    async close() {
      if (!running) return;
      running = false;
      waits.wakeAll();
      if (readerId !== undefined && !(connection instanceof Cluster))
        await connection.client('UNBLOCK', readerId).catch(() => undefined);
      // What a read in progress brings is given back below.
      await Promise.all(readers);
      for (const copy of copies) copy.disconnect();
      // The heartbeat goes on while the messages in hand finish.
      await Promise.all([...held.values()].map((entry) => entry.done));
      clearInterval(timer);
      await tending;
      await acks.settled();
      // If this fails they stay pending here, and another worker takes them over after lockMs.
      await giveBackTheRest().catch((err) =>
        log.warn({ err: (err as Error).message }, 'could not give back unhandled messages'),
      );
      for (const shard of shards)
        await removeConsumer(connection, shard, INBOUND_GROUP, name).catch(() => undefined);
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
