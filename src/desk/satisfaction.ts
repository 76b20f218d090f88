/** How long after the satisfaction question a buyer's reply is still read as the answer to it. */
export const SATISFACTION_ANSWER_MS = 24 * 3600_000;

/** Longer than this (after trimming) is a message, not a score: it is answered as one. */
const MAX_SCORE_LENGTH = 40;

/**
 * Words that score, tried in order: the first that matches wins, so "非常不满意" is read before
 * "不满意" before "满意", and "not satisfied" before "satisfied". Taobao's scale: 非常满意 5,
 * 满意 4, 一般 3, 不满意 2, 非常不满意 1; English and Spanish follow the same steps.
 */
const WORDS: readonly [RegExp, number][] = [
  [/非常不满意|很不满意|特别不满意|极差|太差|差劲|垃圾/, 1],
  [
    /\b(?:very|really|totally|extremely) (?:dis|un)satisfied\b|\b(?:terrible|awful|horrible|useless)\b|\bvery (?:bad|poor)\b/,
    1,
  ],
  [
    /\bmuy (?:mal[oa]?|insatisfech[oa])\b|\bnada satisfech[oa]\b|p[ée]sim[oa]|\b(?:fatal|horrible|terrible)\b/,
    1,
  ],
  [/不满意|不太满意|不怎么样|不好|不行|差评|很差/, 2],
  [
    /\b(?:dis|un)satisfied\b|\bnot (?:very )?(?:satisfied|happy|good|great)\b|\b(?:bad|poor|unhappy|disappointed)\b/,
    2,
  ],
  [
    /\binsatisfech[oa]\b|\bno (?:muy )?(?:satisfech[oa]|bien|buen[oa]|content[oa])\b|\bmal[oa]?\b|\bdecepcionad[oa]\b/,
    2,
  ],
  [/一般|还行|还可以|凑合|马马虎虎|中评/, 3],
  [/\b(?:average|so-so|neutral|meh|could be better)\b/, 3],
  [/\b(?:regular|normal|aceptable|m[aá]s o menos)\b/, 3],
  [/非常满意|很满意|特别满意|超级满意|十分满意|太棒|完美|超赞|五星好评/, 5],
  [
    /\b(?:very|really|totally|extremely) (?:satisfied|happy|good)\b|\b(?:excellent|great|perfect|amazing|awesome|fantastic|outstanding)\b/,
    5,
  ],
  [
    /\bmuy (?:bien|buen[oa]|satisfech[oa]|content[oa])\b|\b(?:excelente|perfecto|genial|estupendo|maravillos[oa]|encantad[oa])\b/,
    5,
  ],
  [/满意|挺好|不错|好评|很好|很棒|挺满意/, 4],
  [/\b(?:satisfied|good|happy|pleased|nice)\b/, 4],
  [/\b(?:bien|buen[oa]|satisfech[oa]|content[oa])\b/, 4],
];

/** A question, however short ("一般几天到", "when does it ship"), is answered, not scored. */
const ASKS =
  /[?？¿]|[吗呢几哪]|多少|多久|怎么|什么|为啥|为什么|^(?:how|when|where|what|why|which|can|could|do|does|is|are|will)\b|\b(?:cuándo|cómo|dónde|qué|cuánto|cuál)/;

/** What may stand beside a score phrase: thanks, fillers, punctuation, emoji, a polite particle. */
const FILLER =
  /谢谢你?们?|谢了|感谢|多谢|给|打|哈+|呵+|[吧啊呀哦喔噢嗯哈啦了的呢]|\b(?:thanks?|thank you|thx|ty|very much|so much|overall|gracias|muchas|todo|un|una|score|nota)\b|[\s\p{P}\p{S}\p{Emoji_Presentation}]/giu;

/** Whether `phrase` is all the message says, once thanks, fillers and punctuation are set aside. */
function isOnly(message: string, phrase: string): boolean {
  const at = message.indexOf(phrase);
  const rest = message.slice(0, at) + ' ' + message.slice(at + phrase.length);
  return rest.replace(FILLER, '').length === 0;
}

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/**
 * The 1–5 score in a buyer's answer to the satisfaction question ("5", "4分", "⭐⭐⭐", "五星",
 * "满意", "一般", "not satisfied", "muy bien"), or undefined when the message is something else:
 * a question, a longer message, a number out of range. Read in zh, en and es alike.
 */
export function readSatisfaction(text: string): number | undefined {
  const plain = text.normalize('NFKC').trim().toLowerCase();
  if (plain.length === 0 || plain.length > MAX_SCORE_LENGTH || ASKS.test(plain)) return undefined;
  if (/不好意思/.test(plain)) return undefined;
  const stars = /(?:⭐|★)+/u.exec(plain);
  if (stars) {
    const count = [...stars[0]].length;
    return count <= 5 && isOnly(plain, stars[0]) ? count : undefined;
  }
  const outOfFive = /([1-5])\s*\/\s*5(?!\d)/.exec(plain);
  if (outOfFive && isOnly(plain, outOfFive[0])) return Number(outOfFive[1]);
  // A number alone, with at most its unit and a thanks ("5", "给5分", "4 stars", "un 5, gracias"):
  // a number inside a longer message ("order 3 hasn't come") is a message.
  const digits = plain.match(/\d+/g);
  if (digits) {
    if (digits.length !== 1) return undefined;
    const scored = /([1-5])(?:\s?(?:分|颗星|星|stars?|points?|puntos?|estrellas?))?/.exec(plain);
    return scored && scored[1] === digits[0] && isOnly(plain, scored[0]) ? Number(scored[1]) : undefined;
  }
  const chinese = /^(?:给|打)?\s*([一二两三四五])\s*(?:分|星|颗星)/.exec(plain);
  if (chinese && isOnly(plain, chinese[0])) return CHINESE_DIGITS[chinese[1]!];
  for (const [pattern, score] of WORDS) {
    const found = pattern.exec(plain);
    // The score phrase must be the message (with a thanks or a filler at most): "不错，再买一件" is an order.
    if (found && isOnly(plain, found[0])) return score;
  }
  return undefined;
}
