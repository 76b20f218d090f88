import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import type { Keys } from '../shared/keys.ts';
import type { Logger } from '../shared/logger.ts';
import type { RedisClient } from '../shared/redis-client.ts';
import { INBOUND_GROUP, requeueEntries } from './inbound-queue.ts';
import { entryFields } from './stream-entries.ts';
import { tryUntilDone } from './attempts.ts';
import { createConversationTurns } from './conversation-turns.ts';
import { createStreamAcks } from './stream-acks.ts';
import { createHeldEntries } from './held-entries.ts';
import { startStreamReaders } from './stream-readers.ts';
import { createUpkeep } from './consumer-upkeep.ts';
import { pendingOf, removeConsumer, setAside, ensureGroup } from './stream-group.ts';
import { createWaits } from './waits.ts';
import { InboundJobSchema, type InboundJob } from './inbound-job.ts';
import { inboundShards, shardsToRead, type InboundShard } from './inbound-shards.ts';

/** A message whose conversation another worker holds is tried again this often, after a short spin. */
const SPIN_MS = 500;
const LOCKED_RETRY_MS = 100;
/** A message that keeps failing is tried this many times in all, waiting 0.5 s, 1 s, 2 s … between. */
const ATTEMPTS = 8;
const BACKOFF_MS = 500;
/** Messages waiting to be tried again give their slot up, up to this many per slot. */
const WAITING_PER_SLOT = 4;
/** A message whose worker died this many times while handling it is set aside: it may be what kills them. */
const MAX_DELIVERIES = 6;

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

/**
 * Reads buyer messages from every shard of the inbound stream and runs the use case for each. A message is
 * acknowledged (and deleted) once handled; until then it stays pending under this worker's name,
 * and a worker that dies leaves it for another to take over after `lockMs`. Within a worker, the
 * messages of one conversation are handled one after another in the order they came; across
 * workers, the conversation's lock in Redis keeps them one at a time.
 */
export async function startInboundWorker(options: InboundWorkerOptions): Promise<InboundWorker> {
  const { connection, handleInbound } = options;
  const log = options.log.child({ module: 'inbound' });
  const name = `${hostname()}-${process.pid}-${threadId}-${randomUUID().slice(0, 8)}`;
  const group = INBOUND_GROUP;
  let running = true;
  let shards = inboundShards(options.k, await shardsToRead(connection, options.k, options.shardCount ?? 1));
  const held = createHeldEntries(options.concurrency, WAITING_PER_SLOT);
  const turns = createConversationTurns();
  const waits = createWaits();
  const acks = createStreamAcks(connection, group, log);
  const attemptOptions = {
    maxAttempts: ATTEMPTS,
    backoffMs: options.backoffMs ?? BACKOFF_MS,
    spinMs: SPIN_MS,
    busyRetryMs: LOCKED_RETRY_MS,
    running: () => running,
    sleep: waits.sleep,
    // Between attempts a message gives its slot up, while not too many wait already.
    waitToRetry: (ms: number) => held.waitGivingSlot(() => waits.sleep(ms), waits.slotFreed),
    log,
  };

  /** Handles one message until it is answered, set aside, or the worker stops (it is then given back). */
  async function handle(shard: InboundShard, id: string, job: InboundJob, raw: string, firstAttempt: number) {
    const tryOnce = async () => ((await handleInbound(job)).kind === 'busy' ? 'busy' : 'done');
    const context = { streamId: id, messageId: job.message.messageId };
    const outcome = await tryUntilDone(tryOnce, firstAttempt, context, attemptOptions);
    if (outcome.kind === 'done') acks.ack(shard, id);
    else if (outcome.kind === 'stopped') held.rememberTries(shard, id, outcome.triesUsed);
    else
      await setAside(connection, shard, group, {
        id,
        raw,
        reason: outcome.reason,
        attempts: outcome.attempts,
      });
  }

  async function run(shard: InboundShard, id: string, fields: string[], delivery: number): Promise<void> {
    const entry = entryFields(fields);
    const raw = entry.job ?? '';
    const parsed = InboundJobSchema.safeParse(parseJson(raw));
    if (!parsed.success) {
      log.error({ streamId: id, err: parsed.error.message }, 'bad inbound job set aside');
      const reason = `bad inbound job: ${parsed.error.message}`;
      return setAside(connection, shard, group, { id, raw, reason, attempts: delivery });
    }
    if (delivery > MAX_DELIVERIES) {
      log.error(
        { streamId: id, messageId: parsed.data.message.messageId, delivery },
        'inbound message set aside: its workers stopped while handling it',
      );
      const reason = `its worker stopped ${delivery - 1} times while handling it`;
      return setAside(connection, shard, group, { id, raw, reason, attempts: delivery - 1 });
    }
    // A message given back by a stopping worker carries the attempts it used there.
    const tries = Math.max(0, Math.trunc(Number(entry.tries ?? 0)) || 0);
    const job = parsed.data;
    await turns.run(job.message.conversationId, () => handle(shard, id, job, raw, delivery + tries));
  }

  function start(shard: InboundShard, id: string, fields: string[], delivery: number): void {
    if (held.has(shard, id)) return;
    const done = run(shard, id, fields, delivery)
      .catch((err) =>
        log.warn(
          { streamId: id, err: (err as Error).message },
          'inbound message left pending; another worker takes it over',
        ),
      )
      .finally(() => {
        held.release(shard, id);
        waits.slotFreed();
      });
    held.hold(shard, id, done);
  }

  for (const shard of shards) await ensureGroup(connection, shard, group);
  const readers = await startStreamReaders({
    reader: options.reader,
    connection,
    group,
    consumer: name,
    shards: () => shards,
    freeSlots: held.freeSlots,
    running: () => running,
    waits,
    onEntry: (shard, id, fields) => start(shard, id, fields, 1),
    log,
  });
  const tend = createUpkeep({
    connection,
    group,
    consumer: name,
    lockMs: options.lockMs,
    shards: () => shards,
    held,
    running: () => running,
    onClaimed: (shard, { id, fields, delivery }) => start(shard, id, fields, delivery),
    // A producer that writes to more shards than this worker reads (a raised setting, rolled out) gets them read.
    async readMoreShards() {
      const count = await shardsToRead(connection, options.k, shards.length);
      if (count <= shards.length) return;
      const added = inboundShards(options.k, count).slice(shards.length);
      for (const shard of added) await ensureGroup(connection, shard, group);
      shards = [...shards, ...added];
      log.info({ shards: count }, 'reading more inbound shards');
      readers.added(added);
      waits.slotFreed();
    },
    log,
  });
  let tending: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      tending = tending
        .then(tend)
        .catch((err) => log.warn({ err: (err as Error).message }, 'inbound upkeep failed'));
    },
    Math.max(250, Math.floor(options.lockMs / 4)),
  );

  /** Everything still pending under this worker's name once it has stopped: none of it was handled. */
  async function giveBackTheRest(): Promise<void> {
    for (const shard of shards) {
      const pending = await pendingOf(connection, shard, group, name);
      if (!pending.length) continue;
      await requeueEntries(
        connection,
        shard,
        'stream',
        pending.map((id) => [id, held.triesUsed(shard, id)]),
      );
    }
  }

  return {
    name: 'inbound',
    isRunning: () => running,
    async close() {
      if (!running) return;
      running = false;
      waits.wakeAll();
      // What a read in progress brings is given back below.
      await readers.stop();
      // The heartbeat goes on while the messages in hand finish.
      await held.settled();
      clearInterval(timer);
      await tending;
      // An upkeep round under way may have taken over entries after the first look.
      await held.settled();
      await acks.settled();
      // If this fails they stay pending here, and another worker takes them over after lockMs.
      await giveBackTheRest().catch((err) =>
        log.warn({ err: (err as Error).message }, 'could not give back unhandled messages'),
      );
      for (const shard of shards) await removeConsumer(connection, shard, group, name).catch(() => undefined);
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
