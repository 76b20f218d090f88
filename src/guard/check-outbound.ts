/**
 * The shop's rules of conduct, on every message that leaves: no phone numbers, bank accounts,
 * QQ or WeChat ids, street addresses, links to other shops, or rude words, in zh, en or es.
 */
export type GuardRule = 'phone-number' | 'bank-account' | 'qq-or-wechat' | 'street-address' | 'outside-link' | 'profanity';

export type GuardVerdict = { ok: true } | { ok: false; rule: GuardRule; match: string };

interface Check {
  rule: GuardRule;
  pattern: RegExp;
}

const CHECKS: readonly Check[] = [
  { rule: 'qq-or-wechat', pattern: /(?:qq|扣扣|企鹅|q号)\s*(?:号|群)?\s*[:：是为]?\s*\d{5,12}|(?:微信|威信|薇信|vx|v信|wx|weixin|wechat|we chat)\s*(?:号|id)?\s*[:：是为]?\s*[a-z][-_a-z0-9]{5,19}|(?:微信|vx|wx|wechat)\s*(?:号|id)?\s*[:：是为]?\s*1[3-9]\d{9}/i },
  { rule: 'bank-account', pattern: /(?:(?:银行)?(?:卡号|账号|帐号|账户|户名)|bank\s*account|account\s*(?:no|number)|iban|cuenta(?:\s*bancaria)?|clabe)\s*[:：是为]?\s*[A-Z]{0,4}[\d\s-]{8,34}|\b(?:\d[ -]?){16,19}\b|\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b/i },
  { rule: 'phone-number', pattern: /(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)|(?<!\d)0\d{2,3}[-\s]\d{7,8}(?!\d)|\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,4}|(?:电话|手机|tel|phone|call me|ll[aá]mame|tel[eé]fono|whatsapp)\s*[:：是为]?\s*[\d\s()+-]{7,}/i },
  { rule: 'street-address', pattern: /[\u4e00-\u9fff]{2,}(?:路|街|大道|巷|弄)\d+号|\d+号(?:楼|院)|\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:street|st\.|avenue|ave\.|road|rd\.|boulevard|blvd\.|lane|drive)\b|\b(?:calle|avenida|av\.|paseo|carrera)\s+[A-ZÁÉÍÓÚa-záéíóúñ ]{2,30}\s*(?:n[º°o.]\s*)?\d{1,5}\b/i },
  { rule: 'profanity', pattern: /傻逼|煞笔|(?<![a-z])sb(?![a-z])|他妈的?|妈的|操你|草你|尼玛|滚蛋|去死|脑残|白痴|贱人|\b(?:fuck\w*|shit\w*|bitch\w*|asshole|bastard|dumbass|idiot|stupid|moron|cunt|dick)\b|\b(?:mierda|puta\w*|put[oa]s?|pendej\w*|idiota|est[uú]pid[oa]|gilipollas|cabr[oó]n\w*|joder|coñ[oa])\b/i },
];

const URL = /\b(?:https?:\/\/)?(?:[a-z0-9-]+\.)+(?:com|cn|net|org|shop|store|top|xyz|io|co|me|info|es|mx|ar|cl|co|pe|uk|de|fr|tv|cc|tk)(?:\/[^\s]*)?/gi;

const ZH_DIGITS: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 幺: '1', 二: '2', 两: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };

/**
 * What a reader sees: invisible format characters (zero-width, soft hyphen, invisible
 * separators) removed, and runs of Chinese digit characters read as digits (一三八… is a phone
 * number too).
 */
function visible(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[零〇一幺二两三四五六七八九]{5,}/g, (run) => [...run].map((c) => ZH_DIGITS[c]).join(''));
}

/**
 * `ownDomains`: the shop's own sites (SHOP_DOMAINS); links to them are allowed. `knownIds`: ids
 * the bot itself put in the text (the buyer's order number), which may look like a phone or a card.
 */
export function checkOutbound(text: string, ownDomains: readonly string[] = [], knownIds: readonly string[] = []): GuardVerdict {
  let normalized = visible(text);
  for (const id of knownIds) if (id.length >= 4) normalized = normalized.split(id).join(' ');
  for (const { rule, pattern } of CHECKS) {
    const match = normalized.match(pattern);
    if (match) return { ok: false, rule, match: match[0] };
  }
  for (const match of normalized.matchAll(URL)) {
    const host = match[0].replace(/^https?:\/\//i, '').split('/')[0]!.toLowerCase();
    if (!ownDomains.some((d) => host === d || host.endsWith(`.${d}`))) return { ok: false, rule: 'outside-link', match: match[0] };
  }
  return { ok: true };
}
