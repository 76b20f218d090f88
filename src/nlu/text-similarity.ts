import { LANGUAGES, type Language } from '../shared/language.ts';
import { intentFeatures } from './intent-model.ts';
import { utterancesOf, type Corpora } from './load-corpora.ts';
import { prepareForIntent } from './prepare-text.ts';
import { createPhraseIndex, type PhraseIndex } from '../shared/phrase-index.ts';

/** A text as weighted features, of length 1: two texts' cosine is the sum of shared weights. */
export type TextVector = ReadonlyMap<string, number>;

/** Words and phrases that mean the same to a shopper ("机洗", "洗衣机洗", "丢洗衣机"), per language. */
export interface Concept {
  id: string;
  zh?: string[];
  en?: string[];
  es?: string[];
}

export interface TextSimilarity {
  vector(text: string, language: Language): TextVector;
  cosine(a: TextVector, b: TextVector): number;
}

/**
 * How alike two buyer questions are, read the way the intent models read them (the same
 * preparation and features: words, word pairs and letter groups; Chinese characters and pairs).
 * Each feature weighs by how rare it is in the corpora (tf-idf), so "吗", "is it" and "亲" count
 * for little and "机洗", "hood" or "掉色" for much. A feature the corpora never saw weighs most.
 * Words of one concept also share a feature of their own, so "塞滚筒" and "机洗" meet.
 */
export function createTextSimilarity(corpora: Corpora, concepts: readonly Concept[] = []): TextSimilarity {
  const idf = wordWeights(corpora);
  const forms = {} as Record<Language, PhraseIndex<string>>;
  for (const language of LANGUAGES)
    forms[language] = createPhraseIndex(
      concepts.flatMap((c) => (c[language] ?? []).map((f) => [f, `§${c.id}`] as const)),
    );
  return {
    vector(text, language) {
      const { weights, unseen } = idf[language];
      const counts = new Map<string, number>();
      const prepared = prepareForIntent(text, language);
      for (const f of intentFeatures(prepared, language)) counts.set(f, (counts.get(f) ?? 0) + 1);
      // A concept counts once however many of its words are said, and weighs as much as the rarest word.
      for (const feature of forms[language].all(prepared)) counts.set(feature, CONCEPT_WEIGHT);
      let norm = 0;
      for (const [f, tf] of counts) {
        const w = f.startsWith('§') ? tf * unseen : tf * (weights.get(f) ?? unseen);
        counts.set(f, w);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [f, w] of counts) counts.set(f, w / norm);
      return counts;
    },
    cosine(a, b) {
      const [small, large] = a.size <= b.size ? [a, b] : [b, a];
      let sum = 0;
      for (const [f, w] of small) sum += w * (large.get(f) ?? 0);
      return sum;
    },
  };
}

/** How many times the rarest word a concept weighs: a shared concept says more than a shared word. */
const CONCEPT_WEIGHT = 2;

type Weights = Record<Language, { weights: Map<string, number>; unseen: number }>;

/** Inverse document frequency of every feature in each language's corpus (about 0.2 s for all three). */
function wordWeights(corpora: Corpora): Weights {
  const idf = {} as Weights;
  for (const language of LANGUAGES) {
    const documents = utterancesOf(corpora[language]).map(
      (u) => new Set(intentFeatures(prepareForIntent(u.text, language), language)),
    );
    const frequency = new Map<string, number>();
    for (const features of documents) for (const f of features) frequency.set(f, (frequency.get(f) ?? 0) + 1);
    const n = documents.length;
    const weights = new Map<string, number>();
    for (const [f, df] of frequency) weights.set(f, Math.log((n + 1) / (df + 1)) + 1);
    idf[language] = { weights, unseen: Math.log(n + 1) + 1 };
  }
  return idf;
}
