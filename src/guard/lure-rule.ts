import { negatedCompact, negatedWords, phraseAt, type Finding, type GuardText } from './guard-text.ts';

/** Lures to pay or deal outside the platform, where the buyer has no protection and the shop is punished. */
const ZH = [
  '线下交易', '私下交易', '私下转账', '私下付款', '私下支付', '私下联系', '私下交流', '私下沟通', '私下买', '私下卖', '私聊交易', '私单', '加微信转账', '微信转账给我',
  '转账给我', '直接转给我', '钱转给我', '打款给我', '打钱给我', '转我支付宝', '支付宝转我', '转我微信', '微信转我', '线下付款', '线下支付',
  '线下转账', '线下结算', '不走平台', '绕过平台', '绕开平台', '跳过平台', '脱离平台', '平台外交易', '平台外付款', '站外交易', '站外付款', '站外购买', '当面交易',
  '别在平台拍', '不在平台拍', '不在平台下单', '不用在平台', '发红包给我', '扫我收款码', '私人收款码', '发你收款码', '扫码转账', '省平台手续费', '免平台手续费',
];
const EN_ES = [
  'pay me directly', 'pay me direct', 'pay directly to me', 'pay me privately', 'pay me via', 'pay me through', 'pay me by', 'pay me on', 'pay me in',
  'pay me', 'pay outside', 'outside the platform', 'outside of the platform', 'outside the app', 'off the platform', 'off platform', 'offplatform',
  'bypass the platform', 'skip the platform', 'around the platform', 'avoid the platform fee', 'avoid the platform fees', 'avoid platform fees',
  'save the platform fee', 'skip the fees', 'send me the money', 'send the money directly', 'transfer the money to me', 'transfer directly to me',
  'direct transfer to me', 'wire me', 'wire the money', 'western union', 'moneygram', 'venmo me', 'zelle me', 'cashapp me', 'cash app me',
  'paypal me', 'deal directly', 'trade directly', 'buy directly from me', 'directly from me', 'cheaper if you pay',
  'fuera de la plataforma', 'por fuera de la plataforma', 'fuera de la app', 'fuera de la aplicacion', 'sin pasar por la plataforma',
  'pagame directo', 'pagame directamente', 'pagame a mi', 'pagame por fuera', 'pagame por', 'pagame', 'pagarme directamente', 'pagarme directo',
  'transferencia directa', 'transfiereme', 'depositame', 'hazme una transferencia', 'hazme un deposito', 'hazme un bizum', 'mandame el dinero',
  'enviame el dinero', 'enviame dinero', 'trato directo', 'me pagas directo', 'me pagas directamente', 'directamente a mi cuenta', 'a mi cuenta personal',
].map((p) => p.split(' '));

/** 线下交易, 私下转账, "pay me directly", "fuera de la plataforma"… unless said as a warning ("请勿线下交易"). */
export function lureRule(t: GuardText): Finding | undefined {
  for (const phrase of ZH) {
    for (let at = t.compact.indexOf(phrase); at >= 0; at = t.compact.indexOf(phrase, at + 1)) {
      const end = at + phrase.length;
      if (!negatedCompact(t, at, end)) return { rule: 'off-platform', start: t.compactAt[at]!, end: t.compactAt[end - 1]! + 1 };
    }
  }
  for (let i = 0; i < t.words.length; i += 1) {
    const phrase = EN_ES.find((p) => phraseAt(t.words, i, p));
    if (phrase && !negatedWords(t, i, i + phrase.length)) return { rule: 'off-platform', start: t.words[i]!.start, end: t.words[i + phrase.length - 1]!.end };
  }
  return undefined;
}
