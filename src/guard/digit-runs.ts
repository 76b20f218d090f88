import { isDigit, isLatin } from './chars.ts';
import { DIGIT_SEPARATORS } from './skeleton.ts';

/** Digits written together, as the writer grouped them: "138 0013 8000" is three groups. */
interface DigitGroup {
  digits: string;
  start: number;
  end: number;
}

/** Consecutive groups read as one number: the separators between them dropped. */
export interface DigitSpan {
  digits: string;
  start: number;
  end: number;
  /** The first group's digits ("0571" of "0571-8888 8888") and how many groups there are. */
  firstGroup: string;
  groupCount: number;
  /** Shortest and longest group, of all, of all but the first, of all but the last (Infinity/0 when none). */
  minLength: number;
  maxLength: number;
  minButFirst: number;
  maxButFirst: number;
  minButLast: number;
  /** What stands right before the first digit, ignoring spaces: '+' marks an international number. */
  plus: boolean;
  /** Letters glued to the first digit (SF1234…, abc123456). */
  letterPrefix: string;
}

/** At most this many separator characters between two groups of one number ("138 - 0013"). */
const MAX_GAP = 3;
/** As long as the longest card number: spans stop growing here, which keeps the scan linear. */
const MAX_SPAN_DIGITS = 19;

function groupsOf(text: string): DigitGroup[][] {
  const runs: DigitGroup[][] = [];
  let run: DigitGroup[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text[i])) {
      i += 1;
      continue;
    }
    const start = i;
    while (isDigit(text[i])) i += 1;
    const group = { digits: text.slice(start, i), start, end: i };
    const last = run[run.length - 1];
    if (last && joined(text, last.end, start)) run.push(group);
    else {
      if (run.length > 0) runs.push(run);
      run = [group];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function joined(text: string, from: number, to: number): boolean {
  if (to - from > MAX_GAP) return false;
  for (let i = from; i < to; i += 1) if (!DIGIT_SEPARATORS.has(text[i]!)) return false;
  return true;
}

function letterPrefix(text: string, at: number): string {
  let i = at;
  while (i > 0 && isLatin(text[i - 1]) && at - i < 6) i -= 1;
  return text.slice(i, at);
}

function plusBefore(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && text[i] === ' ' && at - i < 3) i -= 1;
  return text[i] === '+';
}

/**
 * Every number the skeleton can be read to contain: each run of digit groups, and each stretch of
 * consecutive groups in it (a phone number written next to a quantity is still a phone number).
 * Stretches under five digits are left out: no rule reads them.
 */
export function digitSpans(text: string): DigitSpan[] {
  const spans: DigitSpan[] = [];
  for (const run of groupsOf(text)) {
    for (let a = 0; a < run.length; a += 1) {
      const first = run[a]!;
      const plus = plusBefore(text, first.start);
      const prefix = letterPrefix(text, first.start);
      let digits = '';
      let minLength = Infinity;
      let maxLength = 0;
      let minButFirst = Infinity;
      let maxButFirst = 0;
      let minButLast: number;
      for (let b = a; b < run.length; b += 1) {
        const group = run[b]!;
        const n = group.digits.length;
        digits += group.digits;
        if (digits.length > MAX_SPAN_DIGITS) break;
        minButLast = minLength;
        minLength = Math.min(minLength, n);
        maxLength = Math.max(maxLength, n);
        if (b > a) {
          minButFirst = Math.min(minButFirst, n);
          maxButFirst = Math.max(maxButFirst, n);
        }
        if (digits.length < 5) continue;
        spans.push({
          digits,
          start: first.start,
          end: group.end,
          firstGroup: first.digits,
          groupCount: b - a + 1,
          minLength,
          maxLength,
          minButFirst,
          maxButFirst,
          minButLast,
          plus,
          letterPrefix: prefix,
        });
      }
    }
  }
  return spans;
}
