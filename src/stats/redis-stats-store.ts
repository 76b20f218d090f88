import type { RedisClient } from '../shared/redis.ts';
import type { Keys } from '../shared/keys.ts';
import { redisScript } from '../shared/redis-helpers.ts';

const SAMPLES_KEPT = 2_000;
const HOURS_KEPT = 7 * 24;

/**
 * One answered message in the counters, in one call (stats keys only). KEYS: intents, hourly,
 * totals, bot-ms samples. ARGV: intent, hour, 1 for a new conversation, response ms or '', samples kept.
 */
const COUNT_MESSAGE = redisScript(`
redis.call('hincrby', KEYS[1], ARGV[1], 1)
redis.call('hincrby', KEYS[2], ARGV[2], 1)
if ARGV[3] == '1' then redis.call('hincrby', KEYS[3], 'conversations', 1) end
if ARGV[4] ~= '' then
  redis.call('lpush', KEYS[4], ARGV[4])
  redis.call('ltrim', KEYS[4], 0, tonumber(ARGV[5]) - 1)
end`);

export interface StatsSummary {
  conversations: number;
  handoffs: number;
  /** Conversations the bot finished without a person: 1 − hand-offs ÷ conversations. */
  autoResolutionRate: number | null;
  handoffRate: number | null;
  handoffReasons: Record<string, number>;
  intents: Record<string, number>;
  messagesPerHour: { hour: string; messages: number }[];
  botResponseMs: { p50: number | null; p95: number | null; n: number };
  agentPickupMs: { p50: number | null; p95: number | null; n: number };
  agentReplyBreaches: { over100s: number; over3min: number };
}

/** Counters kept in Redis so every instance adds to the same figures. */
export interface StatsStore {
  message(intent: string, at: Date, botResponseMs: number | undefined, newConversation: boolean): Promise<void>;
  handoff(reason: string): Promise<void>;
  pickup(ms: number): Promise<void>;
  firstAgentReply(waitedMs: number): Promise<void>;
  summary(now: Date): Promise<StatsSummary>;
}

export function createRedisStatsStore(redis: RedisClient, k: Keys): StatsStore {
  const key = (name: string) => `${k.stats()}:${name}`;
  const hour = (at: Date) => at.toISOString().slice(0, 13);
  return {
    async message(intent, at, botResponseMs, newConversation) {
      const ms = botResponseMs === undefined ? '' : Math.round(botResponseMs);
      await COUNT_MESSAGE(redis, [key('intents'), key('hourly'), key('totals'), key('bot-ms')], [intent, hour(at), newConversation ? 1 : 0, ms, SAMPLES_KEPT]);
    },
    async handoff(reason) {
      await redis.multi().hincrby(key('totals'), 'handoffs', 1).hincrby(key('reasons'), reason, 1).exec();
    },
    async pickup(ms) {
      await redis.multi().lpush(key('pickup-ms'), Math.round(ms)).ltrim(key('pickup-ms'), 0, SAMPLES_KEPT - 1).exec();
    },
    async firstAgentReply(waitedMs) {
      const multi = redis.multi();
      if (waitedMs >= 100_000) multi.hincrby(key('totals'), 'over100s', 1);
      if (waitedMs >= 180_000) multi.hincrby(key('totals'), 'over3min', 1);
      await multi.exec();
    },
    async summary(now) {
      const [totals, reasons, intents, hourly, botMs, pickupMs] = await Promise.all([
        redis.hgetall(key('totals')), redis.hgetall(key('reasons')), redis.hgetall(key('intents')), redis.hgetall(key('hourly')),
        redis.lrange(key('bot-ms'), 0, -1), redis.lrange(key('pickup-ms'), 0, -1),
      ]);
      const conversations = Number(totals.conversations ?? 0);
      const handoffs = Number(totals.handoffs ?? 0);
      const since = hour(new Date(now.getTime() - HOURS_KEPT * 3600_000));
      return {
        conversations,
        handoffs,
        autoResolutionRate: conversations ? round(1 - Math.min(handoffs, conversations) / conversations) : null,
        handoffRate: conversations ? round(Math.min(handoffs, conversations) / conversations) : null,
        handoffReasons: numbers(reasons),
        intents: numbers(intents),
        messagesPerHour: Object.entries(hourly).filter(([h]) => h >= since).sort(([a], [b]) => a.localeCompare(b)).map(([h, n]) => ({ hour: h, messages: Number(n) })),
        botResponseMs: percentiles(botMs),
        agentPickupMs: percentiles(pickupMs),
        agentReplyBreaches: { over100s: Number(totals.over100s ?? 0), over3min: Number(totals.over3min ?? 0) },
      };
    },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const numbers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));

function percentiles(raw: string[]): { p50: number | null; p95: number | null; n: number } {
  const xs = raw.map(Number).sort((a, b) => a - b);
  const at = (q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : null);
  return { p50: at(0.5), p95: at(0.95), n: xs.length };
}
