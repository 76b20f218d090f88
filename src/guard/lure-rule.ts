import { isAsciiLower, isHan } from './chars.ts';
import {
  findPhrase,
  negatedCompact,
  byFirst,
  negatedWords,
  phraseAt,
  spacedRuns,
  type Finding,
  type GuardText,
} from './guard-text.ts';

/** Lures to pay or deal outside the platform, where the buyer has no protection and the shop is punished. */
const ZH = [
  '线下交易',
  '私下交易',
  '私下转账',
  '私下付款',
  '私下支付',
  '私下联系',
  '私下交流',
  '私下沟通',
  '私下买',
  '私下卖',
  '私聊交易',
  '私聊转账',
  '私聊付款',
  '私单',
  '加微信转账',
  '微信转账给我',
  '转账给我',
  '直接转给我',
  '钱转给我',
  '打款给我',
  '打钱给我',
  '转我支付宝',
  '支付宝转我',
  '转我微信',
  '微信转我',
  '线下付款',
  '线下支付',
  '线下转账',
  '线下结算',
  '不走平台',
  '绕过平台',
  '绕开平台',
  '跳过平台',
  '脱离平台',
  '平台外交易',
  '平台外付款',
  '站外交易',
  '站外付款',
  '站外购买',
  '当面交易',
  '别在平台拍',
  '不在平台拍',
  '不在平台下单',
  '不用在平台',
  '发红包给我',
  '扫我收款码',
  '私人收款码',
  '发你收款码',
  '扫码转账',
  '省平台手续费',
  '免平台手续费',
  '直接转我',
  '线下见面',
  ...['不走', '别走', '绕过', '绕开', '跳过', '脱离', '不通过', '不经过'].flatMap((verb) =>
    ['淘宝', '天猫', '京东', '拼多多', '闲鱼', '抖音', '官方'].map((site) => verb + site),
  ),
];
const ZH_INDEX = byFirst(ZH);
// Pinyin written for a character to slip past the list: xian下交易, 线xia付款.
const PINYIN: Readonly<Record<string, string>> = {
  线: 'xian',
  下: 'xia',
  私: 'si',
  交: 'jiao',
  易: 'yi',
  转: 'zhuan',
  账: 'zhang',
  付: 'fu',
  款: 'kuan',
  平: 'ping',
  台: 'tai',
  走: 'zou',
  外: 'wai',
  站: 'zhan',
  支: 'zhi',
  绕: 'rao',
  过: 'guo',
};
const EN_ES = [
  'pay me directly',
  'pay me direct',
  'pay directly to me',
  'pay me privately',
  'pay me via',
  'pay me through',
  'pay me by',
  'pay me on',
  'pay me in',
  'pay me',
  'pay outside',
  'outside the platform',
  'outside of the platform',
  'outside the app',
  'off the platform',
  'off platform',
  'offplatform',
  'bypass the platform',
  'skip the platform',
  'around the platform',
  'avoid the platform fee',
  'avoid the platform fees',
  'avoid platform fees',
  'save the platform fee',
  'skip the fees',
  'send me the money',
  'send the money directly',
  'transfer the money to me',
  'transfer directly to me',
  'direct transfer to me',
  'wire me',
  'wire the money',
  'western union',
  'moneygram',
  'venmo me',
  'zelle me',
  'cashapp me',
  'cash app me',
  'paypal me',
  'deal directly',
  'trade directly',
  'buy directly from me',
  'directly from me',
  'cheaper if you pay',
  'fuera de la plataforma',
  'por fuera de la plataforma',
  'fuera de la app',
  'fuera de la aplicacion',
  'sin pasar por la plataforma',
  'pagame directo',
  'pagame directamente',
  'pagame a mi',
  'pagame por fuera',
  'pagame por',
  'pagame',
  'pagarme directamente',
  'pagarme directo',
  'transferencia directa',
  'transfiereme',
  'depositame',
  'hazme una transferencia',
  'hazme un deposito',
  'hazme un bizum',
  'mandame el dinero',
  'enviame el dinero',
  'enviame dinero',
  'trato directo',
  'me pagas directo',
  'me pagas directamente',
  'directamente a mi cuenta',
  'a mi cuenta personal',
  'money straight to me',
  'money directly to me',
  'pay straight to me',
  'straight to my account',
  'instead of through the app',
  'instead of through the platform',
  'rather than through the app',
  'venta por fuera',
  'ventas por fuera',
  'pago por fuera',
  'compra por fuera',
  'trato por fuera',
  'arreglamos por fuera',
  'por fuera de la app',
  'sin pasar por la app',
  'to my bank account',
  'into my bank account',
  'into my account',
  'to my personal account',
]
  // "x" is "por" in Spanish texting: "venta x fuera".
  .flatMap((p) => (p.includes('por ') ? [p, p.replace('por ', 'x ')] : [p]))
  .map((p) => p.split(' '));
const EN_ES_BY_FIRST = byFirst(EN_ES);
// The phrases written as one word, for letters spaced out one by one ("p a y m e d i r e c t l y"). Spelt
// so, "pago directo" is a lure too; written plainly it is how a card payment is named.
const EN_ES_JOINED = [
  ...EN_ES.filter((p) => p.length > 1).map((p) => p.join('')),
  'pagodirecto',
  'paydirectly',
  'paydirect',
  'ventadirecta',
  'pagoporfuera',
];

/** 线下交易, 私下转账, "pay me directly", "fuera de la plataforma"… unless said as a warning ("请勿线下交易"). */
export function lureRule(t: GuardText): Finding | undefined {
  if (t.wide) {
    const found = findPhrase(t.compact, ZH_INDEX, (at, phrase) => !negatedCompact(t, at, at + phrase.length));
    if (found)
      return {
        rule: 'off-platform',
        start: t.compactAt[found.at]!,
        end: t.compactAt[found.at + found.phrase.length - 1]! + 1,
      };
    const mixed = t.words.length > 0 ? mixedPinyin(t) : undefined;
    if (mixed) return mixed;
  }
  for (let i = 0; i < t.words.length; i += 1) {
    const phrase = EN_ES_BY_FIRST.get(t.words[i]!.w)?.find((p) => phraseAt(t.words, i, p));
    if (phrase && !negatedWords(t, i, i + phrase.length))
      return { rule: 'off-platform', start: t.words[i]!.start, end: t.words[i + phrase.length - 1]!.end };
  }
  for (const run of spacedRuns(t)) {
    if (EN_ES_JOINED.some((p) => run.w.includes(p)) && !negatedWords(t, run.first, run.last))
      return { rule: 'off-platform', start: run.start, end: run.end };
  }
  return undefined;
}

const SYLLABLES = new Map(Object.entries(PINYIN).map(([ch, py]) => [py, ch]));

/**
 * The compact text with pinyin next to Chinese read as characters (xian下 → 线下), when a run of
 * Latin letters touching a Han character is made only of the syllables in PINYIN; `at[i]` is the
 * compact index of folded character i. Undefined when nothing was read so.
 */
function foldPinyin(c: string): { text: string; at: number[] } | undefined {
  let text = '';
  const at: number[] = [];
  let changed = false;
  let i = 0;
  while (i < c.length) {
    if (!isAsciiLower(c[i])) {
      text += c[i];
      at.push(i);
      i += 1;
      continue;
    }
    const start = i;
    while (isAsciiLower(c[i])) i += 1;
    const chars =
      (isHan(c[start - 1]) || isHan(c[i])) && i - start <= 12 ? syllables(c.slice(start, i)) : undefined;
    changed ||= chars !== undefined;
    for (let k = 0; k < (chars ?? '').length; k += 1) at.push(start);
    text += chars ?? c.slice(start, i);
    if (!chars) for (let k = start; k < i; k += 1) at.push(k);
  }
  return changed ? { text, at } : undefined;
}

/** "xianxia" as 线下: longest syllable first, all of the run or nothing. */
function syllables(run: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < run.length) {
    let length = Math.min(5, run.length - i);
    while (length > 0 && !SYLLABLES.has(run.slice(i, i + length))) length -= 1;
    if (length === 0) return undefined;
    out += SYLLABLES.get(run.slice(i, i + length));
    i += length;
  }
  return out;
}

/** A zh phrase with some of its characters in pinyin: xian下交易, 线xia付款. */
function mixedPinyin(t: GuardText): Finding | undefined {
  const folded = foldPinyin(t.compact);
  if (!folded) return undefined;
  const view = { ...t, compact: folded.text };
  const found = findPhrase(
    folded.text,
    ZH_INDEX,
    (at, phrase) => !negatedCompact(view, at, at + phrase.length),
  );
  if (!found) return undefined;
  return {
    rule: 'off-platform',
    start: t.compactAt[folded.at[found.at]!]!,
    end: t.compactAt[folded.at[found.at + found.phrase.length - 1]!]! + 1,
  };
}
