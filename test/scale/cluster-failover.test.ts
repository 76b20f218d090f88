import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/queue/inbound-shards.ts';
import { keys } from '../../src/shared/keys.ts';
import { FakeChannel } from '../helpers/fake-channel.ts';
import { uniquePrefix } from '../helpers/redis.ts';
import { clusterState, RedisCluster } from '../helpers/redis-cluster.ts';
import {
  buyerMessage,
  SECRET,
  signedPost,
  sleep,
  startTestService,
  waitFor,
  type TestService,
} from '../helpers/service.ts';

/** Messages posted at most (a bound: the stream normally stops far earlier). */
const MAX_MESSAGES = 400;
/** Messages accepted before the kill, and after the service is healthy again. */
const BEFORE_KILL = 40;
const AFTER_RECOVERY = 40;
/** Posts in flight at once, as a channel with a few connections. */
const SENDERS = 4;
const TRAFFIC_DEADLINE_MS = 25_000;
const SHARDS = 8;

/**
 * The service on a Cluster with a replica per master (REDIS_CLUSTER_NODES). While buyer messages
 * stream in through the signed webhook, the master that holds shard 0 of the inbound stream (the
 * `{inbox}` slot; other shards live on the other masters) is killed with kill -9, and its replica
 * takes over. What is promised: every message the
 * webhook answered 202 is answered by the bot exactly once (one reply messageId; a re-sent reply
 * keeps its messageId, and the contract tells channels to dedupe on it); a post refused (503) while the slot
 * has no master is retried by the channel with the same messageId; the service heals by itself.
 * One exception, as "Which Redis" says: replication is asynchronous, so an enqueue the old master
 * acknowledged but had not yet passed on can be lost with it. Such a message is told apart (its
 * dedupe mark, written by the same script as the stream entry, is missing on the new master but
 * is in the old master's append-only file) and reported; on loopback none was ever lost (0 of
 * ~26,000 writes acknowledged around three kills).
 */
describe('on a Redis Cluster with replicas, the inbound stream’s master killed mid-stream', () => {
  const cluster = new RedisCluster();
  const channel = new FakeChannel(SECRET);
  const prefix = uniquePrefix();
  const streamKey = keys(prefix).inboundStream();
  let service: TestService | undefined;

  beforeAll(async () => {
    await cluster.start(3, { replicas: 1, nodeTimeoutMs: 1000 });
    const channelUrl = await channel.start();
    service = await startTestService({
      REDIS_URL: '',
      REDIS_CLUSTER_NODES: cluster.nodes,
      KEY_PREFIX: prefix,
      CHANNEL_SEND_URL: channelUrl,
      // A message whose acknowledgement died with the master is taken over soon, not after 30 s.
      WORKER_LOCK_MS: '3000',
      FLOOD_PER_MINUTE: '1000',
      INBOUND_SHARDS: String(SHARDS),
    });
  }, 60_000);
  afterAll(async () => {
    try {
      // Bounded: a service whose Redis never came back may not stop; the cluster goes regardless.
      await Promise.race([service?.stop(), sleep(15_000)]);
    } finally {
      await channel.stop();
      await cluster.stop();
    }
  }, 40_000);

  const healthz = async () => (await fetch(`${service!.url}/healthz`).catch(() => undefined))?.status;

  it('answers every accepted message exactly once, refuses with 503 meanwhile, and recovers without a restart', async () => {
    const url = `${service!.url}/v1/channels/generic/messages`;
    const tag = randomUUID().slice(0, 6);
    const texts = ['在吗', '发什么快递', 'what is the fabric?'];
    const accepted = new Set<string>();
    const otherStatuses: number[] = [];
    let refused = 0;
    let [acceptedAtKill, acceptedAtRecovery] = [-1, -1];
    let next = 0;
    let failed = false;
    const deadline = Date.now() + TRAFFIC_DEADLINE_MS;
    const done = () =>
      failed ||
      (acceptedAtRecovery >= 0 && accepted.size >= acceptedAtRecovery + AFTER_RECOVERY) ||
      next >= MAX_MESSAGES ||
      Date.now() > deadline;

    /** Posts like a channel: a 503 or a dropped connection is retried with the same messageId. */
    async function deliver(message: ReturnType<typeof buyerMessage>): Promise<void> {
      while (Date.now() < deadline) {
        const res = await signedPost(url, message).catch(() => undefined);
        await res?.body?.cancel();
        if (res?.status === 202) {
          accepted.add(message.messageId);
          return;
        }
        if (res && res.status !== 503) otherStatuses.push(res.status);
        refused += 1;
        await sleep(100);
      }
    }
    async function sender(): Promise<void> {
      while (!done()) {
        const i = next++;
        await deliver(
          buyerMessage({
            messageId: `m-${tag}-${i}`,
            conversationId: `c-${tag}-${i % 60}`,
            text: texts[i % 3]!,
            productId: 'p-1001',
          }),
        );
        await sleep(20);
      }
    }

    expect(await healthz()).toBe(200);
    const victim = await cluster.masterOf(streamKey, cluster.ports[0]!);
    expect(victim).toBeDefined();
    const survivor = cluster.ports.find((p) => p !== victim)!;
    const failover = (async () => {
      await waitFor(
        () => accepted.size >= BEFORE_KILL || Date.now() > deadline,
        TRAFFIC_DEADLINE_MS,
        'messages before the kill',
      );
      acceptedAtKill = accepted.size;
      const killedAt = Date.now();
      await cluster.kill(victim!);
      // The replica is promoted once the others count the master as failed (cluster-node-timeout 1 s).
      const promoted = await waitFor(
        async () => {
          const owner = await cluster.masterOf(streamKey, survivor).catch(() => undefined);
          return owner !== undefined && owner !== victim && (await clusterState(survivor)) === 'ok'
            ? owner
            : undefined;
        },
        15_000,
        'the replica promoted',
      );
      const promotedMs = Date.now() - killedAt;
      await waitFor(async () => ((await healthz()) === 200 ? true : undefined), 15_000, '/healthz 200 again');
      acceptedAtRecovery = accepted.size;
      return { promoted, promotedMs, healthyMs: Date.now() - killedAt };
    })().catch((err: unknown) => {
      failed = true; // the senders stop too
      throw err;
    });
    const [timing] = await Promise.all([failover, ...Array.from({ length: SENDERS }, () => sender())]);

    expect(otherStatuses).toEqual([]);
    expect(accepted.size).toBe(next); // every message posted was accepted in the end
    expect(acceptedAtKill).toBeGreaterThanOrEqual(BEFORE_KILL);
    expect(accepted.size).toBeGreaterThanOrEqual(acceptedAtRecovery + AFTER_RECOVERY);

    // Accepted messages the new master has no trace of: lost to asynchronous replication.
    const redis = new Cluster([{ host: '127.0.0.1', port: survivor }], {
      redisOptions: { maxRetriesPerRequest: 3 },
    });
    const k = keys(prefix);
    /** Message i is in conversation i % 60 (sender below), and its dedupe mark in that conversation's shard. */
    const seenKey = (id: string) =>
      k.inboundSeen(shardOf(`c-${tag}-${Number(id.split('-').at(-1)) % 60}`, SHARDS), 'generic', id);
    const lost = new Set<string>();
    try {
      for (const id of accepted) if ((await redis.exists(seenKey(id))) === 0) lost.add(id);
    } finally {
      redis.disconnect();
    }
    const kept = [...accepted].filter((id) => !lost.has(id));
    const mine = () => channel.received.filter((m) => m.conversationId.startsWith(`c-${tag}-`));
    const answered = () => new Set(mine().map((m) => m.inReplyTo));
    await waitFor(
      () => (kept.every((id) => answered().has(id)) ? true : undefined),
      20_000,
      'every accepted message answered',
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${kept.filter((id) => !answered().has(id)).join(', ')} not answered`);
    });
    await sleep(1000); // a second answer would come about now
    // The contract: a reply may reach the channel again with the same messageId (sent, then the
    // mark that says so lost with the master), and the channel dedupes on it. Deduped like that,
    // each buyer message has one answer: a second answer would carry another messageId.
    const perMessage = new Map<string, Set<string>>();
    for (const m of mine())
      perMessage.set(m.inReplyTo!, (perMessage.get(m.inReplyTo!) ?? new Set()).add(m.messageId));
    expect([...perMessage].filter(([, replies]) => replies.size !== 1)).toEqual([]);
    const resent = mine().length - perMessage.size;
    // A lost message may still have been answered (by a worker that read it before the kill).
    expect(new Set([...perMessage.keys()].filter((id) => !lost.has(id)))).toEqual(new Set(kept));
    // Lost only if the old master had it: it writes its append-only file before it answers, and
    // the file outlives a kill -9. A 202 for a message it never stored would be xiaoer's fault.
    const oldMasterWrote = cluster.appendOnlyFile(victim!);
    expect([...lost].filter((id) => !oldMasterWrote.includes(seenKey(id)))).toEqual([]);
    expect(await healthz()).toBe(200);
    process.stdout.write(
      `cluster failover: ${accepted.size} accepted (${acceptedAtKill} before the kill of :${victim}), ${refused} posts refused meanwhile, ` +
        `replica :${timing.promoted} promoted after ${timing.promotedMs} ms, /healthz 200 after ${timing.healthyMs} ms; ` +
        `each answered once (${resent} replies re-sent with the same messageId), ${lost.size} lost to asynchronous replication\n`,
    );
  }, 60_000);
});
