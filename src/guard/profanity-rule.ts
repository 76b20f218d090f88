import { isHan, isLatin } from './chars.ts';
import { findPhrase, phraseAt, byFirst, type Finding, type GuardText, type Word } from './guard-text.ts';

/** Whole words only, so Scunthorpe, assess, Mississippi, computadora and análisis pass. */
const WORDS = new Set([
  'shit',
  'shits',
  'shitty',
  'shithead',
  'shitface',
  'bullshit',
  'horseshit',
  'dipshit',
  'bitch',
  'bitches',
  'bitchy',
  'asshole',
  'assholes',
  'ass',
  'arse',
  'arsehole',
  'jackass',
  'dumbass',
  'bastard',
  'bastards',
  'idiot',
  'idiots',
  'idiotic',
  'stupid',
  'moron',
  'morons',
  'moronic',
  'cunt',
  'cunts',
  'dickhead',
  'dickheads',
  'retard',
  'retarded',
  'twat',
  'wanker',
  'stfu',
  'gtfo',
  'wtf',
  'shutup',
  'loser',
  'losers',
  'sb',
  'nmsl',
  'cnm',
  'tmd',
  'nmb',
  'mlgb',
  'f*ck',
  'f**k',
  'f***',
  'sh*t',
  'b*tch',
  'fu*k',
  'a**hole',
  'mierda',
  'puta',
  'putas',
  'puto',
  'putos',
  'putita',
  'pendejo',
  'pendeja',
  'pendejos',
  'pendejas',
  'pendejada',
  'idiota',
  'idiotas',
  'estupido',
  'estupida',
  'estupidos',
  'estupidas',
  'imbecil',
  'imbeciles',
  'gilipollas',
  'gilipolla',
  'cabron',
  'cabrona',
  'cabrones',
  'joder',
  'jodete',
  'coño',
  'culero',
  'culera',
  'verga',
  'chinga',
  'chingada',
  'chingado',
  'chingate',
  'chingar',
  'chingues',
  'malparido',
  'malparida',
  'marica',
  'maricon',
  'mamon',
  'boludo',
  'boluda',
  'pelotudo',
  'pelotuda',
  'carajo',
  'huevon',
  'hdp',
  'ptm',
  'ctm',
  'lpm',
  'callate',
  'largate',
  'subnormal',
  'tarado',
  'tarada',
  'mamahuevo',
  'baboso',
  'babosa',
]);
/** Words that are profane with anything after them: fucking, fucker, motherfucker. */
const STEMS = ['fuck', 'fuk', 'fck', 'fvck', 'phuck', 'motherfuck', 'mothafuck'];
const STEM_EXCEPTIONS = new Set(['fukuoka', 'fukushima', 'fuku']);
const PHRASES = [
  ['shut', 'up'],
  ['screw', 'you'],
  ['piss', 'off'],
  ['go', 'to', 'hell'],
  ['kiss', 'my', 'ass'],
  ['you', 'suck'],
  ['hijo', 'de', 'puta'],
  ['vete', 'a', 'la', 'mierda'],
  ['que', 'te', 'jodan'],
  ['cierra', 'la', 'boca'],
  ['you', 're', 'useless'],
  ['you', 'are', 'useless'],
  ['eres', 'un', 'inutil'],
  ['eres', 'una', 'inutil'],
  ['eres', 'tonto'],
  ['eres', 'tonta'],
  ['get', 'a', 'brain'],
  ['are', 'you', 'blind'],
  ['estas', 'ciego'],
  ['estas', 'ciega'],
  ['no', 'seas', 'idiota'],
  ['drop', 'dead'],
];
const ZH = [
  '傻逼',
  '傻b',
  '傻比',
  '傻屄',
  '傻笔',
  '煞笔',
  '煞逼',
  '沙比',
  '傻x',
  '傻叉',
  '傻缺',
  '他妈的',
  '妈逼',
  '操你',
  '草你妈',
  '草泥马',
  '肏',
  '日你妈',
  '干你娘',
  '滚蛋',
  '滚犊子',
  '滚出去',
  '滚远点',
  '找死',
  '脑残',
  '白痴',
  '弱智',
  '智障',
  '贱人',
  '贱货',
  '婊子',
  '狗日',
  '王八蛋',
  '混蛋',
  '蠢货',
  '蠢猪',
  '神经病',
  '你有病',
  '有病吧',
  '有病啊',
  '这人有病',
  '闭嘴',
  '狗东西',
  '畜生',
  '人渣',
  '杂种',
  '龟儿子',
  '瓜娃子',
  '死全家',
  '算什么东西',
  '尼玛',
  '你妹的',
  '去死',
  '废物',
  '妈的',
  '你妈的',
  '你妈逼',
];
const ZH_INDEX = byFirst(ZH);
/** Innocent words around a zh insult: 去死皮 (exfoliate), 废物利用 (reuse), 妈妈的. */
const ZH_EXCEPT: Readonly<Record<string, { before?: string; after?: string }[]>> = {
  去死: [{ after: '皮' }],
  废物: [{ after: '利用' }, { after: '回收' }],
  妈的: [{ before: '妈' }],
};

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '€': 'e',
};

/**
 * Latin words as a reader sees them: leet read as letters where it sits inside a word (sh1t,
 * a$$hole, 1diot; not 1299 or A55), '*' masking kept (f*ck), spaced-out letters joined (f u c k).
 */
function readWords(s: string): Word[] {
  const words: Word[] = [];
  let word = '';
  let start = 0;
  let prev = ' ';
  for (let i = 0; i <= s.length; i += 1) {
    const c = s[i];
    const read = c === undefined ? ' ' : readChar(s, i, c, prev);
    if (read !== ' ' && word === '') start = i;
    if (read !== ' ') word += read;
    else if (word !== '') {
      words.push({ w: word, start, end: i });
      word = '';
    }
    prev = read;
  }
  return joinSpacedLetters(words, s);
}

/** What the character at i reads as in a word, ' ' when it stands outside one; `prev` is what the one before read as. */
function readChar(s: string, i: number, c: string, prev: string): string {
  if (isLatin(c)) return c;
  const leet = LEET[c];
  if (leet === undefined && c !== '*') return ' ';
  const next = s[i + 1];
  if ((c === '$' || c === '@' || c === '€') && (isLatin(prev) || isLatin(next))) return leet!;
  if (
    leet &&
    isLatin(prev) &&
    (isLatin(next) || (next !== undefined && LEET[next] !== undefined && isLatin(s[i + 2])))
  )
    return leet;
  if (leet && !isLatin(prev) && isLatin(next) && isLatin(s[i + 2])) return leet;
  if (c === '*' && (isLatin(prev) || prev === '*') && (isLatin(next) || next === '*' || prev === '*'))
    return '*';
  return ' ';
}

function joinSpacedLetters(words: readonly Word[], s: string): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < words.length) {
    let j = i;
    while (
      words[j + 1] &&
      words[j]!.w.length === 1 &&
      words[j + 1]!.w.length === 1 &&
      words[j + 1]!.start - words[j]!.end <= 2 &&
      !/[\p{L}\p{N}]/u.test(s.slice(words[j]!.end, words[j + 1]!.start))
    )
      j += 1;
    if (j > i)
      out.push({
        w: words
          .slice(i, j + 1)
          .map((w) => w.w)
          .join(''),
        start: words[i]!.start,
        end: words[j]!.end,
      });
    else out.push(words[i]!);
    i = j + 1;
  }
  return out;
}

function listed(w: string): boolean {
  if (WORDS.has(w)) return true;
  return STEMS.some((stem) => w.startsWith(stem)) && !STEM_EXCEPTIONS.has(w);
}

const tripled = (w: string) => {
  for (let i = 2; i < w.length; i += 1) if (w[i] === w[i - 1] && w[i] === w[i - 2]) return true;
  return false;
};

/** Stretched words read both ways: fuuuck is fuck, assshole is asshole. */
function profaneWord(w: string): boolean {
  if (listed(w)) return true;
  if (!tripled(w)) return false;
  let one = '';
  let two = '';
  for (let i = 0; i < w.length;) {
    let j = i;
    while (w[j] === w[i]) j += 1;
    one += j - i >= 3 ? w[i] : w.slice(i, j);
    two += j - i >= 3 ? w[i]!.repeat(2) : w.slice(i, j);
    i = j;
  }
  return (one !== w && listed(one)) || (two !== w && listed(two));
}

/**
 * 滚 alone is "get lost"; in 滚筒, 滚动, 滚边, 打滚, 水滚开 it is a word. It is the command when
 * it stands alone or after 你/给我/快…, and ends there or goes on as 滚开, 滚吧, 滚出….
 */
function gunCommand(s: string): number | undefined {
  for (let i = s.indexOf('滚'); i >= 0; i = s.indexOf('滚', i + 1)) {
    const prev = s[i - 1];
    const next = s[i + 1];
    if (
      (!isHan(prev) || '你我快紧就都请给再赶马'.includes(prev!)) &&
      (!isHan(next) || '开出远犊吧啊呀回粗'.includes(next!))
    )
      return i;
  }
  return undefined;
}

const PHRASES_BY_FIRST = byFirst(PHRASES);
const isLeet = (c: string) =>
  c >= '0' && c <= '9'
    ? LEET[c] !== undefined
    : c === '$' || c === '@' || c === '€' || c === '!' || c === '|';

/**
 * Words with digits for letters all through (p3nd3j0, 1d10t, c4br0n), which readWords reads only
 * where a digit sits between letters. Four letters at least: a model "A55" is no "ass". A 1 is
 * read as i and as l.
 */
function leetWord(s: string): Finding | undefined {
  let i = 0;
  while (i < s.length) {
    if (!isLatin(s[i]) && !isLeet(s[i]!)) {
      i += 1;
      continue;
    }
    const start = i;
    let letters = 0;
    let leet = 0;
    while (i < s.length && (isLatin(s[i]) || isLeet(s[i]!))) {
      if (isLatin(s[i])) letters += 1;
      else leet += 1;
      i += 1;
    }
    if (letters === 0 || leet === 0 || i - start < 4 || i - start > 20) continue;
    const token = s.slice(start, i);
    const asI = [...token].map((c) => LEET[c] ?? c).join('');
    if (profaneWord(asI) || profaneWord(asI.replaceAll('i', 'l')))
      return { rule: 'profanity', start, end: i };
  }
  return undefined;
}

/** Profanity and insults in zh, en and es, on the confusables skeleton. */
export function profanityRule(t: GuardText): Finding | undefined {
  const words = readWords(t.s);
  for (let i = 0; i < words.length; i += 1) {
    const hit = profaneWord(words[i]!.w)
      ? 1
      : (PHRASES_BY_FIRST.get(words[i]!.w)?.find((p) => phraseAt(words, i, p))?.length ?? 0);
    if (hit > 0) return { rule: 'profanity', start: words[i]!.start, end: words[i + hit - 1]!.end };
  }
  const leet = leetWord(t.s);
  if (leet) return leet;
  if (!t.wide) return undefined;
  const found = findPhrase(t.compact, ZH_INDEX, (at, word) => {
    const end = at + word.length;
    return !(ZH_EXCEPT[word] ?? []).some(
      (e) =>
        (e.after && t.compact.startsWith(e.after, end)) || (e.before && t.compact.endsWith(e.before, at)),
    );
  });
  if (found)
    return {
      rule: 'profanity',
      start: t.compactAt[found.at]!,
      end: t.compactAt[found.at + found.phrase.length - 1]! + 1,
    };
  const gun = gunCommand(t.s);
  return gun === undefined ? undefined : { rule: 'profanity', start: gun, end: gun + 1 };
}
