import type { Finding, GuardText } from './guard-text.ts';

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHan = (c: string | undefined) => c !== undefined && /\p{Script=Han}/u.test(c);
const ZH_STREETS = ['路', '街', '道', '巷', '弄'];
const EN_STREETS = new Set(['street', 'st', 'avenue', 'ave', 'road', 'rd', 'boulevard', 'blvd', 'lane', 'ln', 'drive', 'dr', 'way', 'court', 'ct', 'place', 'pl']);
const ES_STREETS = new Set(['calle', 'avenida', 'av', 'avda', 'paseo', 'carrera', 'calzada', 'plaza', 'camino', 'ronda', 'travesia']);

/** 文三路90号, 3号楼: a street (two Han characters or more, then 路/街/…) and a house number, or a building number. */
function zhAddress(s: string): Finding | undefined {
  for (let i = s.indexOf('号'); i >= 0; i = s.indexOf('号', i + 1)) {
    let d = i;
    while (d > 0 && isDigit(s[d - 1])) d -= 1;
    if (d === i) continue;
    if (s[i + 1] === '楼' || s[i + 1] === '院') return { rule: 'street-address', start: d, end: i + 2 };
    const street = s[d - 1];
    if (street && ZH_STREETS.includes(street) && isHan(s[d - 2]) && isHan(s[d - 3])) return { rule: 'street-address', start: Math.max(0, d - 6), end: i + 1 };
  }
  return undefined;
}

/** "221 Baker Street", "calle Mayor 12": the street's name must be capitalised in the original, as names are. */
function latinAddress(t: GuardText): Finding | undefined {
  const { words, s } = t;
  const capital = (i: number) => /\p{Lu}/u.test(t.original[t.sk.from[words[i]!.start]!] ?? '');
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    if (EN_STREETS.has(w.w) && i >= 1) {
      let k = i - 1;
      while (k >= 0 && i - k <= 3 && capital(k)) k -= 1;
      const before = words[k + 1]!.start;
      let d = before - 1;
      while (d > 0 && isDigit(s[d - 1]) && before - d <= 6) d -= 1;
      if (k < i - 1 && s[before - 1] === ' ' && d < before - 1 && !isDigit(s[d - 1])) return { rule: 'street-address', start: d, end: w.end };
    }
    if (ES_STREETS.has(w.w) && words[i + 1] && capital(i + 1)) {
      let k = i + 1;
      while (words[k + 1] && k - i < 4 && (capital(k + 1) || ['de', 'del', 'la', 'los', 'las'].includes(words[k + 1]!.w))) k += 1;
      const end = houseNumberEnd(s, words[k]!.end);
      if (end !== undefined) return { rule: 'street-address', start: w.start, end };
    }
  }
  return undefined;
}

/** Where the house number after a Spanish street name ends: "Mayor 12", "Mayor, nº 12", "Mayor #12". */
function houseNumberEnd(s: string, from: number): number | undefined {
  let i = from;
  const skip = (chars: string) => {
    while (i < s.length && i - from < 8 && chars.includes(s[i]!)) i += 1;
  };
  skip(', ');
  for (const mark of ['num', 'nº', 'no', 'n', '#']) {
    if (s.startsWith(mark, i) && !/[a-z]/.test(s[i + mark.length] ?? '')) {
      i += mark.length;
      break;
    }
  }
  skip('. ');
  const start = i;
  while (isDigit(s[i]) && i - start < 5) i += 1;
  return i > start && !isDigit(s[i]) ? i : undefined;
}

/** The shop's (or anyone's) street address: the platform forbids giving it out in chat. */
export function addressRule(t: GuardText): Finding | undefined {
  return zhAddress(t.s) ?? latinAddress(t);
}
