import type { Language } from '../shared/language.ts';
import { tokenizeZh } from './tokenize-zh.ts';

export type EmotionModel = (text: string) => number;

/** Words (or Chinese character n-grams) plus the shape of the message: shouting, !!!, ???. */
export function emotionFeatures(text: string, language: Language): string[] {
  const features =
    language === 'zh'
      ? tokenizeZh(text)
      : text
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
          .split(/[^a-z0-9ñ']+/)
          .filter(Boolean);
  const words = [...features];
  for (let i = 0; i + 1 < words.length && language !== 'zh'; i++)
    features.push(`${words[i]}_${words[i + 1]}`);
  const bangs = text.match(/[!！]/g)?.length ?? 0;
  if (bangs >= 2) features.push('#bangs');
  if (/[?？]{2,}/.test(text)) features.push('#questions');
  if (/\b[A-ZÑÁÉÍÓÚ]{3,}\b/.test(text)) features.push('#caps');
  if (/\p{Extended_Pictographic}/u.test(text)) features.push('#emoji');
  return features;
}

/**
 * A multinomial naive Bayes over upset and calm examples (corpora/emotion/): it generalises
 * past the lexicon to phrasings nobody listed. Returns P(upset | text).
 */
export function trainEmotionModel(
  samples: { upset: readonly string[]; calm: readonly string[] },
  language: Language,
): EmotionModel {
  const count = (texts: readonly string[]) => {
    const counts = new Map<string, number>();
    let total = 0;
    for (const text of texts) {
      for (const f of new Set(emotionFeatures(text, language))) {
        counts.set(f, (counts.get(f) ?? 0) + 1);
        total += 1;
      }
    }
    return { counts, total };
  };
  const upset = count(samples.upset);
  const calm = count(samples.calm);
  const features = new Set([...upset.counts.keys(), ...calm.counts.keys()]);
  const vocabulary = features.size;
  const prior = Math.log(samples.upset.length / samples.calm.length);
  // Each feature's weight of evidence, worked out once here rather than for every message.
  const weight = new Map<string, number>();
  for (const f of features)
    weight.set(
      f,
      Math.log(((upset.counts.get(f) ?? 0) + 1) / (upset.total + vocabulary)) -
        Math.log(((calm.counts.get(f) ?? 0) + 1) / (calm.total + vocabulary)),
    );
  return (text) => {
    let logOdds = prior;
    for (const f of new Set(emotionFeatures(text, language))) logOdds += weight.get(f) ?? 0;
    return 1 / (1 + Math.exp(-logOdds));
  };
}
