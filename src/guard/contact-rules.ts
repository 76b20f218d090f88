import { isDigit, isLatin } from './chars.ts';
import type { DigitSpan } from './digit-runs.ts';
import { ACCOUNT_WORDS, isWeakKeyword } from './keywords.ts';
import {
  findPhrase,
  nearestKeyword,
  negatedCompact,
  byFirst,
  negatedWords,
  spacedRuns,
  type Finding,
  type GuardRule,
  type GuardText,
} from './guard-text.ts';

function cnMobile(digits: string): boolean {
  const d = digits.startsWith('0086')
    ? digits.slice(4)
    : digits.length === 13 && digits.startsWith('86')
      ? digits.slice(2)
      : digits;
  return d.length === 11 && d[0] === '1' && d[1]! >= '3' && d[1]! <= '9';
}

/** 0571-8888 8888, (021) 1234 5678: an area code written apart, so a product code is not one. */
function landline(span: DigitSpan): boolean {
  const area = span.firstGroup;
  const areaOk =
    area === '010' || (area.length === 3 && area[1] === '2') || (area.length === 4 && area[1]! >= '3');
  return (
    span.groupCount >= 2 && area[0] === '0' && areaOk && span.digits.length >= 10 && span.digits.length <= 12
  );
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Card numbers are written whole, digit by digit, or in groups of three or more (6222 0212 …);
 * a list of sizes "36 37 38 39 40 41 42 43 44" is not one, even when its digits pass Luhn.
 */
function cardShaped(span: DigitSpan): boolean {
  return span.maxLength === 1 || span.minButLast >= 3;
}

/**
 * A mobile number is written whole, digit by digit, or in groups of two or more (138 0013 8000);
 * prices in a row ("19.9 29.9 39.9 49.9") are not one.
 */
function mobileShaped(span: DigitSpan): boolean {
  if (span.groupCount === 1) return true;
  const prefixed = span.firstGroup === '86' || span.firstGroup === '0086';
  return prefixed
    ? span.maxButFirst === 1 || span.minButFirst >= 2
    : span.maxLength === 1 || span.minLength >= 2;
}

/** What a number with no keyword near it is by its shape alone. */
function byShape(span: DigitSpan): GuardRule | undefined {
  const d = span.digits;
  if (d.length < 8) return undefined;
  if ((cnMobile(d) && mobileShaped(span)) || landline(span) || /^[48]00\d{7}$/.test(d)) return 'phone-number';
  if (
    (span.plus && d.length >= 8 && d.length <= 15) ||
    (d.startsWith('00') && d[2] !== '0' && d.length >= 10 && d.length <= 15)
  )
    return 'phone-number';
  if (d.length >= 16 && d.length <= 19 && d[0]! >= '2' && d[0]! <= '6' && luhn(d) && cardShaped(span))
    return 'bank-account';
  return undefined;
}

function judgeSpan(t: GuardText, span: DigitSpan): GuardRule | undefined {
  const n = span.digits.length;
  if (n < 5) return undefined;
  const keyword = nearestKeyword(t, span.start, span.end);
  const kind = keyword?.kind;
  // Order and tracking numbers are never a mobile number's 11 digits: 订单…抬头「13812345678有限公司」 is still a phone.
  if (kind === 'order' || kind === 'tracking')
    return cnMobile(span.digits) && mobileShaped(span) ? 'phone-number' : undefined;
  if (kind === 'contact' && (n <= 12 || cnMobile(span.digits))) return 'qq-or-wechat';
  if (kind === 'phone' && n >= 7 && n <= 15) return 'phone-number';
  if (kind === 'bank' && (n >= 10 || (n >= 6 && ACCOUNT_WORDS.has(keyword!.word)))) return 'bank-account';
  // Written digit by digit ("6 9 1 - 2 4 7 - 5 8 3") a whole national number needs no keyword: nothing else is written so.
  const spelt = span.maxLength === 1 && span.groupCount === n && !counting(span.digits);
  if (
    kind === undefined &&
    nationalNumber(span) &&
    (spelt || t.keywords.some((k) => k.kind === 'phone' && !isWeakKeyword(k.word)))
  )
    return 'phone-number';
  return byShape(span);
}

/** "1 2 3 4 5 6 7 8 9", "9 8 7 … 0": steps or a countdown, not a number. */
function counting(digits: string): boolean {
  const step = digits.charCodeAt(1) - digits.charCodeAt(0);
  if (step !== 1 && step !== -1) return false;
  for (let i = 2; i < digits.length; i += 1)
    if (digits.charCodeAt(i) - digits.charCodeAt(i - 1) !== step) return false;
  return true;
}

/**
 * A whole national number of the markets we sell to, in a message that speaks of calling: the US
 * and Mexico (ten digits, or eleven with the 1), Spain (nine from 6, 7 or 9). "Call me: my cell
 * is …, and it is 2125550148" keeps no keyword near the number.
 */
function nationalNumber(span: DigitSpan): boolean {
  const d = span.digits;
  const ten = d.length === 10 ? d : d.length === 11 && d[0] === '1' ? d.slice(1) : '';
  const fits = (ten !== '' && ten[0]! >= '2') || (d.length === 9 && '679'.includes(d[0]!));
  return fits && mobileShaped(span);
}

/**
 * Phone, card, account and QQ numbers, judged by the nearest keyword, else by their shape. The
 * longest offending reading is quoted (all of "6222.0212.3456.7890", and abc of abc123456).
 */
export function numberRule(t: GuardText): Finding | undefined {
  let found: (Finding & { from: DigitSpan }) | undefined;
  for (const span of t.spans) {
    if (found && span.start !== found.from.start) break;
    const rule = judgeSpan(t, span);
    if (rule && (!found || rule === found.rule))
      found = {
        rule,
        start: span.start - (rule === 'qq-or-wechat' ? span.letterPrefix.length : 0),
        end: span.end,
        from: span,
      };
  }
  return found && { rule: found.rule, start: found.start, end: found.end };
}

/** ES91 2100 0418 4502 0005 1332: two letters, two check digits, and the mod-97 check. */
export function ibanRule(t: GuardText): Finding | undefined {
  const s = t.s;
  for (let i = 0; i + 4 < s.length; i += 1) {
    if (!isLatin(s[i]) || !isLatin(s[i + 1]) || !isDigit(s[i + 2]) || !isDigit(s[i + 3]) || isLatin(s[i - 1]))
      continue;
    let body = s.slice(i, i + 4);
    let j = i + 4;
    while (
      j < s.length &&
      body.length < 34 &&
      (isDigit(s[j]) || isLatin(s[j]) || (s[j] === ' ' && (isDigit(s[j + 1]) || isLatin(s[j + 1]))))
    ) {
      if (s[j] !== ' ') body += s[j];
      j += 1;
    }
    if (body.length >= 15 && mod97(body.slice(4) + body.slice(0, 4)) === 1)
      return { rule: 'bank-account', start: i, end: j };
  }
  return undefined;
}

function mod97(text: string): number {
  let rest = 0;
  for (const c of text) {
    const value = isDigit(c) ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 87;
    if (value < 0 || value > 35) return -1;
    rest = value > 9 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest;
}

const ID_MARKERS = [':', 'id', '号', '是', 'is', 'es'];

/**
 * WeChat and similar ids (shop_2024, abc123456) near a contact keyword. Letters-only ids count only
 * when marked as one ("微信号：kittyshop", "wechat id: kittyshop"), or "WeChat is available" would too.
 */
export function idRule(t: GuardText): Finding | undefined {
  const s = t.s;
  let i = 0;
  while (i < s.length) {
    if (!isLatin(s[i]) && !isDigit(s[i]) && s[i] !== '_') {
      i += 1;
      continue;
    }
    const start = i;
    while (i < s.length && (isLatin(s[i]) || isDigit(s[i]) || s[i] === '_' || s[i] === '-')) i += 1;
    const token = s.slice(start, i);
    if (token.length < 5 || token.length > 30 || !/[a-z]/.test(token)) continue;
    const marked = /[\d_]/.test(token);
    if (/^(?:wx|vx|qq|wechat|weixin)[-_]?\d/.test(token)) return { rule: 'qq-or-wechat', start, end: i };
    const kw = nearestKeyword(t, start, i);
    if (kw?.kind !== 'contact') continue;
    if (marked && token.length >= 6) return { rule: 'qq-or-wechat', start, end: i };
    const between = s.slice(kw.end, start);
    const labelled =
      kw.end <= start &&
      t.before[start]! - t.before[kw.end]! <= 3 &&
      ID_MARKERS.some((m) => between.includes(m) || kw.word.endsWith(m));
    if (labelled && token.length >= 6 && !marked) return { rule: 'qq-or-wechat', start, end: i };
  }
  return undefined;
}

const PLATFORMS = new Set([
  'wechat',
  'weixin',
  'qq',
  'whatsapp',
  'whats',
  'wsp',
  'telegram',
  'wx',
  'vx',
  'kakao',
  'kakaotalk',
  'skype',
  'viber',
  'signal',
  'line',
  'instagram',
  'ig',
  'facebook',
  'messenger',
  'snapchat',
]);
const INVITE_VERBS = new Set([
  'add',
  'contact',
  'message',
  'msg',
  'text',
  'reach',
  'find',
  'ping',
  'hit',
  'dm',
  'chat',
  'write',
  'follow',
  'join',
  'escribeme',
  'escribenos',
  'contactame',
  'contactanos',
  'buscame',
  'buscanos',
  'hablame',
  'mandame',
  'agregame',
  'agreganos',
  'añademe',
  'anademe',
  'sigueme',
  'llamame',
  'talk',
  'hablamos',
  'hablemos',
  'seguimos',
]);
const INVITE_ALONE = new Set(['agregame', 'agreganos', 'añademe', 'anademe', 'añadenos']);
const ZH_INVITES = [
  '加微',
  '加v',
  '加vx',
  '加wx',
  '加q',
  '加扣扣',
  '加企鹅',
  '加威信',
  '加薇信',
  '+v',
  '+vx',
  '+wx',
  '+q',
  '+微',
  '加我微信',
  '加我v',
  '加我qq',
  '加我扣扣',
  '加个微信',
  '加下微信',
  '加一下微信',
  '加好友微信',
  '微信联系',
  '微信私聊',
  '微信找我',
  'qq找我',
  'qq联系',
  '扣扣联系',
  'v我',
  '私聊我微信',
  '扫码加',
  '扫我二维码',
  '微信搜',
  '搜微信',
  '加我好友',
  '加我wechat',
  '加我weixin',
  '加我whatsapp',
  '加我telegram',
  '加我wx',
  '加我vx',
];
const ZH_INVITE_INDEX = byFirst(ZH_INVITES);

/** "add me on WeChat", "wechat me", "agrégame en WhatsApp", 加微, 加我微信: an invitation, with or without an id. */
export function inviteRule(t: GuardText): Finding | undefined {
  const { words } = t;
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i]!.w;
    const invites =
      (PLATFORMS.has(w) && words[i + 1]?.w === 'me' && words[i + 1]!.start - words[i]!.end <= 1) ||
      INVITE_ALONE.has(w) ||
      (INVITE_VERBS.has(w) && platformWithin(t, i + 1, 4));
    if (invites && !negatedWords(t, i, i + 2))
      return {
        rule: 'qq-or-wechat',
        start: words[i]!.start,
        end: words[Math.min(i + 1, words.length - 1)]!.end,
      };
  }
  // A platform's name spelt out letter by letter ("W h a t s A p p") is written so only to get past us.
  for (const run of spacedRuns(t))
    if (PLATFORMS.has(run.w) && !negatedWords(t, run.first, run.last))
      return { rule: 'qq-or-wechat', start: run.start, end: run.end };
  if (!t.wide && !t.compact.includes('+')) return undefined;
  const found = findPhrase(t.compact, ZH_INVITE_INDEX, (at, phrase) => {
    const end = at + phrase.length;
    const glued =
      (isLatin(phrase[0]) && isLatin(t.compact[at - 1])) ||
      (isLatin(phrase[phrase.length - 1]) &&
        isLatin(t.compact[end]) &&
        !(phrase.endsWith('v') && t.compact[end] === 'x'));
    return !glued && !negatedCompact(t, at, end);
  });
  if (found)
    return {
      rule: 'qq-or-wechat',
      start: t.compactAt[found.at]!,
      end: t.compactAt[found.at + found.phrase.length - 1]! + 1,
    };
  return undefined;
}

function platformWithin(t: GuardText, from: number, count: number): boolean {
  for (let k = from; k < Math.min(t.words.length, from + count); k += 1)
    if (PLATFORMS.has(t.words[k]!.w)) return true;
  return false;
}
