import { isAsciiLower, isDigit } from './chars.ts';
/**
 * The text as the guard compares it: what a reader would take it to say, whatever the writer did
 * to hide it. Each skeleton character remembers the original characters it came from, so a
 * refusal can quote the original text.
 */
export interface Skeleton {
  text: string;
  /** Index in the original text where skeleton character i starts, and where it ends. */
  from: number[];
  to: number[];
}

// Unicode keeps every script's decimal digits in runs of ten from a zero; these are the zeros
// (Unicode 15.1, as in Node 20). Fullwidth and mathematical digits are already ASCII after NFKC.
const DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50,
  0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40,
  0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x10d40, 0x11066,
  0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0,
  0x11950, 0x11bf0, 0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70,
  0x1ccf0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

/** Chinese numerals, daily and financial (大写) forms, simplified and traditional. */
const ZH_DIGITS: Readonly<Record<string, string>> = {
  零: '0',
  〇: '0',
  洞: '0',
  一: '1',
  幺: '1',
  壹: '1',
  二: '2',
  两: '2',
  兩: '2',
  贰: '2',
  貳: '2',
  三: '3',
  叁: '3',
  參: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  陸: '6',
  七: '7',
  柒: '7',
  八: '8',
  捌: '8',
  九: '9',
  玖: '9',
};

// Letters from other scripts that look like Latin ones: wеchat with a Cyrillic е is wechat.
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  ɑ: 'a',
  ı: 'i',
  ȷ: 'j',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ϲ: 'c',
  ϳ: 'j',
  ℓ: 'l',
};

/** Characters that stand between the digits of one number: 138 0013 8000, 6222.0212…, 138-0013. */
export const DIGIT_SEPARATORS = new Set([
  ' ',
  '.',
  '-',
  ',',
  '/',
  '_',
  '·',
  '•',
  '、',
  '‐',
  '‑',
  '‒',
  '–',
  '—',
  '―',
  '−',
  '~',
  '(',
  ')',
  '*',
  '|',
  "'",
]);

const DOTS = new Set(['。', '｡', '．', '․', '﹒']);

function asciiDigit(cp: number): string | undefined {
  let lo = 0;
  let hi = DIGIT_ZEROS.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (DIGIT_ZEROS[mid]! <= cp) lo = mid + 1;
    else hi = mid - 1;
  }
  const zero = DIGIT_ZEROS[hi];
  return zero !== undefined && cp - zero < 10 ? String(cp - zero) : undefined;
}

/** One character after NFKC and case folding: accents dropped (but ñ kept: coño is not cono), look-alikes folded. */
function foldChar(ch: string): string {
  if (ch === 'ñ') return ch;
  const confusable = CONFUSABLES[ch];
  if (confusable) return confusable;
  if (DOTS.has(ch)) return '.';
  if (/\s/u.test(ch)) return ' ';
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return ch;
  if (/\p{Nd}/u.test(ch)) return asciiDigit(cp) ?? ch;
  let out = '';
  for (const part of ch.normalize('NFD')) if (!/[\p{M}\p{Cf}]/u.test(part)) out += CONFUSABLES[part] ?? part;
  return out;
}

/**
 * NFKC; format and combining characters dropped; digits of every script as ASCII; 。．｡ as dots;
 * look-alike letters folded; lower case. Chinese numerals become digits where they form a number
 * (see chineseNumbers). Separators between digits stay: digit-runs.ts reads them as one number.
 */
export function toSkeleton(original: string): Skeleton {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  let wide = false;
  while (i < original.length) {
    // A base character and the combining marks after it normalise together (n + ◌̃ is ñ).
    let end = i + (original.codePointAt(i)! > 0xffff ? 2 : 1);
    while (end < original.length && original.charCodeAt(end) >= 0x300 && isMark(original.codePointAt(end)!))
      end += original.codePointAt(end)! > 0xffff ? 2 : 1;
    const code = original.charCodeAt(i);
    // A Chinese character folds to itself (NFKC, case and NFD leave the unified block alone).
    const folded =
      end === i + 1 && code < 0x80
        ? ASCII[code]!
        : end === i + 1 && code >= 0x4e00 && code <= 0x9fff
          ? original[i]!
          : foldCluster(original.slice(i, end));
    wide ||= code >= 0x80;
    for (const out of folded) {
      chars.push(out);
      from.push(i);
      to.push(end);
    }
    i = end;
  }
  // Chinese numerals are all past ASCII: a text without any has none to read.
  if (wide) chineseNumbers(chars);
  letterZeros(chars);
  const text = chars.join('');
  return NUMBER_WORD.test(text) ? numberWords({ text, from, to }) : { text, from, to };
}

/**
 * A letter O among digits is a zero (415-555-O1O7): one next to a digit, with no letter on either
 * side, the other side a digit or a separator. "3 o 4 días", "No1", "B52" stay as written.
 */
function letterZeros(chars: string[]): void {
  for (let i = 0; i < chars.length; i += 1) {
    if (chars[i] !== 'o') continue;
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (isAsciiLower(prev) || isAsciiLower(next)) continue;
    const numberSide = (c: string | undefined, beyond: string | undefined) =>
      isDigit(c) || (c !== undefined && DIGIT_SEPARATORS.has(c) && (c !== ' ' || isDigit(beyond)));
    if (
      (isDigit(prev) && (numberSide(next, chars[i + 2]) || next === 'o')) ||
      (isDigit(next) && numberSide(prev, chars[i - 2]))
    )
      chars[i] = '0';
  }
}

// Chinese characters and full-width forms, most of a zh text, are never marks: no regex for them.
const isMark = (cp: number) =>
  !((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xff01 && cp <= 0xff5e) || (cp >= 0x3000 && cp <= 0x3029)) &&
  /\p{M}/u.test(String.fromCodePoint(cp));

/** Lower case, and white space and control characters as one space. */
const ASCII = Array.from({ length: 0x80 }, (_, c) =>
  c <= 0x20 || c === 0x7f ? ' ' : String.fromCharCode(c).toLowerCase(),
);

// Single characters repeat (a Chinese text is a few hundred distinct ones): their folding is kept,
// up to a bound, so a text of 2,000 characters costs a few hundred Unicode look-ups at most.
const FOLDED = new Map<string, string>();

function foldCluster(cluster: string): string {
  const known = FOLDED.get(cluster);
  if (known !== undefined) return known;
  let out = '';
  for (const ch of cluster.normalize('NFKC').toLowerCase()) if (!/\p{Cf}/u.test(ch)) out += foldChar(ch);
  if (FOLDED.size >= 20_000) FOLDED.clear();
  FOLDED.set(cluster, out);
  return out;
}

/**
 * Chinese numerals read as digits where they are a number: a run of at least five digits
 * (numerals, ASCII digits and separators between them) with two numerals or more, or one numeral
 * between two digits (138零0138000). 两三天, 一件, 12345678一直 stay as they are.
 */
function chineseNumbers(chars: string[]): void {
  let i = 0;
  while (i < chars.length) {
    if (!isDigit(chars[i]) && ZH_DIGITS[chars[i]!] === undefined) {
      i += 1;
      continue;
    }
    const numerals: number[] = [];
    let digits = 0;
    let sandwiched = false;
    let end = i;
    let j = i;
    while (j < chars.length) {
      const c = chars[j]!;
      if (isDigit(c) || ZH_DIGITS[c] !== undefined) {
        if (ZH_DIGITS[c] !== undefined) {
          if (digits > 0 && isNumberChar(chars, nextNonSeparator(chars, j + 1))) sandwiched = true;
          numerals.push(j);
        }
        digits += 1;
        end = j + 1;
        j += 1;
        continue;
      }
      if (!DIGIT_SEPARATORS.has(c) || !isNumberChar(chars, nextNonSeparator(chars, j))) break;
      j = nextNonSeparator(chars, j);
    }
    if (digits >= 5 && (numerals.length >= 2 || sandwiched))
      for (const n of numerals) chars[n] = ZH_DIGITS[chars[n]!]!;
    i = Math.max(end, i + 1);
  }
}

/** The index after a gap of up to three separators, or the index itself when the gap is longer. */
function nextNonSeparator(chars: readonly string[], at: number): number {
  let j = at;
  while (j < chars.length && j - at < 3 && DIGIT_SEPARATORS.has(chars[j]!)) j += 1;
  return j < chars.length && DIGIT_SEPARATORS.has(chars[j]!) ? at : j;
}

function isNumberChar(chars: readonly string[], at: number): boolean {
  const c = chars[at];
  return c !== undefined && (isDigit(c) || ZH_DIGITS[c] !== undefined);
}

// A cheap test before numberWords tokenises the text: most messages spell out no digit.
const NUMBER_WORD =
  /zero|oh|one|two|three|four|five|six|seven|eight|nine|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve/;

const NUMBER_WORDS: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  cero: '0',
  uno: '1',
  dos: '2',
  tres: '3',
  cuatro: '4',
  cinco: '5',
  seis: '6',
  siete: '7',
  ocho: '8',
  nueve: '9',
};

/**
 * Digits spelled out in en and es ("seis uno dos 345 678"), read as digits where they are a number:
 * two number words or more in a run of five digits or more. "buy one get one" stays.
 */
function numberWords(sk: Skeleton): Skeleton {
  const tokens = [...sk.text.matchAll(/[a-z]+|\d/g)];
  const replace = new Map<number, { end: number; digit: string }>();
  let run: { index: number; end: number; word?: string }[] = [];
  const flush = () => {
    if (run.length >= 5 && run.filter((r) => r.word).length >= 2)
      for (const r of run) if (r.word) replace.set(r.index, { end: r.end, digit: r.word });
    run = [];
  };
  for (const token of tokens) {
    const value = /\d/.test(token[0]) ? token[0] : NUMBER_WORDS[token[0]];
    const last = run[run.length - 1];
    const gap = last ? sk.text.slice(last.end, token.index) : '';
    if (value === undefined || (last && (gap.length > 3 || [...gap].some((c) => !DIGIT_SEPARATORS.has(c)))))
      flush();
    if (value !== undefined)
      run.push({
        index: token.index,
        end: token.index + token[0].length,
        ...(isDigit(token[0]) ? {} : { word: value }),
      });
  }
  flush();
  if (replace.size === 0) return sk;
  const out: Skeleton = { text: '', from: [], to: [] };
  const chars: string[] = [];
  for (let i = 0; i < sk.text.length; i += 1) {
    const word = replace.get(i);
    chars.push(word ? word.digit : sk.text[i]!);
    out.from.push(sk.from[i]!);
    out.to.push(sk.to[word ? word.end - 1 : i]!);
    if (word) i = word.end - 1;
  }
  return { ...out, text: chars.join('') };
}

/** The original text behind skeleton characters [start, end). */
export function originalOf(sk: Skeleton, original: string, start: number, end: number): string {
  if (end <= start || start >= sk.from.length) return '';
  return original.slice(sk.from[start], sk.to[Math.min(end, sk.to.length) - 1]);
}
