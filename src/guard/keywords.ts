import { isLatin } from './chars.ts';
/**
 * Words that say what a nearby number or id is. A number is judged by the nearest of them:
 * 订单号 1234… is an order, 微信 1234… a WeChat id.
 */
export type KeywordKind = 'order' | 'tracking' | 'phone' | 'bank' | 'contact';

/** Written without spaces: keywords are found in the compact text (spaces and punctuation removed). */
const KEYWORDS: Readonly<Record<KeywordKind, readonly string[]>> = {
  order: [
    '订单号',
    '订单编号',
    '订单号码',
    '订单',
    '单号',
    '下单',
    '子订单',
    '交易号',
    'order',
    'orderno',
    'ordernumber',
    'orderid',
    'orders',
    'pedido',
    'numerodepedido',
    'nºdepedido',
    'ndepedido',
    'orden',
    'ordennumero',
    'compra',
    'invoice',
    'factura',
    '发票',
    '发票号',
  ],
  tracking: [
    '快递单号',
    '运单号',
    '物流单号',
    '快递',
    '物流',
    '运单',
    '顺丰',
    '圆通',
    '中通',
    '申通',
    '韵达',
    '邮政',
    '极兔',
    '百世',
    '德邦',
    '京东快递',
    '京东物流',
    '包裹',
    'ems',
    'sf',
    'yt',
    'zto',
    'sto',
    'yd',
    'jt',
    'jd',
    'jdl',
    'yto',
    'db',
    'tracking',
    'trackingnumber',
    'trackingno',
    'courier',
    'shipment',
    'waybill',
    'parcel',
    'package',
    'dhl',
    'fedex',
    'ups',
    'usps',
    'guia',
    'numerodeguia',
    'seguimiento',
    'numerodeseguimiento',
    'rastreo',
    'paqueteria',
    'envio',
    'paquete',
    'correos',
    'estafeta',
    'seur',
    'mrw',
  ],
  phone: [
    '电话',
    '手机',
    '手机号',
    '手机号码',
    '号码',
    '打我',
    '致电',
    '来电',
    '拨打',
    '联系电话',
    '座机',
    '热线',
    '客服电话',
    '短信',
    'tel',
    'phone',
    'phoneno',
    'phonenumber',
    'call',
    'callme',
    'mobile',
    'cell',
    'cellphone',
    'whatsapp',
    'text',
    'textme',
    'sms',
    'telefono',
    'llamame',
    'llama',
    'llamar',
    'celular',
    'movil',
    'numero',
    'minumero',
    'whats',
    'wsp',
    'wa',
    'reachme',
    'reachmeat',
    'reachmeon',
    'ringme',
    'giveacall',
    'cel',
    'micel',
    'mynumber',
    'mycell',
    'marcame',
    'marcanos',
    'llamanos',
    'escribeme',
    'escribenos',
    'whatsappme',
    'textmeat',
    'callmeat',
  ],
  bank: [
    '卡号',
    '银行卡',
    '银行卡号',
    '银行账号',
    '银行账户',
    '账号',
    '帐号',
    '账户',
    '帐户',
    '开户行',
    '开户',
    '转账',
    '汇款',
    '打款',
    '收款',
    '收款账号',
    '对公账户',
    'card',
    'cardno',
    'cardnumber',
    'creditcard',
    'debitcard',
    'bank',
    'bankaccount',
    'account',
    'accountno',
    'accountnumber',
    'acct',
    'iban',
    'swift',
    'routing',
    'sortcode',
    'tarjeta',
    'cuenta',
    'cuentabancaria',
    'numerodecuenta',
    'clabe',
    'transferencia',
    'deposito',
    'accno',
    'acctno',
    'accnumber',
    'interbancaria',
    'cuentainterbancaria',
    'clabeinterbancaria',
    'nodecuenta',
  ],
  contact: [
    'qq',
    'qq号',
    'qq号码',
    'q号',
    'qq群',
    '扣扣',
    '扣扣号',
    '企鹅',
    '企鹅号',
    '群号',
    '微信',
    '微信号',
    '微信号码',
    '威信',
    '薇信',
    '徽信',
    '维信',
    'v信',
    '微',
    '薇',
    'vx',
    'vx号',
    'wx',
    'wx号',
    'weixin',
    'wechat',
    'wechatid',
    'wechatme',
    'weixinhao',
    'wechat号',
    '加微',
    '加v',
    '加vx',
    '加wx',
    '加q',
    '加qq',
    '加我',
    '加个',
    '+v',
    '+vx',
    '+wx',
    '+q',
    '加扣扣',
    '加企鹅',
    '加威信',
    '加薇信',
    'telegram',
    'tg',
    'line',
    'lineid',
    'kakao',
    'kakaotalk',
    'skype',
    'viber',
    'signal',
    'addme',
    'addmeon',
    'myid',
    'miid',
    'agregame',
    'añademe',
    'anademe',
    'agreganos',
    'myv',
    'myvx',
    'miv',
  ],
};

export interface KeywordHit {
  kind: KeywordKind;
  word: string;
  /** Skeleton indices [start, end). */
  start: number;
  end: number;
}

// Keywords that are everyday words too (微胖, a text line, a call): they count only right before an id.
// "my V" is WeChat only right before an id: "my V neck" is a collar.
const WEAK = new Set([
  '微',
  '薇',
  'line',
  'text',
  'call',
  'cell',
  'cel',
  'wa',
  'tg',
  'signal',
  'llama',
  'numero',
  'card',
  'db',
  'yd',
  'jt',
  'myv',
  'miv',
]);

/** Bank words that name an account outright: a sort code (6 digits) or a UK account (8) is short. */
export const ACCOUNT_WORDS = new Set([
  'sortcode',
  'accno',
  'acctno',
  'accnumber',
  'accountno',
  'accountnumber',
  'bankaccount',
  'numerodecuenta',
  'nodecuenta',
  'cuentabancaria',
  'clabe',
  'clabeinterbancaria',
  'cuentainterbancaria',
  '卡号',
  '银行卡号',
  '银行账号',
  '收款账号',
]);

// By their first two characters (one for one-character keywords), as a number: a position tries a
// handful of keywords, not every one with its first letter, and a number key hashes at once.
const startKey = (text: string, at: number, length: number) =>
  length === 1 || at + 1 >= text.length
    ? text.charCodeAt(at)
    : text.charCodeAt(at) * 0x10000 + text.charCodeAt(at + 1) + 0x100000000;
const BY_START = new Map<number, { word: string; kind: KeywordKind }[]>();
for (const [kind, words] of Object.entries(KEYWORDS) as [KeywordKind, readonly string[]][]) {
  for (const word of words) {
    const key = startKey(word, 0, word.length);
    BY_START.set(key, [...(BY_START.get(key) ?? []), { word, kind }]);
  }
}
for (const list of BY_START.values()) list.sort((a, b) => b.word.length - a.word.length);

/** Whether a keyword is weak: it counts only when an id follows it closely. */
export const isWeakKeyword = (word: string) => WEAK.has(word);

/**
 * The keywords in the text, leftmost-longest and not overlapping (订单号码 is an order, not 号码).
 * A keyword that starts or ends with a Latin letter must not be glued to other Latin letters in
 * the skeleton: "qq" is a keyword, "sqq" is not; "w e c h a t" still is.
 */
export function findKeywords(compact: string, toSkeleton: readonly number[], skeleton: string): KeywordHit[] {
  const hits: KeywordHit[] = [];
  let i = 0;
  while (i < compact.length) {
    const hit = keywordAt(compact, i, toSkeleton, skeleton);
    if (!hit) {
      i += 1;
      continue;
    }
    const end = i + hit.word.length;
    hits.push({ kind: hit.kind, word: hit.word, start: toSkeleton[i]!, end: toSkeleton[end - 1]! + 1 });
    i = end;
  }
  return hits;
}

/** Keywords are looked up by their first two characters, then by their first (one-character ones). */
const KEY_LENGTHS = [2, 1] as const;

function keywordAt(
  compact: string,
  i: number,
  toSkeleton: readonly number[],
  skeleton: string,
): { word: string; kind: KeywordKind } | undefined {
  for (const length of KEY_LENGTHS) {
    const list = BY_START.get(startKey(compact, i, length));
    if (list)
      for (const k of list)
        if (compact.startsWith(k.word, i) && bounded(k.word, i, toSkeleton, skeleton)) return k;
  }
  return undefined;
}

function bounded(word: string, at: number, toSkeleton: readonly number[], skeleton: string): boolean {
  const first = toSkeleton[at]!;
  const last = toSkeleton[at + word.length - 1]!;
  if (isLatin(word[0]) && isLatin(skeleton[first - 1])) return false;
  return !(isLatin(word[word.length - 1]) && isLatin(skeleton[last + 1]));
}
