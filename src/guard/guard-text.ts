import { digitSpans, type DigitSpan } from './digit-runs.ts';
import { findKeywords, isWeakKeyword, type KeywordHit, type KeywordKind } from './keywords.ts';
import { toSkeleton, type Skeleton } from './skeleton.ts';

export type GuardRule = 'phone-number' | 'bank-account' | 'qq-or-wechat' | 'street-address' | 'outside-link' | 'off-platform' | 'profanity';

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
}

/** Nearer than this (in compact characters) a keyword before a number or id names it. */
export const NEAR_BEFORE = 12;
/** …and after it ("12345678 是我的 QQ"). */
export const NEAR_AFTER = 6;

const isLatin = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || c === 'ñ');

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
  for (let i = 0; i < s.length; i += 1) {
    before.push(compactAt.length);
    if (/[\p{L}\p{N}+]/u.test(s[i]!)) {
      compact += s[i];
      compactAt.push(i);
    }
  }
  before.push(compactAt.length);
  return { original, sk, s, compact, compactAt, before, keywords: findKeywords(compact, compactAt, s), spans: digitSpans(s), words: latinWords(s) };
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

export const kindNear = (t: GuardText, start: number, end: number): KeywordKind | undefined => nearestKeyword(t, start, end)?.kind;

/** Whether any of `phrases` (word lists) starts at word i. */
export function phraseAt(words: readonly Word[], i: number, phrase: readonly string[]): boolean {
  for (let j = 0; j < phrase.length; j += 1) if (words[i + j]?.w !== phrase[j]) return false;
  return true;
}

const NEGATIONS_EN_ES = new Set(['no', 'not', 'never', 'dont', 'cannot', 'cant', 'wont', 'avoid', 'beware', 'nunca', 'jamas', 'evite', 'evita', 'evitar', 'ni', 'sin', 'prohibido', 'without']);
const NEGATIONS_ZH = ['不要', '不能', '不可', '不会', '不接受', '不提供', '不支持', '不允许', '不建议', '不用', '勿', '别', '禁止', '严禁', '拒绝', '谨防', '提防', '小心', '无法', '防止', '避免'];
const WARNINGS_ZH = ['骗', '风险', '不安全', '没有保障', '无保障', '不受保护', '不受平台保护', '违规', '封号', '不支持', '不允许', '是假的'];
const WARNINGS_EN_ES = new Set(['scam', 'scams', 'fraud', 'risky', 'unsafe', 'estafa', 'estafas', 'fraude', 'riesgo', 'peligroso']);

/** A Latin phrase at words [i, j) said as a warning: "never pay outside the platform", "no salgas de la plataforma". */
export function negatedWords(t: GuardText, i: number, j: number): boolean {
  const { words, s } = t;
  // Back to the start of the clause: "No te preocupes, págame directo" is not a warning.
  for (let k = i - 1; k >= Math.max(0, i - 4); k -= 1) {
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
