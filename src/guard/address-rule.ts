import { isDigit, isHan } from './chars.ts';
import type { Finding, GuardText } from './guard-text.ts';

const ZH_NUMERALS = '零〇一二两三四五六七八九十百千';
const isNumeral = (c: string | undefined) => isDigit(c) || (c !== undefined && ZH_NUMERALS.includes(c));
// 道 alone is a word too often (知道3号发货): only 大道 counts.
const ZH_STREETS = ['路', '街', '巷', '弄'];
// Words that end in 路 and name no street: 祝您一路三号到, 走路5号线.
const NOT_STREETS = [
  '一路',
  '马路',
  '走路',
  '线路',
  '套路',
  '电路',
  '思路',
  '出路',
  '道路',
  '网路',
  '上路',
  '迷路',
  '带路',
  '让路',
  '半路',
];
const EN_STREETS = new Set([
  'street',
  'st',
  'avenue',
  'ave',
  'road',
  'rd',
  'boulevard',
  'blvd',
  'lane',
  'ln',
  'drive',
  'dr',
  'way',
  'court',
  'ct',
  'place',
  'pl',
]);
const ES_STREETS = new Set([
  'calle',
  'avenida',
  'av',
  'avda',
  'paseo',
  'carrera',
  'calzada',
  'plaza',
  'camino',
  'ronda',
  'travesia',
  'carrer',
  'avinguda',
  'passeig',
  'diagonal',
  'transversal',
  'cra',
  'kra',
]);
const ES_LINKS = new Set(['de', 'del', 'la', 'los', 'las', 'd', 'dels', 'el']);
/** Parts of an address in en: "Room 1203", "Building 5", and named areas "Haidian District". */
const EN_UNITS = new Set([
  'room',
  'rm',
  'building',
  'bldg',
  'block',
  'blk',
  'unit',
  'flat',
  'floor',
  'suite',
  'apt',
  'apartment',
  'tower',
]);
const EN_AREAS = new Set([
  'district',
  'county',
  'estate',
  'plaza',
  'mansion',
  'village',
  'town',
  'township',
  'borough',
  'park',
  'center',
  'centre',
  ...EN_STREETS,
]);

/** Where the street of a Chinese address ends before [d…], or -1: 文三路, 人民南路四段, 世纪大道. */
function zhStreetEnd(s: string, d: number): number {
  // 中山大道西88号: a side of the street after its name.
  let e = '东西南北'.includes(s[d - 1] ?? '') && d > 0 ? d - 1 : d;
  if (s[e - 1] === '段') {
    e -= 1;
    const mark = e;
    while (e > 0 && isNumeral(s[e - 1]) && mark - e < 3) e -= 1;
    if (e === mark) return -1;
  }
  const street = s[e - 1];
  const isStreet =
    (street !== undefined && ZH_STREETS.includes(street)) || (street === '道' && s[e - 2] === '大');
  return isStreet && isHan(s[e - 2]) && isHan(s[e - 3]) ? e : -1;
}

/** 文三路90号, 人民南路四段27号, 中山北路二百号, 3号楼: a street and a house number, or a building number. */
function zhAddress(s: string): Finding | undefined {
  for (let i = s.indexOf('号'); i >= 0; i = s.indexOf('号', i + 1)) {
    let d = i;
    while (d > 0 && isNumeral(s[d - 1]) && i - d < 6) d -= 1;
    if (d === i) continue;
    if (isDigit(s[i - 1]) && (s[i + 1] === '楼' || s[i + 1] === '院'))
      return { rule: 'street-address', start: d, end: i + 2 };
    const street = zhStreetEnd(s, d);
    if (street >= 0 && !NOT_STREETS.includes(s.slice(street - 2, street)))
      return { rule: 'street-address', start: Math.max(0, street - 6), end: i + 1 };
  }
  return undefined;
}

/** Whether word i is capitalised in the original, as names are; whether it is the s of "Queen's". */
function nameCase(t: GuardText) {
  const first = (i: number) => t.sk.from[t.words[i]!.start]!;
  return {
    capital: (i: number) => /\p{Lu}/u.test(t.original[first(i)] ?? ''),
    possessive: (i: number) => t.words[i]!.w === 's' && "'’".includes(t.original[first(i) - 1] ?? ''),
  };
}

/** A number right after [at…]: "1203", "#5", "No. 12": its end, or undefined. */
function numberAfter(s: string, at: number): number | undefined {
  let i = at;
  while (i < s.length && i - at < 3 && (s[i] === ' ' || s[i] === '.' || s[i] === '#')) i += 1;
  const start = i;
  while (isDigit(s[i]) && i - start < 5) i += 1;
  return i > start && !isDigit(s[i]) ? i : undefined;
}

/** "Room 1203, Building 5, Haidian District": two different parts of an address close together. */
function enUnits(t: GuardText): Finding | undefined {
  const { words, s } = t;
  const { capital, possessive } = nameCase(t);
  let first: { word: string; index: number } | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    const unitEnd = EN_UNITS.has(w.w) ? numberAfter(s, w.end) : undefined;
    const area = EN_AREAS.has(w.w) && i >= 1 && capital(i) && (capital(i - 1) || possessive(i - 1));
    if (unitEnd === undefined && !area) continue;
    if (first && first.word !== w.w && i - first.index <= 8)
      return { rule: 'street-address', start: words[first.index]!.start, end: unitEnd ?? w.end };
    if (unitEnd !== undefined) first = { word: w.w, index: i };
  }
  return undefined;
}

/** "221 Baker Street", "calle Mayor 12", "Calle de Alcalá 245": the street's name must be capitalised in the original, as names are. */
function latinAddress(t: GuardText): Finding | undefined {
  const { words, s } = t;
  const { capital, possessive } = nameCase(t);
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!;
    if (EN_STREETS.has(w.w) && i >= 1) {
      // The name: capitalised words written together ("88 Queen's Road"; "No. 18 Nanjing Road" stops at 18).
      let k = i - 1;
      while (
        k >= 0 &&
        i - k <= 3 &&
        (capital(k) || possessive(k)) &&
        /^[ '’]*$/.test(s.slice(words[k]!.end, words[k + 1]!.start))
      )
        k -= 1;
      const before = words[k + 1]!.start;
      let d = before - 1;
      while (d > 0 && isDigit(s[d - 1]) && before - d <= 6) d -= 1;
      // Title Case copy counts too ("Buy 2 Get 1 Free Drive"): a capitalised word before the number makes it a quantity.
      const quantity = k >= 0 && capital(k) && !['no', 'num', 'nº'].includes(words[k]!.w);
      if (
        k < i - 1 &&
        capital(k + 1) &&
        !quantity &&
        s[before - 1] === ' ' &&
        d < before - 1 &&
        !isDigit(s[d - 1])
      )
        return { rule: 'street-address', start: d, end: w.end };
    }
    if (!ES_STREETS.has(w.w)) continue;
    const grid = gridNumberEnd(s, w.end);
    if (grid !== undefined) return { rule: 'street-address', start: w.start, end: grid };
    let name = i + 1;
    while (words[name] && name - i < 3 && ES_LINKS.has(words[name]!.w) && !capital(name)) name += 1;
    if (!words[name] || !capital(name)) continue;
    let k = name;
    while (words[k + 1] && k - i < 5 && (capital(k + 1) || ES_LINKS.has(words[k + 1]!.w))) k += 1;
    const end = houseNumberEnd(s, words[k]!.end);
    if (end !== undefined) return { rule: 'street-address', start: w.start, end };
  }
  return undefined;
}

/** The grid addresses of Colombia and others: "Carrera 15 #93-47", "Calle 93 No. 11-27". */
function gridNumberEnd(s: string, from: number): number | undefined {
  let i = from;
  const skip = (chars: string) => {
    while (i < s.length && i - from < 12 && chars.includes(s[i]!)) i += 1;
  };
  const digits = () => {
    const start = i;
    while (isDigit(s[i]) && i - start < 3) i += 1;
    if (s[i] !== undefined && s[i]! >= 'a' && s[i]! <= 'z' && !(s[i + 1]! >= 'a' && s[i + 1]! <= 'z')) i += 1;
    return i > start;
  };
  skip(' .');
  if (!digits()) return undefined;
  skip(' ');
  if (s[i] === '#') i += 1;
  else if (s.startsWith('no', i) || s.startsWith('n°', i)) i += 2;
  else return undefined;
  skip(' .');
  if (!digits()) return undefined;
  skip(' ');
  if (s[i] !== '-') return undefined;
  i += 1;
  skip(' ');
  return digits() ? i : undefined;
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
  return zhAddress(t.s) ?? latinAddress(t) ?? enUnits(t);
}
