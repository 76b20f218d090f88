import type { BotOutcomeChange } from './bot-outcome.ts';

/** One buyer message read. */
export interface MessageCount {
  intent: string;
  at: Date;
  /** From the message's arrival to the bot's answer, when it answered. */
  botResponseMs?: number;
  /** The first message of a conversation not stored before. */
  newConversation: boolean;
  channel: string;
  conversationId: string;
  /** The bot answered it (as the bot, not while a person was coming): on `day`, the first time that day when `firstToday`. */
  botAnswered?: { day: string; firstToday: boolean };
  /** Not understood: a clarifying question asked, or a second miss in a row handed to a person. */
  notUnderstood?: 'clarify' | 'second-miss';
}

export interface UnansweredQuestion {
  text: string;
  intent: string;
  /** not-understood: read as nothing, or asked again; no-fact: about the item, and the shop gave no answer. */
  reason: 'not-understood' | 'no-fact';
  at: Date;
}

export interface UnansweredGroup {
  /** The latest wording of the question. */
  text: string;
  count: number;
  intent: string;
  reason: UnansweredQuestion['reason'];
  lastAt: string;
  /** Other wordings counted in this group, as they were last typed (at most five). */
  similar?: string[];
}

/** The different questions a list groups at most (the most asked); the rest are left out. */
const GROUPED_AT_MOST = 500;
/**
 * Questions sharing this share of their letter pairs (Chinese) or triples (others) are one
 * question: "这个有保修吗" and "有保修吗亲" share half; "do you ship to canada" and "…to spain" 0.52.
 */
const ALIKE = { chinese: 0.5, other: 0.55 };

/**
 * Questions worded alike join the most asked of them ("这个有保修吗" and "有保修吗亲", "is it
 * waterproof" and "is this waterproof?"), within the same reason; `key` is each one's questionKey.
 */
export function groupSimilar(
  groups: readonly (UnansweredGroup & { key: string })[],
  limit: number,
): UnansweredGroup[] {
  const sorted = [...groups]
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt))
    .slice(0, GROUPED_AT_MOST);
  const heads: { group: UnansweredGroup; grams: Set<string> }[] = [];
  // The heads holding each letter group: a question is compared only with heads it shares one with.
  const holding = new Map<string, number[]>();
  for (const { key, ...group } of sorted) {
    const chinese = /[\u3400-\u9fff]/.test(key);
    const grams = letterGroups(key, group.text, chinese);
    const alike = chinese ? ALIKE.chinese : ALIKE.other;
    const candidates = new Set<number>();
    for (const g of grams) for (const i of holding.get(g) ?? []) candidates.add(i);
    const found = [...candidates]
      .sort((a, b) => a - b)
      .find((i) => heads[i]!.group.reason === group.reason && jaccard(heads[i]!.grams, grams) >= alike);
    const head = found === undefined ? undefined : heads[found];
    if (!head) {
      for (const g of grams) {
        const held = holding.get(g) ?? [];
        held.push(heads.length);
        holding.set(g, held);
      }
      heads.push({ group: { ...group }, grams });
      continue;
    }
    head.group.count += group.count;
    if (group.lastAt > head.group.lastAt) head.group.lastAt = group.lastAt;
    const similar = (head.group.similar ??= []);
    if (similar.length < 5) similar.push(group.text);
  }
  return heads
    .map((h) => h.group)
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt))
    .slice(0, limit);
}

/** Chinese: the key's character pairs. Others: letter triples of the words, spaces kept as their edges. */
function letterGroups(key: string, text: string, chinese: boolean): Set<string> {
  const n = chinese ? 2 : 3;
  const letters = chinese
    ? key
    : ` ${text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim()} `;
  const grams = new Set<string>();
  for (let i = 0; i + n <= letters.length; i++) grams.add(letters.slice(i, i + n));
  if (grams.size === 0) grams.add(key);
  return grams;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Who a satisfaction score is for when the bot alone served the buyer: not an agent's name (those
 * cannot hold a colon), so the bot's scores are kept apart from every agent's.
 */
export const BOT_RATER = ':bot';

/** The longest range one summary reads, in days. */
export const MAX_STATS_DAYS = 92;

/** Days in the shop's time zone, YYYY-MM-DD, both included. */
export interface StatsRange {
  from: string;
  to: string;
}

export interface StatsSummary {
  /** The days summed up, in the shop's time zone. */
  from: string;
  to: string;
  timeZone: string;
  conversations: number;
  handoffs: number;
  /** Conversations in which a buyer wrote, each day counted (a conversation on two days counts twice). */
  activeConversations: number;
  /**
   * The share of conversations the bot resolved on its own: involvement × resolution (`bot`), so
   * answers still open count at the rate of those settled. Not 1 − hand-offs: a conversation the
   * bot answered wrongly and the buyer gave up on, or one it never answered, is not resolved.
   */
  autoResolutionRate: number | null;
  bot: BotFigures;
  /** Clarifying questions the bot asked, and second misses in a row handed to a person. */
  notUnderstood: { clarifyingQuestions: number; secondMisses: number };
  handoffRate: number | null;
  handoffReasons: Record<string, number>;
  intents: Record<string, number>;
  /** Buyer messages read, by the channel they came through. */
  messagesByChannel: Record<string, number>;
  /** Buyer messages and hand-offs per hour of the shop's day, `YYYY-MM-DDTHH`. */
  messagesPerHour: { hour: string; messages: number; handoffs: number }[];
  botResponseMs: { p50: number | null; p95: number | null; n: number };
  agentPickupMs: { p50: number | null; p95: number | null; n: number };
  /** Hand-offs that waited 100 s / 3 min or more for a person's first answer, counted the moment the line was crossed. */
  agentReplyBreaches: { over100s: number; over3min: number };
  /** From a hand-off opening to a person's first answer in it. */
  agentFirstReplyMs: { p50: number | null; p95: number | null; n: number };
  /** The same waits in bands: under 30 s, 30–100 s, 100 s–3 min, 3 min and more (of the newest 2,000 a day). */
  agentFirstReplyWaits: { under30s: number; under100s: number; under3min: number; over3min: number };
  /** From a hand-off first claimed to resolved. */
  agentHandlingMs: { p50: number | null; p95: number | null; n: number };
  /** Per agent: hand-offs resolved, mean handling time, first answers and their mean time, in ms. */
  agents: Record<string, AgentFigures>;
  /**
   * The 1–5 question asked after an agent resolved a conversation, or when a buyer thanked the bot
   * for its answers; the scores buyers gave: in all, for the agents, for the bot, and per agent.
   */
  satisfaction: SatisfactionFigures & {
    agents: SatisfactionFigures;
    bot: SatisfactionFigures;
    byAgent: Record<string, SatisfactionFigures>;
  };
}

/** What the bot's answers came to, per conversation and day (see bot-outcome.ts for the rules). */
export interface BotFigures {
  /** Conversations the bot answered (involvement). */
  answered: number;
  /** Answered, and none of the signs below within 30 minutes of an answer. */
  resolved: number;
  /** Answered less than 30 minutes ago with no sign yet: not counted either way. */
  open: number;
  /** Answered but handed to a person, the buyer upset or asking the same again, or a clarifying question left unanswered. */
  notResolved: { handoff: number; unhappy: number; clarify: number };
  /** answered ÷ active conversations. */
  involvementRate: number | null;
  /** resolved ÷ (answered − open). */
  resolutionRate: number | null;
}

export interface AgentFigures {
  handled: number;
  handlingMsAverage: number | null;
  firstAnswers: number;
  firstAnswerMsAverage: number | null;
}

export interface SatisfactionFigures {
  asked: number;
  answered: number;
  /** The mean score, 1–5, to two decimals; null before the first answer. */
  average: number | null;
}

/**
 * Counters kept in Redis per day in the shop's time zone, so every instance adds to the same figures. Answered messages are
 * counted in memory and written each second: a crash loses that second's counts, or, while Redis
 * is away, those counted since it went.
 */
export interface StatsStore {
  /** One buyer message read (counted in memory, written each second). */
  message(count: MessageCount): Promise<void>;
  /** The signs that a conversation the bot answered was not resolved, moved on their days (see bot-outcome.ts). */
  botOutcome(conversationId: string, changes: readonly BotOutcomeChange[]): Promise<void>;
  /** Writes the counts not written yet and stops the timer that writes them. */
  close(): Promise<void>;
  handoff(reason: string, at: Date): Promise<void>;
  pickup(ms: number, at: Date): Promise<void>;
  /** A person's (`agent`'s) first answer to a hand-off, `waitedMs` after it opened. */
  firstAgentReply(waitedMs: number, at: Date, agent: string): Promise<void>;
  /** `agent` resolved a hand-off `handlingMs` after it was first claimed. */
  handled(agent: string, handlingMs: number, at: Date): Promise<void>;
  /** A hand-off crossed a waiting line (100 s, 3 min) with no answer from a person: counted when the time passes. */
  waitBreach(line: '100s' | '3min', at: Date): Promise<void>;
  /** The satisfaction question went to a buyer whose conversation `agent` resolved. */
  satisfactionAsked(agent: string, at: Date): Promise<void>;
  /** A buyer's 1–5 answer to it. */
  satisfaction(agent: string, score: number, at: Date): Promise<void>;
  /**
   * A buyer message the bot could not answer (not understood, or a product question the catalog
   * has no fact for), counted with the same question asked before that day, however it was typed.
   */
  unanswered(question: UnansweredQuestion): Promise<void>;
  /** The questions of the last `days` days (today included), most often asked first. */
  unansweredList(days: number, now: Date, limit: number): Promise<UnansweredGroup[]>;
  /** The figures of the days in `range` (default: today, in the shop's time zone). */
  summary(range: StatsRange | undefined, now: Date): Promise<StatsSummary>;
}

/** Every date from `from` to `to` (YYYY-MM-DD, both included), at most MAX_STATS_DAYS. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
    if (days.length === MAX_STATS_DAYS) break;
  }
  return days.length ? days : [from];
}

/** Redis hashes of counters (a day each) added up field by field. */
export function sumCounts(hashes: readonly Record<string, string>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const hash of hashes)
    for (const [field, n] of Object.entries(hash)) total[field] = (total[field] ?? 0) + Number(n);
  return total;
}
