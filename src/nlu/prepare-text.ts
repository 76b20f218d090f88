import type { Language } from '../shared/language.ts';
import { withoutNegatedComplaints } from './without-negated-complaints.ts';

/**
 * What the intent models read of a buyer's message: the question, without what surrounds it.
 *
 * - Links are taken out: a product link says which item, not what is asked (gather-facts and the
 *   channel's productId carry the item).
 * - Sticker and emoji placeholders ("[微笑]", "[捂脸]") and anonymised fields ("[数字x]",
 *   "[ 金额 x ]") become what they stand for: nothing, or a number.
 * - Messages run together with a separator ("!@@@!", "|||") are read as sentences.
 * - Spaces between Chinese characters ("亲 在 吗") are closed up.
 * - A greeting or a call to the shop before the question ("你好，我想问下…", "hola, ¿tienen…?"),
 *   and a thanks after it ("…? thanks"), are taken off, so the question decides. What is left must still
 *   say something; "你好" alone stays "你好".
 */
export function prepareForIntent(text: string, language: Language): string {
  let t = text
    .replace(LINK, ' ')
    .replace(/\[\s?(?:数字|金额|价格|时间|日期)\s?x\s?\]/g, ' 1 ')
    .replace(/\[[^\]\n]{0,12}\]/g, ' ')
    .replace(/!@@@!|\|\|\|/g, '。')
    .replace(/(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])/g, '');
  t = collapseSpaces(t);
  // A sticker alone ("[抱拳]") is read as it is.
  if (!/[\p{L}\p{N}]/u.test(t)) return text;
  t = stripCourtesies(t, language) || t;
  // "no complaints, love it" is no complaint; what is left must still say something.
  const affirmed = collapseSpaces(withoutNegatedComplaints(t, language, true));
  return /[\p{L}\p{N}]/u.test(affirmed) ? affirmed : t;
}

const collapseSpaces = (text: string) => text.replace(/ {2,}/g, ' ').trim();

const LINK = /\bhttps?:\/\/\S{1,400}|\bwww\.\S{1,400}/gi;

export function withoutLinks(text: string): string {
  return text.replace(LINK, ' ');
}

/** True for a link alone, or a link with stickers: the buyer shows an item and asks nothing yet. */
export function isOnlyDecoration(text: string): boolean {
  const rest = withoutLinks(text);
  return rest !== text && !/[\p{L}\p{N}]/u.test(rest.replace(/\[[^\]\n]{0,12}\]/g, ''));
}

// Each run of courtesies is matched from the start (or, reversed, the end) of the message, one
// word at a time, with what may separate them: linear, and never more than the words there are.
const ZH_OPENERS = [
  '你好呀',
  '你好啊',
  '你好',
  '您好',
  '哈喽',
  '嗨',
  'hi',
  'hello',
  '亲爱的',
  '亲亲',
  '亲',
  '在吗',
  '在么',
  '在嘛',
  '在不在',
  '在不',
  '在伐',
  '在马',
  '在木',
  '在的吗',
  '老板娘',
  '老板',
  '掌柜的',
  '掌柜',
  '店家',
  '美女',
  '小姐姐',
  '小哥哥',
  '请问一下',
  '请问下',
  '请问',
  '我想问一下',
  '我想问下',
  // 在 for 再 is a common slip ("我想在问一下")
  '我想再问一下',
  '我想在问一下',
  '再问一下',
  '在问一下',
  '我想咨询一下',
  '咨询一下',
  '请教一下',
  '我想了解一下',
  '想了解一下',
  '想问一下',
  '想问下',
  '问一下',
  '问下',
  '打扰一下',
  '打扰了',
  '早上好',
  '上午好',
  '下午好',
  '晚上好',
];
const ZH_CLOSERS = [
  '谢谢亲',
  '谢谢啦',
  '谢谢了',
  '谢谢',
  '多谢',
  '感谢',
  '麻烦了',
  '麻烦你了',
  '辛苦了',
  '哈',
];
const ZH_CALLS = ['人在吗', '在吗', '在么', '在嘛', '在不在', '在不'];
const EN_OPENERS = [
  'hi there',
  'hello there',
  'hey there',
  'good morning',
  'good afternoon',
  'good evening',
  'hi',
  'hello',
  'hey',
  'hiya',
  'dear',
  'team',
  'sir',
  'madam',
  'maam',
  "ma'am",
  'admin',
  'excuse me',
  'quick question',
  'all',
  'everyone',
  'guys',
  'folks',
  'bro',
  'sis',
  'mam',
  'maam',
  'sir/mam',
  'sir/maam',
];
const EN_CLOSERS = [
  'thanks in advance',
  'thank you so much',
  'thank you',
  'thanks a lot',
  'thanks',
  'thx',
  'ty',
  'please',
  'pls',
  'plz',
  'regards',
  'cheers',
];
const ES_OPENERS = [
  'buenos dias',
  'buenos días',
  'buenas tardes',
  'buenas noches',
  'buen dia',
  'buen día',
  'buenas',
  'hola',
  'holaa',
  'holi',
  'oye',
  'oiga',
  'disculpa',
  'disculpe',
  'perdon',
  'perdón',
  'una pregunta',
  'una consulta',
  'consulta',
  'pregunta',
  'saludos',
  'amigo',
  'amiga',
  'che',
  'chicos',
  'equipo',
  'señor',
  'señora',
  'señorita',
];
const ES_CLOSERS = [
  'muchas gracias',
  'mil gracias',
  'gracias',
  'saludos',
  'por favor',
  'porfa',
  'porfavor',
  'x favor',
  'xfa',
  'un saludo',
  'bendiciones',
];

const SEPARATORS = /^[\s,，.。!！?？~～:：;；、…\-—@]+/u;

function stripCourtesies(text: string, language: Language): string {
  const [openers, closers] =
    language === 'zh'
      ? [ZH_OPENERS, ZH_CLOSERS]
      : language === 'en'
        ? [EN_OPENERS, EN_CLOSERS]
        : [ES_OPENERS, ES_CLOSERS];
  let t = dropHandles(text);
  t = dropFromStart(t, openers, language !== 'zh');
  // A thanks after a question goes; a thanks after a statement ("arrived today, thank you!") is the message.
  if (/[?？]/.test(t)) t = dropFromEnd(t, closers, language !== 'zh');
  // A call after the question ("…买10斤人在吗") asks nothing more; "还在吗" asks whether a thing still is.
  if (language === 'zh') {
    const uncalled = dropFromEnd(t, ZH_CALLS, false);
    if (!uncalled.endsWith('还')) t = uncalled;
  }
  t = t.trim();
  return /[\p{L}\p{N}]/u.test(t) && meaningful(t, language) ? t : '';
}

/** Enough left to be a question of its own: two Chinese characters, or two words (one word alone is read with what came before it). */
function meaningful(text: string, language: Language): boolean {
  if (language === 'zh')
    return (text.match(/[\u3400-\u9fff]/g)?.length ?? 0) >= 2 || /[a-z]{3,}|\d/i.test(text);
  return (text.match(/[\p{L}\d]+/gu)?.length ?? 0) >= 2;
}

const END_PUNCTUATION = new Set([...' \t\n,，.。!！?？~～:：;；、…']);

/** The text without the spaces and punctuation it ends with (a loop: a regex anchored at the end is quadratic on a long run). */
function trimEndPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && END_PUNCTUATION.has(text.charAt(end - 1))) end -= 1;
  return text.slice(0, end);
}

/** "@shop hola" → "hola": a tweet's addressee says nothing about the question. */
function dropHandles(text: string): string {
  return text.replace(/(^|\s)@\w{1,30}/g, '$1').trim();
}

function dropFromStart(text: string, words: readonly string[], latin: boolean): string {
  let t = text;
  for (let guard = 0; guard < 6; guard++) {
    const lower = t.toLowerCase();
    const word = words.find(
      (w) => lower.startsWith(w) && (!latin || !/[\p{L}\p{N}]/u.test(lower.charAt(w.length))),
    );
    if (!word) break;
    t = t.slice(word.length).replace(SEPARATORS, '');
  }
  return t;
}

function dropFromEnd(text: string, words: readonly string[], latin: boolean): string {
  let t = text;
  for (let guard = 0; guard < 4; guard++) {
    const trimmed = trimEndPunctuation(t);
    const lower = trimmed.toLowerCase();
    const word = words.find(
      (w) =>
        lower.endsWith(w) && (!latin || !/[\p{L}\p{N}]/u.test(lower.charAt(lower.length - w.length - 1))),
    );
    if (!word) return t;
    t = trimmed.slice(0, trimmed.length - word.length);
  }
  return t;
}
