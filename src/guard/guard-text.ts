import { isLatin } from './chars.ts';
import { digitSpans, type DigitSpan } from './digit-runs.ts';
import { findKeywords, isWeakKeyword, type KeywordHit } from './keywords.ts';
import { toSkeleton, type Skeleton } from './skeleton.ts';

export type GuardRule =
  | 'phone-number'
  | 'bank-account'
  | 'qq-or-wechat'
  | 'street-address'
  | 'outside-link'
  | 'off-platform'
  | 'profanity';

/** A rule broken at skeleton characters [start, end). */
export interface Finding {
  rule: GuardRule;
  start: number;
  end: number;
}

export interface Word {
  w: string;
  /** Skeleton indices [start, end). */
  start: number;
  end: number;
}

/** One message prepared once for every rule: the skeleton and its views. */
export interface GuardText {
  original: string;
  sk: Skeleton;
  /** The skeleton text. */
  s: string;
  /** Letters, digits and + only: 傻 逼, 加 微 信 and w-e-c-h-a-t read whole. */
  compact: string;
  /** Skeleton index of each compact character. */
  compactAt: number[];
  /** How many compact characters stand before each skeleton index: nearness ignores spaces and punctuation. */
  before: number[];
  keywords: KeywordHit[];
  spans: DigitSpan[];
  /** Runs of Latin letters, for phrases in en and es. */
  words: Word[];
  /** Whether the text has any character past Latin-1: the zh lists are skipped when it has none. */
  wide: boolean;
}

/** Letters written one by one ("p a y m e", "p-a-g-o", "W h a t s A p p") read as one word. */
interface SpacedRun extends Word {
  /** Index in `words` of its first and after its last letter. */
  first: number;
  last: number;
}

/** Nearer than this (in compact characters) a keyword before a number or id names it. */
const NEAR_BEFORE = 12;
/** …and after it ("12345678 是我的 QQ"). */
const NEAR_AFTER = 6;

/** `knownIds`: ids the bot itself wrote (the buyer's order number), blanked before any rule reads the text. */
export function prepare(original: string, knownIds: readonly string[]): GuardText {
  const sk = toSkeleton(original);
  let s = sk.text;
  for (const id of knownIds) {
    const needle = id.toLowerCase();
    if (needle.length >= 4) s = s.split(needle).join(' '.repeat(needle.length));
  }
  const compactAt: number[] = [];
  const before: number[] = [];
  let compact = '';
  let wide = false;
  for (let i = 0; i < s.length; i += 1) {
    before.push(compactAt.length);
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (code >= 0x100) wide = true;
    const kept =
      code < 0x80
        ? (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b
        : /[\p{L}\p{N}+]/u.test(c);
    if (kept) {
      compact += c;
      compactAt.push(i);
    }
  }
  before.push(compactAt.length);
  return {
    original,
    sk,
    s,
    compact,
    compactAt,
    before,
    keywords: findKeywords(compact, compactAt, s),
    spans: digitSpans(s),
    words: latinWords(s),
    wide,
  };
}

const spacedRunsOf = new WeakMap<GuardText, SpacedRun[]>();

/**
 * Runs of four letters or more written one by one, with at most two spaces, dots, dashes or
 * underscores between. Found once per text: the lure and invitation rules both read them.
 */
export function spacedRuns(t: GuardText): SpacedRun[] {
  let runs = spacedRunsOf.get(t);
  if (!runs) spacedRunsOf.set(t, (runs = findSpacedRuns(t)));
  return runs;
}

function findSpacedRuns(t: GuardText): SpacedRun[] {
  const { words, s } = t;
  const runs: SpacedRun[] = [];
  let i = 0;
  while (i < words.length) {
    let j = i;
    while (
      words[j]!.w.length === 1 &&
      words[j + 1]?.w.length === 1 &&
      words[j + 1]!.start - words[j]!.end <= 2 &&
      /^[ .\-_]*$/.test(s.slice(words[j]!.end, words[j + 1]!.start))
    )
      j += 1;
    if (j - i >= 3)
      runs.push({
        w: words
          .slice(i, j + 1)
          .map((w) => w.w)
          .join(''),
        start: words[i]!.start,
        end: words[j]!.end,
        first: i,
        last: j + 1,
      });
    i = j + 1;
  }
  return runs;
}

/**
 * Phrases by their first element, longest first: a string by its first character (one pass over
 * a text finds them all), a word list by its first word (a scan looks up each word once).
 */
export function byFirst<P extends string | readonly string[]>(
  phrases: readonly P[],
): ReadonlyMap<string, readonly P[]> {
  const index = new Map<string, P[]>();
  for (const phrase of phrases) index.set(phrase[0]!, [...(index.get(phrase[0]!) ?? []), phrase]);
  for (const list of index.values()) list.sort((a, b) => b.length - a.length);
  return index;
}

/** The leftmost phrase of `index` in `text` that `accept` takes, with where it starts. */
export function findPhrase(
  text: string,
  index: ReadonlyMap<string, readonly string[]>,
  accept: (at: number, phrase: string) => boolean,
): { at: number; phrase: string } | undefined {
  for (let at = 0; at < text.length; at += 1) {
    const list = index.get(text[at]!);
    if (list)
      for (const phrase of list) if (text.startsWith(phrase, at) && accept(at, phrase)) return { at, phrase };
  }
  return undefined;
}

function latinWords(s: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < s.length) {
    if (!isLatin(s[i])) {
      i += 1;
      continue;
    }
    const start = i;
    while (isLatin(s[i])) i += 1;
    words.push({ w: s.slice(start, i), start, end: i });
  }
  return words;
}

/**
 * The keyword nearest to [start, end): the last one before it or the first one after it, by
 * compact distance. Weak keywords count only just before.
 */
export function nearestKeyword(t: GuardText, start: number, end: number): KeywordHit | undefined {
  const k = t.keywords;
  if (k.length === 0) return undefined;
  let lo = 0;
  let hi = k.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (k[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  const prior = k[lo - 1];
  let next = lo;
  while (k[next] && k[next]!.start < end) next += 1;
  const after = k[next];
  const gapBefore = prior ? t.before[start]! - t.before[prior.end]! : Infinity;
  const gapAfter = after ? t.before[after.start]! - t.before[end]! : Infinity;
  const okBefore = prior !== undefined && gapBefore <= (isWeakKeyword(prior.word) ? 2 : NEAR_BEFORE);
  const okAfter = after !== undefined && !isWeakKeyword(after.word) && gapAfter <= NEAR_AFTER;
  if (okBefore && (!okAfter || gapBefore <= gapAfter)) return prior;
  return okAfter ? after : undefined;
}

/** Whether any of `phrases` (word lists) starts at word i. */
export function phraseAt(words: readonly Word[], i: number, phrase: readonly string[]): boolean {
  for (let j = 0; j < phrase.length; j += 1) if (words[i + j]?.w !== phrase[j]) return false;
  return true;
}

const NEGATIONS_EN_ES = new Set([
  'no',
  'not',
  'never',
  'dont',
  'cannot',
  'cant',
  'wont',
  'avoid',
  'beware',
  'nunca',
  'jamas',
  'evite',
  'evita',
  'evitar',
  'ni',
  'sin',
  'prohibido',
  'without',
]);
const NEGATIONS_ZH = [
  '不要',
  '不能',
  '不可',
  '不会',
  '不接受',
  '不提供',
  '不支持',
  '不允许',
  '不建议',
  '不用',
  '勿',
  '别',
  '禁止',
  '严禁',
  '拒绝',
  '谨防',
  '提防',
  '小心',
  '无法',
  '防止',
  '避免',
];
const WARNINGS_ZH = [
  '骗',
  '风险',
  '不安全',
  '没有保障',
  '无保障',
  '不受保护',
  '不受平台保护',
  '违规',
  '封号',
  '不支持',
  '不允许',
  '是假的',
];
const WARNINGS_EN_ES = new Set([
  'scam',
  'scams',
  'fraud',
  'risky',
  'unsafe',
  'estafa',
  'estafas',
  'fraude',
  'riesgo',
  'peligroso',
]);

/** A Latin phrase at words [i, j) said as a warning: "never pay outside the platform", "no salgas de la plataforma". */
export function negatedWords(t: GuardText, i: number, j: number): boolean {
  const { words, s } = t;
  // Back to the start of the clause: "No te preocupes, págame directo" is not a warning.
  // Eight words back: "never send money straight to a seller outside the app".
  for (let k = i - 1; k >= Math.max(0, i - 8); k -= 1) {
    if (/[,.!?;:]/.test(s.slice(words[k]!.end, words[k + 1]!.start))) break;
    // "n't" leaves "don t", "can t": the t stands alone.
    if (NEGATIONS_EN_ES.has(words[k]!.w) || words[k]!.w === 't') return true;
  }
  for (let k = j; k < Math.min(words.length, j + 6); k += 1) if (WARNINGS_EN_ES.has(words[k]!.w)) return true;
  return false;
}

/** A Chinese phrase at compact [from, to) said as a warning: 请勿线下交易, 线下交易不安全. */
export function negatedCompact(t: GuardText, from: number, to: number): boolean {
  const prefix = t.compact.slice(Math.max(0, from - 6), from);
  const suffix = t.compact.slice(to, to + 10);
  return NEGATIONS_ZH.some((n) => prefix.includes(n)) || WARNINGS_ZH.some((w) => suffix.includes(w));
}
