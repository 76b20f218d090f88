import type { RedisClient } from '../shared/redis-client.ts';
import type { Keys } from '../shared/keys.ts';
import { redisScript } from '../shared/redis-helpers.ts';
import { localDate, toLocal } from '../shared/zoned-time.ts';
import { OUTCOME_WINDOW_MS, questionKey } from './bot-outcome.ts';
import {
  BOT_RATER,
  daysBetween,
  groupSimilar,
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
  | 'satisfaction'
  | 'bot'
  | 'active'
  | 'hourly-handoffs'
  | 'bot-marked';

/** The figures a summary reads: counters kept as hashes, and samples (ms) kept as lists. */
const HASH_FIGURES = [
  'totals',
  'reasons',
  'intents',
  'hourly',
  'channels',
  'satisfaction',
  'agents',
  'bot',
  'hourly-handoffs',
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
 * One day's messages read since the last write, in one call. KEYS: that day's intents, hourly,
 * totals, bot-ms samples, channels, active conversations (HyperLogLog), bot figures; the
 * conversations the bot answered lately (all days). ARGV: counts of intents, hours, channels,
 * totals, active conversations, recent answers; samples kept, seconds kept, conversations newly
 * answered, the oldest recent answer kept (ms); then (intent, n), (hour, n), (channel, n) and
 * (total, n) pairs, the active conversation ids, (member, ms) recent answers, and the response-ms samples.
 */
const COUNT_MESSAGES = redisScript(`
local at = 11
local function pairs_into(key, n)
  for _ = 1, n do redis.call('hincrby', key, ARGV[at], ARGV[at + 1]); at = at + 2 end
end
pairs_into(KEYS[1], tonumber(ARGV[1]))
pairs_into(KEYS[2], tonumber(ARGV[2]))
pairs_into(KEYS[5], tonumber(ARGV[3]))
pairs_into(KEYS[3], tonumber(ARGV[4]))
for _ = 1, tonumber(ARGV[5]) do redis.call('pfadd', KEYS[6], ARGV[at]); at = at + 1 end
if ARGV[9] ~= '0' then redis.call('hincrby', KEYS[7], 'answered', ARGV[9]) end
for _ = 1, tonumber(ARGV[6]) do redis.call('zadd', KEYS[8], ARGV[at + 1], ARGV[at]); at = at + 2 end
redis.call('zremrangebyscore', KEYS[8], '-inf', '(' .. ARGV[10])
if #ARGV >= at then
  redis.call('lpush', KEYS[4], unpack(ARGV, at))
  redis.call('ltrim', KEYS[4], 0, tonumber(ARGV[7]) - 1)
end
for i = 1, 7 do redis.call('expire', KEYS[i], ARGV[8]) end`);

/**
 * The shop's figures, per day in its time zone (SHOP_TZ): each day's counters under keys of their
 * own, so a day, a week or a sale period is read by adding its days up.
 */
export function createRedisStatsStore(redis: RedisClient, k: Keys, timeZone: string): StatsStore {
  const key = (day: string, figure: Figure) => `${k.stats()}:d:${day}:${figure}`;
  const dayOf = (at: Date) => localDate(at, timeZone);
  /** The shop's day and hour ("09") of an instant, read once. */
  const dayAndHour = (at: Date) => {
    const local = toLocal(at, timeZone);
    return { day: `${local.year}-${pad(local.month)}-${pad(local.day)}`, hour: pad(local.hour) };
  };
  const keptSeconds = DAYS_KEPT * 24 * 3600;
  /** Conversations the bot answered lately, as `<day>|<conversation>` by the time of its latest answer (ms). */
  const recentKey = `${k.stats()}:bot-recent`;
  /** A day's marked conversations are needed only while that day's answers can be open. */
  const markedSeconds = 3 * 24 * 3600;
  /** Recent answers are kept a little past the window, for a summary read just after. */
  const recentFrom = (ms: number) => ms - OUTCOME_WINDOW_MS - 60_000;
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
            key(day, 'active'),
            key(day, 'bot'),
            recentKey,
          ],
          [
            counts.intents.size,
            counts.hours.size,
            counts.channels.size,
            counts.totals.size,
            counts.active.size,
            counts.recent.size,
            SAMPLES_KEPT,
            keptSeconds,
            counts.answered,
            counts.recent.size ? recentFrom(Math.max(...counts.recent.values())) : 0,
            ...pairs(counts.intents),
            ...pairs(counts.hours),
            ...pairs(counts.channels),
            ...pairs(counts.totals),
            ...counts.active,
            ...pairs(counts.recent),
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
  const countsOf = (day: string) => {
    let counts = pending.get(day);
    if (!counts) pending.set(day, (counts = emptyCounts()));
    return counts;
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

  /** Conversations answered less than OUTCOME_WINDOW_MS ago with no mark, on each of `days`. */
  async function openAnswers(days: ReadonlySet<string>, now: Date): Promise<number> {
    const since = now.getTime() - OUTCOME_WINDOW_MS;
    const recent = (await redis.zrangebyscore(recentKey, since, '+inf')).filter((m) =>
      days.has(m.slice(0, m.indexOf('|'))),
    );
    if (recent.length === 0) return 0;
    // The day's marked conversations: a mark stays however long the conversation goes on.
    const byDay = new Map<string, string[]>();
    for (const member of recent) {
      const at = member.indexOf('|');
      const day = member.slice(0, at);
      const conversations = byDay.get(day) ?? [];
      conversations.push(member.slice(at + 1));
      byDay.set(day, conversations);
    }
    let open = 0;
    for (const [day, conversations] of byDay) {
      const marked = await redis.smismember(key(day, 'bot-marked'), ...conversations);
      open += marked.filter((m) => m === 0).length;
    }
    return open;
  }

  return {
    async message(m) {
      const { day, hour } = dayAndHour(m.at);
      const counts = countsOf(day);
      add(counts.intents, m.intent, 1);
      add(counts.channels, m.channel, 1);
      add(counts.hours, hour, 1);
      counts.active.add(m.conversationId);
      if (m.newConversation) add(counts.totals, 'conversations', 1);
      if (m.notUnderstood) add(counts.totals, m.notUnderstood, 1);
      if (m.botAnswered) {
        const answered = countsOf(m.botAnswered.day);
        if (m.botAnswered.firstToday) answered.answered += 1;
        answered.recent.set(`${m.botAnswered.day}|${m.conversationId}`, m.at.getTime());
      }
      if (m.botResponseMs !== undefined) counts.botMs.push(Math.round(m.botResponseMs));
      if (counts.botMs.length > SAMPLES_KEPT) counts.botMs.splice(0, counts.botMs.length - SAMPLES_KEPT);
    },
    async close() {
      clearInterval(timer);
      // While Redis is away the write waits for it (the workers' connection does): stopping waits only so long.
      await Promise.race([flushAll(), new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
    },
    async botOutcome(conversationId, changes) {
      const multi = redis.multi();
      for (const { day, from, to } of changes) {
        if (!from && !to) continue;
        const marked = key(day, 'bot-marked');
        if (from) multi.hincrby(key(day, 'bot'), from, -1);
        if (to) multi.hincrby(key(day, 'bot'), to, 1).sadd(marked, conversationId);
        else multi.srem(marked, conversationId);
        multi.expire(marked, markedSeconds);
        touch(multi, day, 'bot');
      }
      await multi.exec();
    },
    async handoff(reason, at) {
      const { day, hour } = dayAndHour(at);
      const multi = redis
        .multi()
        .hincrby(key(day, 'totals'), 'handoffs', 1)
        .hincrby(key(day, 'reasons'), reason, 1)
        .hincrby(key(day, 'hourly-handoffs'), hour, 1);
      touch(multi, day, 'totals');
      touch(multi, day, 'reasons');
      touch(multi, day, 'hourly-handoffs');
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
      const groups = new Map<string, UnansweredGroup & { key: string }>();
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
            key: field,
            count: (seen?.count ?? 0) + Number(count),
          });
        }
      }
      return groupSimilar([...groups.values()], limit);
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
      const active = (await Promise.all(days.map((day) => redis.pfcount(key(day, 'active'))))).reduce(
        (a, b) => a + b,
        0,
      );
      const bot = botFigures(
        sum((d) => d.hash('bot')),
        await openAnswers(new Set(days), now),
        active,
      );
      return {
        from: days[0]!,
        to: days[days.length - 1]!,
        timeZone,
        conversations,
        handoffs,
        activeConversations: active,
        autoResolutionRate:
          bot.involvementRate !== null && bot.resolutionRate !== null
            ? round(bot.involvementRate * bot.resolutionRate)
            : null,
        bot,
        notUnderstood: { clarifyingQuestions: totals.clarify ?? 0, secondMisses: totals['second-miss'] ?? 0 },
        handoffRate: conversations ? round(Math.min(handoffs, conversations) / conversations) : null,
        handoffReasons: sum((d) => d.hash('reasons')),
        intents: sum((d) => d.hash('intents')),
        messagesByChannel: sum((d) => d.hash('channels')),
        // The shop's local hours, `YYYY-MM-DDTHH`.
        messagesPerHour: read.flatMap((d) => {
          const messages = d.hash('hourly');
          const handed = d.hash('hourly-handoffs');
          return [...new Set([...Object.keys(messages), ...Object.keys(handed)])].sort().map((h) => ({
            hour: `${d.day}T${h}`,
            messages: Number(messages[h] ?? 0),
            handoffs: Number(handed[h] ?? 0),
          }));
        }),
        botResponseMs: percentiles(read.flatMap((d) => d.samples('bot-ms'))),
        agentPickupMs: percentiles(read.flatMap((d) => d.samples('pickup-ms'))),
        agentFirstReplyMs: percentiles(read.flatMap((d) => d.samples('first-reply-ms'))),
        agentFirstReplyWaits: waits(read.flatMap((d) => d.samples('first-reply-ms'))),
        agentHandlingMs: percentiles(read.flatMap((d) => d.samples('handling-ms'))),
        agents: agentFigures(sum((d) => d.hash('agents'))),
        agentReplyBreaches: { over100s: totals.over100s ?? 0, over3min: totals.over3min ?? 0 },
        satisfaction: satisfactionFigures(sum((d) => d.hash('satisfaction'))),
      };
    },
  };
}

/** The bot's figures from the days' `bot` counts, the answers still open, and the active conversations. */
function botFigures(counts: Record<string, number>, open: number, active: number): StatsSummary['bot'] {
  const answered = counts.answered ?? 0;
  const notResolved = {
    handoff: Math.max(0, counts.handoff ?? 0),
    unhappy: Math.max(0, counts.unhappy ?? 0),
    clarify: Math.max(0, counts.clarify ?? 0),
  };
  const settled = Math.max(0, answered - open);
  const resolved = Math.max(0, settled - notResolved.handoff - notResolved.unhappy - notResolved.clarify);
  return {
    answered,
    resolved,
    open,
    notResolved,
    involvementRate: active ? round(Math.min(answered, active) / active) : null,
    resolutionRate: settled ? round(resolved / settled) : null,
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
  // The bot's own under BOT_RATER (":bot"), which no agent's name can be; the totals hold both.
  const byAgent: StatsSummary['satisfaction']['byAgent'] = {};
  for (const field of Object.keys(counts)) {
    const agent = field.split(':')[0]!;
    if (agent !== '' && !byAgent[agent]) byAgent[agent] = figures(agent);
  }
  const all = figures('');
  const bot = figures(BOT_RATER);
  const agentsAnswered = all.answered - bot.answered;
  const agentsSum = (counts[':sum'] ?? 0) - (counts[`${BOT_RATER}:sum`] ?? 0);
  const agents = {
    asked: all.asked - bot.asked,
    answered: agentsAnswered,
    average: agentsAnswered ? Math.round((agentsSum / agentsAnswered) * 100) / 100 : null,
  };
  return { ...all, agents, bot, byAgent };
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

/** Messages read and not written yet, for one day. */
interface Counts {
  intents: Map<string, number>;
  hours: Map<string, number>;
  channels: Map<string, number>;
  /** New conversations, clarifying questions, second misses. */
  totals: Map<string, number>;
  /** Conversations a buyer wrote in. */
  active: Set<string>;
  /** Conversations the bot answered for the first time this day. */
  answered: number;
  /** The bot's latest answer in each conversation, `<day>|<conversation>` → ms. */
  recent: Map<string, number>;
  botMs: number[];
}

const emptyCounts = (): Counts => ({
  intents: new Map(),
  hours: new Map(),
  channels: new Map(),
  totals: new Map(),
  active: new Set(),
  answered: 0,
  recent: new Map(),
  botMs: [],
});
const add = (counts: Map<string, number>, field: string, n: number) =>
  counts.set(field, (counts.get(field) ?? 0) + n);

function mergeCounts(older: Counts, newer: Counts): Counts {
  for (const [field, n] of newer.intents) add(older.intents, field, n);
  for (const [field, n] of newer.hours) add(older.hours, field, n);
  for (const [field, n] of newer.channels) add(older.channels, field, n);
  for (const [field, n] of newer.totals) add(older.totals, field, n);
  for (const id of newer.active) older.active.add(id);
  for (const [member, ms] of newer.recent)
    older.recent.set(member, Math.max(ms, older.recent.get(member) ?? 0));
  return {
    ...older,
    answered: older.answered + newer.answered,
    botMs: [...older.botMs, ...newer.botMs].slice(-SAMPLES_KEPT),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** How long buyers waited for a person's first answer, in the bands the desk colours (100 s, 3 min). */
function waits(raw: string[]): StatsSummary['agentFirstReplyWaits'] {
  const bands = { under30s: 0, under100s: 0, under3min: 0, over3min: 0 };
  for (const ms of raw.map(Number)) {
    if (ms < 30_000) bands.under30s += 1;
    else if (ms < 100_000) bands.under100s += 1;
    else if (ms < 180_000) bands.under3min += 1;
    else bands.over3min += 1;
  }
  return bands;
}

function percentiles(raw: string[]): { p50: number | null; p95: number | null; n: number } {
  const xs = raw.map(Number).sort((a, b) => a - b);
  const at = (q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]! : null);
  return { p50: at(0.5), p95: at(0.95), n: xs.length };
}
