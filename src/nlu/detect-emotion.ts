import type { Language } from '../catalog/product-schema.ts';

export interface Emotion {
  emotional: boolean;
  /** 0 calm … 1 furious; emotional from 0.5 up. */
  score: number;
}

type Cue = readonly [pattern: RegExp, weight: number];

/** Strong cues alone make a message emotional (threats, insults); weaker ones add up. */
const CUES: Record<Language, readonly Cue[]> = {
  zh: [
    [/差评|投诉|12315|消协|工商局|找工商|曝光|报警|举报|法院|起诉|维权/, 0.6],
    [/骗子|骗人|欺诈|坑人|黑店|垃圾|坑爹|无良|奸商|恶心|滚蛋|滚开|给我滚|你滚|^滚|去死|妈的|tm的|他妈|我操|操你|操蛋|\bsb\b|傻逼|智障/i, 0.6],
    [/气死|生气|愤怒|火大|太过分|过分了|受不了|忍不了|失望透顶|无语|崩溃|心态崩|太差|差劲|烂透|什么破/, 0.5],
    [/退钱|给个说法|给我解释|什么态度|态度太差|没人管|没人理|不理人|等了.{0,4}(天|小时)|到底|究竟/, 0.3],
    [/急|着急|赶紧|马上|快点|怎么还|还没|还不|又/, 0.15],
    [/[😡🤬😤💢😠😭]/u, 0.3],
  ],
  en: [
    [/\b(scam+(mer)?s?|fraud|chargeback|charge ?back|dispute|lawyer|sue|police|report (you|this)|bbb|rip ?off|ripped off|thie(f|ves)|stole)\b/i, 0.6],
    [/\b(fuck\w*|shit\w*|crap|wtf|damn|bullshit|idiots?|stupid|useless|pathetic|disgusting|worst|terrible|horrible|awful|ridiculous|unacceptable)\b/i, 0.5],
    [/\b(angry|furious|pissed|upset|fed up|sick of|disappointed|frustrat\w*|annoyed|outraged)\b/i, 0.5],
    [/\b(still (not|no|hasn'?t|haven'?t)|been waiting|no one (answers|replies|responds)|nobody|where the hell|refund me|my money back)\b/i, 0.3],
    [/\b(asap|urgent|immediately|right now|hurry)\b/i, 0.15],
    [/[😡🤬😤💢😠]/u, 0.3],
  ],
  es: [
    [/\b(estafa\w*|estafador\w*|fraude|ladr[oó]n\w*|robo|denunci\w*|abogado|demanda\w*|polic[ií]a|profeco|consumo|reclamaci[oó]n formal)\b/i, 0.6],
    [/\b(mierda|basura|porquer[ií]a|pendej\w*|idiotas?|est[uú]pid\w*|in[uú]til\w*|verg[uü]enza|asco|p[eé]sim\w*|horrible|fatal|rid[ií]cul\w*|inaceptable|cabr[oó]n\w*|joder|puta)\b/i, 0.5],
    [/\b(enojad\w*|enfadad\w*|furios\w*|molest[oa]s?\b|harta?o?|decepcionad\w*|indignad\w*|cansad[oa] de)\b/i, 0.5],
    [/\b(todav[ií]a no|a[uú]n no|sigo esperando|nadie (responde|contesta)|devu[eé]lvanme|quiero mi dinero)\b/i, 0.3],
    [/\b(urgente|ya mismo|inmediatamente|ahora mismo|r[aá]pido)\b/i, 0.15],
    [/[😡🤬😤💢😠]/u, 0.3],
  ],
};

/** Our own lexicon and rules: NLP.js has no Chinese sentiment and misreads complaints in en/es. */
export function detectEmotion(text: string, language: Language): Emotion {
  let score = 0;
  for (const [pattern, weight] of CUES[language]) if (pattern.test(text)) score += weight;
  const exclamations = text.match(/[!！]/g)?.length ?? 0;
  if (exclamations >= 3) score += 0.25;
  else if (exclamations === 2) score += 0.1;
  if (/[?？]{3,}/.test(text)) score += 0.15;
  const letters = text.match(/[A-Za-zÑÁÉÍÓÚ]/g) ?? [];
  const upper = text.match(/[A-ZÑÁÉÍÓÚ]/g) ?? [];
  if (letters.length >= 12 && upper.length / letters.length > 0.7) score += 0.3;
  score = Math.min(1, Math.round(score * 100) / 100);
  return { emotional: score >= 0.5, score };
}
