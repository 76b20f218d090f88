import type { Language } from '../shared/language.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/g;
const SPANISH_CHARS = /[ñ¿¡áéíóú]/i;

export type LanguageDetector = (text: string, previous?: Language) => Language;

interface Model {
  counts: Map<string, number>;
  total: number;
}

/** Words and character trigrams of a text, the features of the en/es model. */
function features(text: string): string[] {
  const out: string[] = [];
  for (const word of text
    .toLowerCase()
    .normalize('NFC')
    .split(/[^a-zñáéíóúü']+/)) {
    if (!word) continue;
    out.push(`w:${word}`);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(`c:${padded.slice(i, i + 3)}`);
  }
  return out;
}

function train(texts: readonly string[]): Model {
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of texts) {
    for (const f of features(text)) {
      counts.set(f, (counts.get(f) ?? 0) + 1);
      total += 1;
    }
  }
  return { counts, total };
}

/**
 * zh when Han characters carry the text; otherwise a naive Bayes over words and character
 * trigrams, trained on the en and es corpora, picks English or Spanish. A message too short to
 * tell ("ok", "👍") keeps the language the buyer used before; with none before, a message of no
 * letters at all (a link, an emoji) is read as zh, the contract's fallback language.
 */
export function createLanguageDetector(samples: {
  en: readonly string[];
  es: readonly string[];
}): LanguageDetector {
  const en = train(samples.en);
  const es = train(samples.es);
  const vocabulary = new Set([...en.counts.keys(), ...es.counts.keys()]).size;
  const logP = (m: Model, f: string) => Math.log(((m.counts.get(f) ?? 0) + 1) / (m.total + vocabulary));

  return (text, previous) => {
    const han = text.match(CJK)?.length ?? 0;
    const letters = text.match(/[a-zñáéíóúü]/gi)?.length ?? 0;
    if (han > 0 && han * 3 >= letters) return 'zh';
    let margin = SPANISH_CHARS.test(text) ? 4 : 0;
    let known = 0;
    for (const f of features(text)) {
      if (!en.counts.has(f) && !es.counts.has(f)) continue;
      known += 1;
      margin += logP(es, f) - logP(en, f);
    }
    if (han > 0 && known === 0) return 'zh';
    // Nothing written in any alphabet (a link, an emoji, digits): as before, else the contract's fallback language.
    if (letters === 0 && han === 0) return previous ?? 'zh';
    // "ok", "thx", "si" after a conversation in another language: too short to switch it.
    if (previous && han === 0 && letters <= 4) return previous;
    if (Math.abs(margin) < 1.5 || known === 0) return previous ?? 'en';
    return margin > 0 ? 'es' : 'en';
  };
}
