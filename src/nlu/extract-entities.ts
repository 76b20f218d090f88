import type { Language } from '../shared/language.ts';
import { standsAlone, type PhraseIndex } from '../shared/phrase-index.ts';
import { parseChineseNumber } from './chinese-number.ts';

export interface Entities {
  heightCm?: number;
  weightKg?: number;
  size?: string;
  color?: string;
  orderId?: string;
  quantity?: number;
  region?: string;
  /** A country or region beyond the mainland ("ship to Spain?"): an ISO code, or the shop's own destination key. */
  country?: string;
  invoiceTitle?: string;
  taxId?: string;
  /** A discount the buyer asks for, in money or percent off. */
  discountAmount?: number;
  discountPercent?: number;
}

export interface EntityVocabulary {
  /** Colour words in any language, each mapped to the catalog's zh name. */
  colors: ReadonlyMap<string, string>;
  regions: readonly string[];
  /** Words for countries and the shop's destinations, to their key. */
  places?: PhraseIndex<string>;
}

/** Height and weight alone, of a message's entities or of what a conversation remembers. */
export function measuresOf(
  m: Pick<Entities, 'heightCm' | 'weightKg'>,
): Pick<Entities, 'heightCm' | 'weightKg'> {
  return {
    ...(m.heightCm !== undefined ? { heightCm: m.heightCm } : {}),
    ...(m.weightKg !== undefined ? { weightKg: m.weightKg } : {}),
  };
}

const num = (s: string) => Number(s.replace(',', '.'));

/**
 * Height, weight (1 斤 = 0.5 kg), size, colour, order id, quantity and region from one message, as
 * sanitizeText leaves it: the patterns allow one space where people put some.
 */
export function extractEntities(text: string, language: Language, vocabulary: EntityVocabulary): Entities {
  const original = text.normalize('NFKC');
  const t = original.toLowerCase();
  const entities: Entities = {};
  const found = findHeight(t);
  const height = found?.value;
  if (height !== undefined) entities.heightCm = height;
  // The height's own digits ("1米65") must not be read again as a weight.
  const rest = found ? t.slice(0, found.start) + ' '.repeat(found.end - found.start) + t.slice(found.end) : t;
  const weight = findWeight(rest, language, height);
  if (weight !== undefined) entities.weightKg = weight;
  const size = findSize(original);
  if (size) entities.size = size;
  const color = findColor(t, vocabulary.colors);
  if (color) entities.color = color;
  const orderId = original.match(
    /(?:(?:订单号?|单号)是?|order ?(?:no\.?|number|id|#)?(?: is)?|pedido ?(?:n[°ºo.]?|número|numero|#)?(?: es)?) ?[:：#]? ?([A-Za-z0-9-]{4,40})/i,
  );
  if (orderId?.[1] && /\d/.test(orderId[1])) entities.orderId = orderId[1];
  const quantity = findQuantity(t);
  if (quantity !== undefined) entities.quantity = quantity;
  const region = vocabulary.regions.find((r) => t.includes(r.toLowerCase()));
  if (region) entities.region = region;
  const country = vocabulary.places?.first(t);
  if (country) entities.country = country;
  Object.assign(entities, findInvoiceDetails(original), findDiscount(t));
  return entities;
}

interface Found {
  value: number;
  start: number;
  end: number;
}

function found(match: RegExpMatchArray | null, value: number | undefined): Found | undefined {
  if (!match || value === undefined || match.index === undefined) return undefined;
  return { value, start: match.index, end: match.index + match[0].length };
}

function findHeight(t: string): Found | undefined {
  // One digit of its own, not a plural: the 4' of "34's" (a waist) and "6's" (a shoe size) are no height.
  const feet = t.match(
    /(?<![\d.])(\d) ?(?:['’](?!s\b)|ft\b|feet\b|foot\b|pies\b) ?(\d{1,2})? ?(?:"|”|in\b|inch\b|inches\b|pulgadas\b)?/,
  );
  if (feet?.[1] && Number(feet[1]) >= 4 && Number(feet[1]) <= 7) {
    return found(feet, Math.round(Number(feet[1]) * 30.48 + Number(feet[2] ?? 0) * 2.54));
  }
  const meters = t.match(
    /(?<![\d.])1 ?(?:[.,]|米|m(?:etro)?s?(?: con)?) ?(\d{1,2})(?!\d| ?(?:kg|公斤|斤|千克|kilo))/,
  );
  if (meters?.[1])
    return found(meters, 100 + (meters[1].length === 1 ? Number(meters[1]) * 10 : Number(meters[1])));
  const zh = t.match(/一米([零〇一幺二两三四五六七八九十百]+)/);
  if (zh?.[1]) {
    const parsed = parseChineseNumber(zh[1]);
    if (parsed !== undefined) return found(zh, 100 + (zh[1].length === 1 ? parsed * 10 : parsed));
  }
  const labelled = t.match(/(?:身高|高|height|tall|mido|estatura|altura)\D{0,6}(\d{3})(?:\.\d)?/);
  if (labelled?.[1]) return found(labelled, inRange(Number(labelled[1]), 120, 220));
  const cm = t.match(/(\d{3})(?:\.\d)? ?(?:cm|厘米|公分|centimetros|centímetros)/);
  if (cm?.[1]) return found(cm, inRange(Number(cm[1]), 120, 220));
  for (const m of t.matchAll(
    /(?<![\d.])(\d{3})(?![\d.]| ?(?:斤|kg|公斤|千克|kilos?|lbs?|pounds|libras|元|块|¥|yuan))/g,
  )) {
    const h = found(m, inRange(Number(m[1]), 135, 210));
    if (h) return h;
  }
  return undefined;
}

function findWeight(t: string, language: Language, heightCm: number | undefined): number | undefined {
  const jin = t.match(/(\d{2,3}(?:\.\d)?) ?斤/);
  if (jin?.[1]) return num(jin[1]) / 2;
  const zhJin = t.match(/(?<![零〇一幺二两三四五六七八九十百])([零〇一幺二两三四五六七八九十百]+)斤/);
  if (zhJin?.[1]) {
    const v = parseChineseNumber(zhJin[1]);
    if (v !== undefined) return v / 2;
  }
  const kg = t.match(/(\d{2,3}(?:[.,]\d)?) ?(?:kg|kgs|公斤|千克|kilos?|kilogramos?)/);
  if (kg?.[1]) return num(kg[1]);
  const lbs = t.match(/(\d{2,3}) ?(?:lbs?|pounds|libras)/);
  if (lbs?.[1]) return Math.round(Number(lbs[1]) * 0.4536 * 10) / 10;
  const labelled = t.match(/(?:体重|重|weigh[st]?|weight|peso)\D{0,6}(\d{2,3}(?:\.\d)?)/);
  const bare = labelled?.[1] ?? bareWeight(t, heightCm);
  if (bare === undefined) return undefined;
  const value = num(bare);
  // Chinese buyers give weight in 斤 when they leave out the unit and the number is large
  if (language === 'zh' && value >= 90) return value / 2;
  return inRange(value, 25, 200);
}

function bareWeight(t: string, heightCm: number | undefined): string | undefined {
  if (heightCm === undefined) return undefined;
  for (const m of t.matchAll(/(?<![\d.])(\d{2,3}(?:\.\d)?)(?![\d.]| ?(?:cm|厘米|公分|码|元|块|yuan|号))/g)) {
    const value = Number(m[1]);
    if (value !== heightCm && value >= 30 && value <= 300) return m[1];
  }
  return undefined;
}

function findSize(text: string): string | undefined {
  // No Latin letter around it, accented ones too: the M of "México" is no size.
  const letter = text.match(
    /(?<![A-Za-zÀ-ɏ])(XXXL|XXL|XL|XS|[2-4]XL|S|M|L)(?![A-Za-zÀ-ɏ])(?: ?(?:码|号|size|talla))?/,
  );
  if (
    letter?.[1] &&
    (letter[1].length > 1 ||
      /码|号|size|talla|大小|尺码|[?？呢吗]|^ ?[SML] ?$/i.test(text) ||
      /(?:穿|要|拿|选|get|order|take|talla|size) ?[SML]\b/i.test(text))
  ) {
    return letter[1].toUpperCase();
  }
  const numeric = text.match(/(?:^|[^\d])(2[4-9]|3[0-8]) ?(?:码|号)|(?:size|talla) ?(2[4-9]|3[0-8])(?!\d)/i);
  const value = numeric?.[1] ?? numeric?.[2];
  return value;
}

function findColor(t: string, colors: ReadonlyMap<string, string>): string | undefined {
  let best: string | undefined;
  let bestLength = 0;
  for (const [word, canonical] of colors) {
    if (word.length > bestLength && containsWord(t, word)) {
      best = canonical;
      bestLength = word.length;
    }
  }
  return best;
}

/**
 * Whether the text holds the word: Chinese anywhere (it has no spaces), a Latin word only whole or
 * in the plural ("negras", "azules"), not inside another Latin word ("red" in "ordered", "oro" in
 * "moro"); beside Chinese it stands alone ("有pink的吗").
 */
function containsWord(t: string, word: string): boolean {
  for (let at = t.indexOf(word); at >= 0; at = t.indexOf(word, at + 1)) {
    const end = at + word.length;
    if (standsAlone(t, at, word, LATIN_LETTER)) return true;
    if (t.startsWith('s', end) && standsAlone(t, at, `${word}s`, LATIN_LETTER)) return true;
    // The Spanish plural of a word ending in a consonant ("azul" → "azules"); "redes" is no "red".
    if (/[lnrsz]$/.test(word) && t.startsWith('es', end) && standsAlone(t, at, `${word}es`, LATIN_LETTER))
      return true;
  }
  return false;
}

const LATIN_LETTER = /\p{Script=Latin}/u;

function findQuantity(t: string): number | undefined {
  const m = t.match(/(\d{1,3}) ?(?:件|个|条|套|pcs|pieces|units|unidades|piezas)/);
  if (m?.[1]) return Number(m[1]);
  const zh = t.match(/([一二两三四五六七八九十]) ?(?:件|个|条|套)/);
  return zh?.[1] ? parseChineseNumber(zh[1]) : undefined;
}

function inRange(value: number, lo: number, hi: number): number | undefined {
  return value >= lo && value <= hi ? value : undefined;
}

/** 发票抬头 and 税号 (unified social credit code, 15–20 characters), or a company name and tax id. */
function findInvoiceDetails(text: string): Pick<Entities, 'invoiceTitle' | 'taxId'> {
  const out: Pick<Entities, 'invoiceTitle' | 'taxId'> = {};
  const taxId =
    text.match(
      /(?:税号|纳税人识别号|信用代码|tax ?id|vat|nif|cif|rfc|cuit|ruc) ?(?:是|为|is|es)? ?[:：]? ?([A-Za-z0-9]{8,20})/i,
    ) ?? text.match(/\b([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10})\b/);
  if (taxId?.[1]) out.taxId = taxId[1].toUpperCase();
  // The title is echoed back to the buyer: only what a company name is made of, and no insults.
  const candidate = findTitle(text);
  if (
    candidate &&
    /^[\p{Script=Han}A-Za-z0-9 ()（）&.,'·-]{2,40}$/u.test(candidate) &&
    !/骗|垃圾|黑店|傻|狗|死|滚|scam|fraud|fake|shit|fuck|estaf|mierda/i.test(candidate)
  )
    out.invoiceTitle = candidate;
  else if (/抬头 ?(?:是|为|写|开)? ?[:：]? ?个人/.test(text)) out.invoiceTitle = '个人';
  return out;
}

const TITLE_LABEL =
  /(?:抬头|发票抬头|公司名称?|title|raz[oó]n social|company(?: name)?) ?(?:是|为|改成|改为|换成|写成|应该是|is|es)? ?[:：]? ?/gi;
/** Anchored, and tried on at most TITLE_WINDOW characters after each label: the lazy run can't be pumped. */
const TITLE =
  /^([^\s,，;；][^,，;；\n]{1,59}?(?:公司|集团|工作室|中心|店|厂|Ltd\.?|LLC|Inc\.?|S\.?L\.?|S\.?A\.?(?: de C\.?V\.?)?|GmbH|个人))(?=$|[\s,，;；。])/i;
/** The longest title TITLE takes (60 characters and "S.A. de C.V.") and the character after it. */
const TITLE_WINDOW = 80;

function findTitle(text: string): string | undefined {
  for (const label of text.matchAll(TITLE_LABEL)) {
    const from = label.index + label[0].length;
    const title = text
      .slice(from, from + TITLE_WINDOW)
      .match(TITLE)?.[1]
      ?.trim();
    if (title) return title;
  }
  return undefined;
}

/** "便宜50", "少30块", "打8折", "20 off", "15% discount", "10 euros menos", "20% de descuento". */
function findDiscount(t: string): Pick<Entities, 'discountAmount' | 'discountPercent'> {
  const fold = (n: string) => Number(n);
  const percent =
    t.match(/(\d{1,2}) ?% ?(?:off|discount|de descuento|descuento|menos)?/) ??
    t.match(/(?:discount|descuento) ?(?:of|de) ?(\d{1,2}) ?%/);
  if (percent?.[1] && /off|discount|descuento|menos|便宜|优惠|%/.test(t))
    return { discountPercent: fold(percent[1]) };
  const zhe = t.match(/打 ?([1-9](?:\.\d)?) ?折/);
  if (zhe?.[1]) return { discountPercent: Math.round(100 - Number(zhe[1]) * 10) };
  const zh = t.match(
    /(?:便宜|少|减|优惠|让|抹|降)(?:了|点|个)? ?(\d{1,5}(?:\.\d{1,4})?) ?(?:块|元|¥|rmb|米)?/,
  );
  if (zh?.[1]) return { discountAmount: fold(zh[1]) };
  const en =
    t.match(
      /(?:[$€¥] ?)?(\d{1,5}) ?(?:dollars?|bucks|yuan|rmb|usd|eur|euros?|pesos|yuanes|d[oó]lares)? ?(?:off|discount|cheaper|less|menos|de descuento|m[aá]s barato)/,
    ) ?? t.match(/(?:discount|descuento|rebaja) ?(?:of|de) ?[$€¥]? ?(\d{1,5})/);
  if (en?.[1]) return { discountAmount: fold(en[1]) };
  return {};
}
