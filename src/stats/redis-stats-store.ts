import type { RedisClient } from '../shared/redis-client.ts';
import type { Keys } from '../shared/keys.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import { type StatsStore } from './stats-store.ts';

const SAMPLES_KEPT = 2_000;
const HOURS_KEPT = 7 * 24;

/** Answered messages are counted in memory and written this often, in one call: not one per message. */
const FLUSH_MS = 1_000;
const CLOSE_WAIT_MS = 2_000;

/**
 * The messages answered since the last write, in one call (stats keys only). KEYS: intents,
 * hourly, totals, bot-ms samples, channels. ARGV: number of intents, number of hours, new
 * conversations, samples kept, number of channels, then (intent, count) pairs, (hour, count)
 * pairs, (channel, count) pairs, and the response-ms samples.
 */
const COUNT_MESSAGES = redisScript(`
local at = 6
for _ = 1, tonumber(ARGV[1]) do redis.call('hincrby', KEYS[1], ARGV[at], ARGV[at + 1]); at = at + 2 end
for _ = 1, tonumber(ARGV[2]) do redis.call('hincrby', KEYS[2], ARGV[at], ARGV[at + 1]); at = at + 2 end
for _ = 1, tonumber(ARGV[5]) do redis.call('hincrby', KEYS[5], ARGV[at], ARGV[at + 1]); at = at + 2 end
if ARGV[3] ~= '0' then redis.call('hincrby', KEYS[3], 'conversations', ARGV[3]) end
if #ARGV >= at then
  redis.call('lpush', KEYS[4], unpack(ARGV, at))
  redis.call('ltrim', KEYS[4], 0, tonumber(ARGV[4]) - 1)
end`);

export function createRedisStatsStore(redis: RedisClient, k: Keys): StatsStore {
  const key = (name: string) => `${k.stats()}:${name}`;
  const hour = (at: Date) => at.toISOString().slice(0, 13);
  let pending = emptyCounts();
  let flushing: Promise<void> | undefined;

  async function write(): Promise<void> {
    if (pending.intents.size === 0) return; // no message counted
    const batch = pending;
    pending = emptyCounts();
    const pairs = (counts: Map<string, number>) => [...counts].flat();
    try {
      await COUNT_MESSAGES(
        redis,
        [key('intents'), key('hourly'), key('totals'), key('bot-ms'), key('channels')],
        [
          batch.intents.size,
          batch.hours.size,
          batch.conversations,
          SAMPLES_KEPT,
          batch.channels.size,
          ...pairs(batch.intents),
          ...pairs(batch.hours),
          ...pairs(batch.channels),
          ...batch.botMs,
        ],
      );
    } catch {
      pending = mergeCounts(batch, pending); // Redis is away: kept for the next write
    }
  }
  const flush = () => (flushing ??= write().finally(() => (flushing = undefined)));
  /** Everything counted until now: after a write already under way, one more. */
  const flushAll = async () => {
    await flushing;
    await flush();
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();

  return {
    async message(intent, at, botResponseMs, newConversation, channel) {
      add(pending.intents, intent, 1);
      add(pending.channels, channel, 1);
      add(pending.hours, hour(at), 1);
      if (newConversation) pending.conversations += 1;
      if (botResponseMs !== undefined) pending.botMs.push(Math.round(botResponseMs));
      if (pending.botMs.length > SAMPLES_KEPT) pending.botMs.splice(0, pending.botMs.length - SAMPLES_KEPT);
    },
    async close() {
      clearInterval(timer);
      // While Redis is away the write waits for it (the workers' connection does): stopping waits only so long.
      await Promise.race([flushAll(), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    },
    async handoff(reason) {
      await redis.multi().hincrby(key('totals'), 'handoffs', 1).hincrby(key('reasons'), reason, 1).exec();
    },
    async pickup(ms) {
      await redis
        .multi()
        .lpush(key('pickup-ms'), Math.round(ms))
        .ltrim(key('pickup-ms'), 0, SAMPLES_KEPT - 1)
        .exec();
    },
    async firstAgentReply(waitedMs) {
      const multi = redis.multi();
      if (waitedMs >= 100_000) multi.hincrby(key('totals'), 'over100s', 1);
      if (waitedMs >= 180_000) multi.hincrby(key('totals'), 'over3min', 1);
      await multi.exec();
    },
    async summary(now) {
      await flushAll(); // this process's latest counts too
      const [totals, reasons, intents, hourly, botMs, pickupMs, channels] = await Promise.all([
        redis.hgetall(key('totals')),
        redis.hgetall(key('reasons')),
        redis.hgetall(key('intents')),
        redis.hgetall(key('hourly')),
        redis.lrange(key('bot-ms'), 0, -1),
        redis.lrange(key('pickup-ms'), 0, -1),
        redis.hgetall(key('channels')),
      ]);
      const conversations = Number(totals.conversations ?? 0);
      const handoffs = Number(totals.handoffs ?? 0);
      const since = hour(new Date(now.getTime() - HOURS_KEPT * 3600_000));
      return {
        conversations,
        handoffs,
        autoResolutionRate: conversations
          ? round(1 - Math.min(handoffs, conversations) / conversations)
          : null,
        handoffRate: conversations ? round(Math.min(handoffs, conversations) / conversations) : null,
        handoffReasons: numbers(reasons),
        intents: numbers(intents),
        messagesByChannel: numbers(channels),
        messagesPerHour: Object.entries(hourly)
          .filter(([h]) => h >= since)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([h, n]) => ({ hour: h, messages: Number(n) })),
        botResponseMs: percentiles(botMs),
        agentPickupMs: percentiles(pickupMs),
        agentReplyBreaches: {
          over100s: Number(totals.over100s ?? 0),
          over3min: Number(totals.over3min ?? 0),
        },
      };
    },
  };
}

/** Answered messages not written to Redis yet. */
interface Counts {
  intents: Map<string, number>;
  hours: Map<string, number>;
  channels: Map<string, number>;
  conversations: number;
  botMs: number[];
}

const emptyCounts = (): Counts => ({
  intents: new Map(),
  hours: new Map(),
  channels: new Map(),
  conversations: 0,
  botMs: [],
});
const add = (counts: Map<string, number>, field: string, n: number) =>
  counts.set(field, (counts.get(field) ?? 0) + n);

function mergeCounts(older: Counts, newer: Counts): Counts {
  for (const [field, n] of newer.intents) add(older.intents, field, n);
  for (const [field, n] of newer.hours) add(older.hours, field, n);
  for (const [field, n] of newer.channels) add(older.channels, field, n);
  return {
    intents: older.intents,
    hours: older.hours,
    channels: older.channels,
    conversations: older.conversations + newer.conversations,
    botMs: [...older.botMs, ...newer.botMs].slice(-SAMPLES_KEPT),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const numbers = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));

function percentiles(raw: string[]): { p50: number | null; p95: number | null; n: number } {
  const xs = raw.map(Number).sort((a, b) => a - b);
  const at = (q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : null);
  return { p50: at(0.5), p95: at(0.95), n: xs.length };
}
