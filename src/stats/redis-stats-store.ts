import type { RedisClient } from '../shared/redis-client.ts';
import type { Keys } from '../shared/keys.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import { localDate, toLocal } from '../shared/zoned-time.ts';
import {
  daysBetween,
  sumCounts,
  type StatsStore,
  type StatsSummary,
  type UnansweredGroup,
} from './stats-store.ts';

/** Samples of response and pickup times kept per day, for the percentiles. */
const SAMPLES_KEPT = 2_000;
/** A day's figures are kept this long after it was last written to. */
const DAYS_KEPT = 400;

/** Answered messages are counted in memory and written this often, in one call: not one per message. */
const FLUSH_MS = 1_000;
const CLOSE_WAIT_MS = 2_000;

/** A day's keys, one per figure, all in the stats slot. */
type Figure =
  | 'intents'
  | 'hourly'
  | 'totals'
  | 'bot-ms'
  | 'channels'
  | 'reasons'
  | 'pickup-ms'
  | 'first-reply-ms'
  | 'handling-ms'
  | 'agents'
  | 'unanswered'
  | 'unanswered-last'
  | 'satisfaction';

/** The figures a summary reads: counters kept as hashes, and samples (ms) kept as lists. */
const HASH_FIGURES = [
  'totals',
  'reasons',
  'intents',
  'hourly',
  'channels',
  'satisfaction',
  'agents',
] as const;
const SAMPLE_FIGURES = ['bot-ms', 'pickup-ms', 'first-reply-ms', 'handling-ms'] as const;
type HashFigure = (typeof HASH_FIGURES)[number];
type SampleFigure = (typeof SAMPLE_FIGURES)[number];

/** Different questions kept per day: past that, only those already there are counted (a flood of junk can't grow it). */
const UNANSWERED_KEPT = 5_000;

/**
 * One unanswered question. KEYS: the day's counts and latest wording. ARGV: the question's
 * grouping key, its latest wording (JSON), the most questions kept, seconds kept.
 */
const COUNT_UNANSWERED = redisScript(`
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 and redis.call('hlen', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('hincrby', KEYS[1], ARGV[1], 1)
redis.call('hset', KEYS[2], ARGV[1], ARGV[2])
redis.call('expire', KEYS[1], ARGV[4])
redis.call('expire', KEYS[2], ARGV[4])
return 1`);

/**
 * One day's messages answered since the last write, in one call. KEYS: that day's intents,
 * hourly, totals, bot-ms samples and channels. ARGV: number of intents, number of hours, new
 * conversations, samples kept, number of channels, seconds kept, then (intent, count) pairs,
 * (hour, count) pairs, (channel, count) pairs, and the response-ms samples.
 */
const COUNT_MESSAGES = redisScript(`
local at = 7
for _ = 1, tonumber(ARGV[1]) do redis.call('hincrby', KEYS[1], ARGV[at], ARGV[at + 1]); at = at + 2 end
for _ = 1, tonumber(ARGV[2]) do redis.call('hincrby', KEYS[2], ARGV[at], ARGV[at + 1]); at = at + 2 end
for _ = 1, tonumber(ARGV[5]) do redis.call('hincrby', KEYS[5], ARGV[at], ARGV[at + 1]); at = at + 2 end
if ARGV[3] ~= '0' then redis.call('hincrby', KEYS[3], 'conversations', ARGV[3]) end
if #ARGV >= at then
  redis.call('lpush', KEYS[4], unpack(ARGV, at))
  redis.call('ltrim', KEYS[4], 0, tonumber(ARGV[4]) - 1)
end
for i = 1, 5 do redis.call('expire', KEYS[i], ARGV[6]) end`);

/**
 * The shop's figures, per day in its time zone (SHOP_TZ): each day's counters under keys of their
 * own, so a day, a week or a sale period is read by adding its days up.
 */
export function createRedisStatsStore(redis: RedisClient, k: Keys, timeZone: string): StatsStore {
  const key = (day: string, figure: Figure) => `${k.stats()}:d:${day}:${figure}`;
  const dayOf = (at: Date) => localDate(at, timeZone);
  const keptSeconds = DAYS_KEPT * 24 * 3600;
  /** Counts not written yet, by the shop's local day they belong to. */
  let pending = new Map<string, Counts>();
  let flushing: Promise<void> | undefined;

  async function write(): Promise<void> {
    if (pending.size === 0) return; // no message counted
    const batch = pending;
    pending = new Map();
    const pairs = (counts: Map<string, number>) => [...counts].flat();
    for (const [day, counts] of batch) {
      try {
        await COUNT_MESSAGES(
          redis,
          [
            key(day, 'intents'),
            key(day, 'hourly'),
            key(day, 'totals'),
            key(day, 'bot-ms'),
            key(day, 'channels'),
          ],
          [
            counts.intents.size,
            counts.hours.size,
            counts.conversations,
            SAMPLES_KEPT,
            counts.channels.size,
            keptSeconds,
            ...pairs(counts.intents),
            ...pairs(counts.hours),
            ...pairs(counts.channels),
            ...counts.botMs,
          ],
        );
      } catch {
        // Redis is away: kept for the next write.
        pending.set(day, mergeCounts(counts, pending.get(day) ?? emptyCounts()));
      }
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

  /** A write of one day's figure, kept DAYS_KEPT from now. */
  const touch = (multi: ReturnType<RedisClient['multi']>, day: string, figure: Figure) =>
    multi.expire(key(day, figure), keptSeconds);
  /** One ms sample on a day's list (the newest SAMPLES_KEPT are kept), for its percentiles. */
  const sample = (multi: ReturnType<RedisClient['multi']>, day: string, figure: SampleFigure, ms: number) =>
    touch(
      multi.lpush(key(day, figure), Math.round(ms)).ltrim(key(day, figure), 0, SAMPLES_KEPT - 1),
      day,
      figure,
    );
  /** One more for an agent's count, and their ms added to its sum (for the mean). */
  const perAgent = (
    multi: ReturnType<RedisClient['multi']>,
    day: string,
    fields: { count: string; ms: string },
    ms: number,
  ) =>
    touch(
      multi
        .hincrby(key(day, 'agents'), fields.count, 1)
        .hincrby(key(day, 'agents'), fields.ms, Math.round(ms)),
      day,
      'agents',
    );

  return {
    async message(intent, at, botResponseMs, newConversation, channel) {
      const local = toLocal(at, timeZone); // once: the day and the hour
      const day = `${local.year}-${pad(local.month)}-${pad(local.day)}`;
      let counts = pending.get(day);
      if (!counts) pending.set(day, (counts = emptyCounts()));
      add(counts.intents, intent, 1);
      add(counts.channels, channel, 1);
      add(counts.hours, pad(local.hour), 1);
      if (newConversation) counts.conversations += 1;
      if (botResponseMs !== undefined) counts.botMs.push(Math.round(botResponseMs));
      if (counts.botMs.length > SAMPLES_KEPT) counts.botMs.splice(0, counts.botMs.length - SAMPLES_KEPT);
    },
    async close() {
      clearInterval(timer);
      // While Redis is away the write waits for it (the workers' connection does): stopping waits only so long.
      await Promise.race([flushAll(), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    },
    async handoff(reason, at) {
      const day = dayOf(at);
      const multi = redis
        .multi()
        .hincrby(key(day, 'totals'), 'handoffs', 1)
        .hincrby(key(day, 'reasons'), reason, 1);
      touch(multi, day, 'totals');
      touch(multi, day, 'reasons');
      await multi.exec();
    },
    async pickup(ms, at) {
      const day = dayOf(at);
      await sample(redis.multi(), day, 'pickup-ms', ms).exec();
    },
    async firstAgentReply(waitedMs, at, agent) {
      const day = dayOf(at);
      const multi = sample(redis.multi(), day, 'first-reply-ms', waitedMs);
      await perAgent(
        multi,
        day,
        { count: `${agent}:firstAnswers`, ms: `${agent}:firstAnswerMs` },
        waitedMs,
      ).exec();
    },
    async handled(agent, handlingMs, at) {
      const day = dayOf(at);
      const multi = sample(redis.multi(), day, 'handling-ms', handlingMs);
      await perAgent(multi, day, { count: `${agent}:handled`, ms: `${agent}:handlingMs` }, handlingMs).exec();
    },
    async waitBreach(line, at) {
      const day = dayOf(at);
      const multi = redis.multi().hincrby(key(day, 'totals'), line === '100s' ? 'over100s' : 'over3min', 1);
      touch(multi, day, 'totals');
      await multi.exec();
    },
    async satisfactionAsked(agent, at) {
      const day = dayOf(at);
      const multi = redis
        .multi()
        .hincrby(key(day, 'satisfaction'), ':asked', 1)
        .hincrby(key(day, 'satisfaction'), `${agent}:asked`, 1);
      touch(multi, day, 'satisfaction');
      await multi.exec();
    },
    async satisfaction(agent, score, at) {
      const day = dayOf(at);
      // Per agent `<agent>` (answers), `<agent>:sum` (of scores), `<agent>:asked`; the day's totals with no name.
      const multi = redis
        .multi()
        .hincrby(key(day, 'satisfaction'), '', 1)
        .hincrby(key(day, 'satisfaction'), ':sum', score)
        .hincrby(key(day, 'satisfaction'), agent, 1)
        .hincrby(key(day, 'satisfaction'), `${agent}:sum`, score);
      touch(multi, day, 'satisfaction');
      await multi.exec();
    },
    async unanswered(question) {
      const day = dayOf(question.at);
      const latest = JSON.stringify({
        text: question.text.slice(0, 500),
        intent: question.intent,
        reason: question.reason,
        lastAt: question.at.toISOString(),
      });
      await COUNT_UNANSWERED(
        redis,
        [key(day, 'unanswered'), key(day, 'unanswered-last')],
        [questionKey(question.text), latest, UNANSWERED_KEPT, keptSeconds],
      );
    },
    async unansweredList(days, now, limit) {
      const today = dayOf(now);
      const from = dayOf(new Date(now.getTime() - (days - 1) * 86_400_000));
      const groups = new Map<string, UnansweredGroup>();
      const read = await Promise.all(
        daysBetween(from, today).map((day) =>
          Promise.all([redis.hgetall(key(day, 'unanswered')), redis.hgetall(key(day, 'unanswered-last'))]),
        ),
      );
      for (const [counts, latest] of read) {
        for (const [field, count] of Object.entries(counts)) {
          const last = parseLatest(latest[field]);
          if (!last) continue;
          const seen = groups.get(field);
          groups.set(field, {
            ...(seen && seen.lastAt > last.lastAt ? seen : last),
            count: (seen?.count ?? 0) + Number(count),
          });
        }
      }
      return [...groups.values()]
        .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt))
        .slice(0, limit);
    },
    async summary(range, now) {
      await flushAll(); // this process's latest counts too
      const today = dayOf(now);
      const days = daysBetween(range?.from ?? today, range?.to ?? today);
      // Each day's counters (hashes) and samples (lists), read together.
      const read = await Promise.all(
        days.map(async (day) => {
          const [hashes, lists] = await Promise.all([
            Promise.all(HASH_FIGURES.map((f) => redis.hgetall(key(day, f)))),
            Promise.all(SAMPLE_FIGURES.map((f) => redis.lrange(key(day, f), 0, -1))),
          ]);
          const hash = (f: HashFigure) => hashes[HASH_FIGURES.indexOf(f)]!;
          const samples = (f: SampleFigure) => lists[SAMPLE_FIGURES.indexOf(f)]!;
          return { day, hash, samples };
        }),
      );
      const sum = (pick: (d: (typeof read)[number]) => Record<string, string>) => sumCounts(read.map(pick));
      const totals = sum((d) => d.hash('totals'));
      const conversations = totals.conversations ?? 0;
      const handoffs = totals.handoffs ?? 0;
      return {
        from: days[0]!,
        to: days[days.length - 1]!,
        timeZone,
        conversations,
        handoffs,
        autoResolutionRate: conversations
          ? round(1 - Math.min(handoffs, conversations) / conversations)
          : null,
        handoffRate: conversations ? round(Math.min(handoffs, conversations) / conversations) : null,
        handoffReasons: sum((d) => d.hash('reasons')),
        intents: sum((d) => d.hash('intents')),
        messagesByChannel: sum((d) => d.hash('channels')),
        // The shop's local hours, `YYYY-MM-DDTHH`.
        messagesPerHour: read.flatMap((d) =>
          Object.entries(d.hash('hourly'))
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([h, n]) => ({ hour: `${d.day}T${h}`, messages: Number(n) })),
        ),
        botResponseMs: percentiles(read.flatMap((d) => d.samples('bot-ms'))),
        agentPickupMs: percentiles(read.flatMap((d) => d.samples('pickup-ms'))),
        agentFirstReplyMs: percentiles(read.flatMap((d) => d.samples('first-reply-ms'))),
        agentHandlingMs: percentiles(read.flatMap((d) => d.samples('handling-ms'))),
        agents: agentFigures(sum((d) => d.hash('agents'))),
        agentReplyBreaches: { over100s: totals.over100s ?? 0, over3min: totals.over3min ?? 0 },
        satisfaction: satisfactionFigures(sum((d) => d.hash('satisfaction'))),
      };
    },
  };
}

/** Per agent, from `<agent>:handled`, `:handlingMs`, `:firstAnswers`, `:firstAnswerMs` sums. */
function agentFigures(counts: Record<string, number>): StatsSummary['agents'] {
  const mean = (sum: number | undefined, n: number) => (n ? Math.round((sum ?? 0) / n) : null);
  const agents: StatsSummary['agents'] = {};
  for (const field of Object.keys(counts)) {
    const agent = field.slice(0, field.lastIndexOf(':'));
    if (agents[agent]) continue;
    const handled = counts[`${agent}:handled`] ?? 0;
    const firstAnswers = counts[`${agent}:firstAnswers`] ?? 0;
    agents[agent] = {
      handled,
      handlingMsAverage: mean(counts[`${agent}:handlingMs`], handled),
      firstAnswers,
      firstAnswerMsAverage: mean(counts[`${agent}:firstAnswerMs`], firstAnswers),
    };
  }
  return agents;
}

/** The satisfaction counts (asked, answers, score sums; in total with no name, and per agent) as figures. */
function satisfactionFigures(counts: Record<string, number>): StatsSummary['satisfaction'] {
  const figures = (name: string) => {
    const answered = counts[name] ?? 0;
    return {
      asked: counts[`${name}:asked`] ?? 0,
      answered,
      average: answered ? Math.round(((counts[`${name}:sum`] ?? 0) / answered) * 100) / 100 : null,
    };
  };
  const byAgent: StatsSummary['satisfaction']['byAgent'] = {};
  for (const field of Object.keys(counts)) {
    const agent = field.split(':')[0]!;
    if (agent !== '' && !byAgent[agent]) byAgent[agent] = figures(agent);
  }
  return { ...figures(''), byAgent };
}

/**
 * How one question is grouped with the same asked before: case, width, spaces, punctuation and
 * the numbers in it ("多少钱？", "多少钱 ", "多少钱!!") do not make it another question.
 */
export function questionKey(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, '')
      .replace(/\d+/g, '#')
      .slice(0, 200) || text.slice(0, 200)
  );
}

function parseLatest(raw: string | undefined): UnansweredGroup | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Omit<UnansweredGroup, 'count'>;
    return { ...parsed, count: 0 };
  } catch {
    return undefined;
  }
}

/** Answered messages not written yet, for one day. */
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
const pad = (n: number) => String(n).padStart(2, '0');

function percentiles(raw: string[]): { p50: number | null; p95: number | null; n: number } {
  const xs = raw.map(Number).sort((a, b) => a - b);
  const at = (q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : null);
  return { p50: at(0.5), p95: at(0.95), n: xs.length };
}
