import type { Language } from '../shared/language.ts';
import { MORE_CUES } from './emotion-cues.ts';
import { EXTRA_CUES } from './emotion-cues-extra.ts';
import { withoutNegatedComplaints } from './without-negated-complaints.ts';

export interface Emotion {
  emotional: boolean;
  /** 0 calm … 1 furious; emotional from 0.5 up. */
  score: number;
}

type Cue = readonly [pattern: RegExp, weight: number];

/**
 * Cues by strength: threats and insults alone make a message emotional; frustration nearly so;
 * waiting, repetition and urgency only add up with other signs (a calm "明天能发吗" stays calm).
 */
const CUES: Record<Language, readonly Cue[]> = {
  zh: [
    // threats and escalation
    [
      /差评|投诉|12315|消协|消费者协会|工商局|找工商|曝光|报警|举报|法院|起诉|维权|平台介入|申请介入|小二介入|找平台|一星|退一赔三|假货|诈骗|骗钱/,
      0.6,
    ],
    // insults and contempt
    [
      /骗子|骗人|欺诈|坑人|坑爹|被坑|黑店|黑心|垃圾|无良|奸商|恶心|滚蛋|滚开|给我滚|你滚|^滚|去死|妈的|tm的|他妈|尼玛|你妹|卧槽|我操|操你|操蛋|\bsb\b|傻逼|智障|什么鬼|破衣服|破东西|什么破|耍人|耍我|忽悠|良心|缺德|不要脸|无耻|有病|脑子/i,
      0.6,
    ],
    // anger, despair, disbelief
    [
      /气死|急死|烦死|愁死|生气|愤怒|火大|恼火|太过分|过分了|受不了|忍不了|失望|无语|崩溃|心态崩|太差|差劲|烂透|凭什么|离谱|搞什么|服了|醉了|心累|闹心|欺负人|什么意思|开玩笑/,
      0.5,
    ],
    // waiting, repetition, being ignored, money gone
    [
      /问了.{0,3}(遍|次)|说了.{0,3}(遍|次)|多少遍|几遍了|给句话|给个说法|给我解释|什么态度|态度太差|没人管|没人理|不理人|没人回|不回复|不回消息|等了.{0,4}(天|周|小时|个月)|第.{1,2}天了|都.{1,2}天了|([4-9]|\d{2,}|[四五六七八九十]|十[一二三四五六七八九]|[二两三]十) ?天了(还|都|也)没|还没到账|扣了两次|扣两次|重复扣|根本没(收到|有)|没收到|退钱|钱呢/,
      0.3,
    ],
    [/到底|究竟/, 0.25],
    [/怎么还|还没|还不|又/, 0.15],
    // urgency
    [/急|着急|赶紧|马上|立刻|快点|快说|求求|求你|来不及|明天要|今晚要|婚礼|生日|出差|报销/, 0.2],
    [/[😡🤬😤💢😠]/u, 0.5],
    [/[😭😰😱]/u, 0.3],
  ],
  en: [
    [
      /\b(scam+(mer)?s?|fraud\w*|chargeback|charge ?back|dispute|paypal claim|lawyer|sue|police|report(ing)? (you|this|to)|consumer protection|bbb|rip ?off|ripped off|thie(f|ves)|stole|steal\w*|fakes?|counterfeit|liars?|lying|one star|1 star|bad review|negative review)\b/i,
      0.6,
    ],
    [
      /\b(fuck\w*|shit\w*|crap|wtf|damn|bullshit|idiots?|stupid|useless|pathetic|disgusting|worst|terrible|horrible|awful|ridiculous|unacceptable|junk|garbage|trash|incompetent|unbelievable|kidding me|(this is|it'?s|what) a joke|seriously\?)\b/i,
      0.5,
    ],
    [
      /\b(angry|furious|pissed|upset|fed up|sick of|disappointed|frustrat\w*|annoyed|outraged|losing my mind|worried|anxious|stressed|desperate|panick\w*|devastated)\b/i,
      0.5,
    ],
    [
      /\b(still (not|no|nothing|hasn'?t|haven'?t|hasnt|havent|waiting|processing)|been waiting|(two|three|\d+) weeks|(two|three|four|five|several|\d+) days (of )?(trying|waiting|chasing)|a month|asked (you )?(twice|three times|again|already|last week)|no one|nobody|ignoring|(wrong|broken?|late|delayed|lost|missing|failed|declined|cancell?ed|charged( me)?|nothing|waiting|same (thing|answer|excuse|story|problem)|happened|asking|writing|telling you|say it)( \w+)? again|again and again|yet again|once again|never (\w+ )?again|all over again|where is my (order|money|parcel|package|refund)|(?<!\b(do|can|will|would|could|should) (i|we) (get|have) )my money back|refund me|charged (me )?twice|took my money|disappeared|never (arrived|received|got))\b/i,
      0.3,
    ],
    [
      /\b(asap|urgent\w*|immediately|right now|today|tomorrow|tonight|hurry|wedding|birthday|party|graduation|need it by|deadline)\b/i,
      0.2,
    ],
    [/[😡🤬😤💢😠]/u, 0.5],
    [/[😭😰😱]/u, 0.3],
  ],
  es: [
    [
      /\b(estaf(a|as|ador\w*|aron|ando)|fraude|ladr[oó]n\w*|robo|robando|denunci\w*|abogad\w*|demanda\w*|polic[ií]a|profeco|ocu|consumo|reclamaci[oó]n formal|contracargo|falsificad\w*|falso|mentiros\w*|una estrella|1 estrella|mala (rese[ñn]a|calificaci[oó]n))\b/i,
      0.6,
    ],
    [
      /\b(mierda|basura|porquer[ií]a|pendej\w*|idiotas?|est[uú]pid\w*|in[uú]til\w*|verg[uü]enza|asco|p[eé]sim\w*|horrible|fatal|rid[ií]cul\w*|inaceptable|cabr[oó]n\w*|joder|puta|una broma|tomando el pelo|el colmo)\b/i,
      0.5,
    ],
    [
      /\b(enojad\w*|enfadad\w*|furios\w*|molest[oa]s?\b|hart[oa]s?|me hart[eé]|decepcionad\w*|indignad\w*|cansad[oa] de|volviendo loc[oa]|preocupad\w*|desesperad\w*|angustiad\w*|nervios\w*)\b/i,
      0.5,
    ],
    [
      /\b(todav[ií]a no|a[uú]n no|sigue sin|sigo esperando|llevo \w+ (d[ií]as|semanas|meses)|(dos|tres|cuatro|cinco|varios|varias|\d+) (d[ií]as|semanas|meses) (intentando|esperando|sin (respuesta|noticias|soluci[oó]n|saber nada))|hace \w+ (d[ií]as|semanas|meses)|nadie (responde|contesta)|ignor\w*|dejen de|otra vez|de nuevo|d[oó]nde est[aá] mi (pedido|dinero|plata|paquete|reembolso)|devu[eé]lvanme|quiero mi dinero|cobraron dos veces|desapareci[oó]|nunca lleg[oó])\b/i,
      0.3,
    ],
    [
      /\b(urgente|ya mismo|inmediatamente|ahora mismo|r[aá]pido|hoy|ma[ñn]ana|esta noche|boda|cumplea[ñn]os|cumple|fiesta|graduaci[oó]n)\b/i,
      0.2,
    ],
    [/[😡🤬😤💢😠]/u, 0.5],
    [/[😭😰😱]/u, 0.3],
  ],
};

/** The lexicon alone: strong cues decide. */
export function detectEmotion(text: string, language: Language): Emotion {
  const score = lexiconScore(text, language);
  return { emotional: score >= 0.5, score };
}

/** Thanks and praise: the models alone don't hand such a buyer to a person. */
const GRATEFUL: Record<Language, RegExp> = {
  zh: /谢谢|多谢|感谢|辛苦了|点赞|好评|给力|靠谱|太棒了|满意/,
  en: /\b(thanks?|thank you|thx|ty|appreciate[ds]?|grateful|great service|excellent|amazing|awesome|love (it|this|them))\b/i,
  es: /\b(gracias|agradec\w*|agradezco|excelente|genial|me encant\w*|buen[ií]simo|much[ií]simas gracias)\b/i,
};

/** A message of questions only: no sentence ends before its last question mark (an emoji may follow it). */
const ONLY_ASKS = /^[^.!。！…]*[?？]\s*(?:\p{Extended_Pictographic}\s*)*$/u;
const PLAIN_QUESTION_LANGUAGES: readonly Language[] = ['en', 'es'];

const MODEL_ALONE = 0.95;
const MODEL_WITH_A_CUE = 0.6;
/**
 * The logistic model's P(upset) from which it decides alone, and beside a weaker cue. Chosen on
 * corpora/heldout (upset lines, and routine questions that must stay with the bot, with the
 * messages read as complaints): 0.55 alone and 0.3 with a cue hand 97 / 94 / 88 % (zh / en / es)
 * of upset buyers to a person and 1.5 / 2.7 / 3.9 % of routine questions; 0.7 and 0.4 with the
 * model's weight decay at 1e-5 (nlpjs-classifier.ts), 97 / 91 / 87 % and 1.5 / 2.5 / 3.2 %.
 */
const UPSET_MODEL_ALONE = 0.55;
const UPSET_MODEL_WITH_A_CUE = 0.3;

/**
 * Lexicon and models together: a strong cue decides; otherwise the naive Bayes decides when it is
 * very sure, or fairly sure with a weaker cue (waiting, urgency, "!!") beside it; or the logistic
 * model (`upset`, better calibrated on plain-worded complaints) when it is fairly sure, or less
 * sure beside a weaker cue.
 */
export function detectEmotionWith(
  model: (text: string) => number,
  text: string,
  language: Language,
  upset?: (text: string) => number,
): Emotion {
  // Complaint words said not to hold ("no complaints") are read by neither the lexicon nor the models.
  const affirmed = withoutNegatedComplaints(text, language);
  const found = finder(affirmed, language);
  const lexicon = lexiconScore(text, language, found);
  const p = model(affirmed);
  // A buyer who thanks or praises is not handed off on the models' say alone (a happy "finally
  // arrived, thank you so much!" reads like a long complaint to them); a strong cue still decides.
  // A fragment ("and in red?") is too little to go on: there the models decide only beside a cue.
  const enough = isLongEnough(text, language);
  // A message of questions only, with no cue at all ("when will it be in stock again?") is asked,
  // not vented: the logistic model, which learnt complaint topics (refunds, stock, sizes) as upset,
  // does not hand it off alone. A statement before or after the question ("you charged me twice.
  // when do I get my money back?") leaves it to the model. Not in Chinese, where a rhetorical
  // question (什么叫缺货？) is how anger is put.
  const plainQuestion = lexicon === 0 && PLAIN_QUESTION_LANGUAGES.includes(language) && ONLY_ASKS.test(text);
  const models =
    !found(GRATEFUL[language]) &&
    ((enough && p >= MODEL_ALONE) ||
      (lexicon >= 0.25 && p >= MODEL_WITH_A_CUE) ||
      (upset !== undefined && !plainQuestion && upsetModelSays(upset(affirmed), enough, lexicon)));
  const emotional = lexicon >= 0.5 || models;
  const score = Math.round(Math.max(lexicon, p * 0.9) * 100) / 100;
  return { emotional, score: emotional ? Math.max(score, 0.5) : Math.min(score, 0.49) };
}

function upsetModelSays(p: number, enough: boolean, lexicon: number): boolean {
  return (enough && p >= UPSET_MODEL_ALONE) || (lexicon >= 0.25 && p >= UPSET_MODEL_WITH_A_CUE);
}

/** Four words or more (six Chinese characters): enough text for the models to read a mood from. */
function isLongEnough(text: string, language: Language): boolean {
  if (language === 'zh') return (text.match(/[\u4e00-\u9fff]/g)?.length ?? 0) >= 6;
  return (text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= 4;
}

/**
 * Whether a pattern matches the text; in Spanish, the text without its accents. `\b` ends at an
 * accented letter (it knows ASCII letters only), so "me harté" and "nunca llegó" never met
 * `me hart[eé]\b`; the same words typed without accents always did.
 */
function finder(affirmed: string, language: Language): (pattern: RegExp) => boolean {
  // Every Spanish cue writes an accented letter as a class with its plain one ([oó], [ñn]), so
  // the text without accents alone is enough.
  const read = language === 'es' ? affirmed.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : affirmed;
  return (pattern) => pattern.test(read);
}

/** Our own lexicon and rules: NLP.js has no Chinese sentiment and misreads complaints in en/es. */
function lexiconScore(
  text: string,
  language: Language,
  found = finder(withoutNegatedComplaints(text, language), language),
): number {
  let score = 0;
  for (const [pattern, weight] of CUES[language]) if (found(pattern)) score += weight;
  for (const [patterns, weight] of [...MORE_CUES[language], ...EXTRA_CUES[language]])
    if (patterns.some(found)) score += weight;
  score += punctuationScore(text) + shoutingScore(text) + repetitionScore(text);
  return Math.min(1, Math.round(score * 100) / 100);
}

function punctuationScore(text: string): number {
  const exclamations = text.match(/[!！]/g)?.length ?? 0;
  let score = exclamations >= 3 ? 0.25 : exclamations === 2 ? 0.15 : 0;
  if (/[?？]{2,}|[?？][!！]|[!！][?？]/.test(text)) score += 0.15;
  return score;
}

/** Whole messages in capitals, or two capitalised words in a row ("I WANT A HUMAN"). */
function shoutingScore(text: string): number {
  const letters = text.match(/[A-Za-zÑÁÉÍÓÚ]/g) ?? [];
  const upper = text.match(/[A-ZÑÁÉÍÓÚ]/g) ?? [];
  if (letters.length >= 12 && upper.length / letters.length > 0.7) return 0.35;
  if (/(?<![A-ZÑÁÉÍÓÚ])[A-ZÑÁÉÍÓÚ]{3,}\s+[A-ZÑÁÉÍÓÚ]{2,}\b/.test(text)) return 0.3;
  return 0;
}

/** The same word three times ("cancel cancel cancel", "退货退货退货"). */
function repetitionScore(text: string): number {
  if (/\b(\w{3,})\b[\s,!.]+\1\b[\s,!.]+\1\b/i.test(text)) return 0.3;
  if (/([\u4e00-\u9fff]{2})\1\1/.test(text)) return 0.3;
  return 0;
}
