/**
 * Texts of 2,000 characters (the longest a message may be) built to make a backtracking pattern
 * work hardest: a word that starts a pattern, then a long run of what its quantifiers take, then
 * something that makes the match fail at the very end.
 */
const LEADS = [
  '抬头',
  '发票抬头',
  '公司名称',
  'company',
  'company name',
  'title',
  'razón social',
  '税号',
  'vat',
  'tax id',
  'nif',
  '订单号',
  '单号',
  'order',
  'order no',
  'pedido',
  'pedido nº',
  '身高',
  'height',
  '1米',
  '1m',
  '一米',
  '体重',
  'weight',
  '打',
  '便宜',
  '少',
  'discount',
  'descuento',
  '$',
  'talla',
  'size',
  'wechat',
  '微信',
  '加微',
  'vx',
  'qq',
  'QQ号码',
  '卡号',
  'account',
  'iban',
  'cuenta',
  'calle',
  'street',
  'http://',
  'https://evil',
  'www.',
  '电话',
  'phone',
  'whatsapp',
  '+86',
  'I',
  'A',
  '{{',
  '退货',
  '怎么还',
  'still',
  'todavía',
  'asked',
  'llevo',
  '',
];
const PUMPS = [
  ' ',
  '\t',
  '\u3000',
  ' \n',
  '1',
  '1 ',
  '1-',
  '1.',
  '12',
  'a',
  'a.',
  'A ',
  'AB ',
  '一',
  '十',
  '斤',
  '号',
  ':',
  '：',
  '是',
  '!',
  '?',
  '{{',
  '}',
  '.',
  '/',
  'Ab',
  "I'",
  '退货',
  'ab ',
  '😡',
];
const TAILS = ['!', '', 'x', '\u0000', '。', '?'];

export const MAX_TEXT = 2000;

/** Every lead × pump × tail, each padded to exactly MAX_TEXT characters. */
export function adversarialTexts(): string[] {
  const texts: string[] = [];
  for (const lead of LEADS) {
    for (const pump of PUMPS) {
      for (const tail of TAILS) {
        const room = MAX_TEXT - lead.length - tail.length;
        texts.push(lead + pump.repeat(Math.ceil(room / pump.length)).slice(0, room) + tail);
      }
    }
  }
  return texts;
}
