import type { Language } from '../shared/language.ts';
import { tokenizeZh } from './tokenize-zh.ts';

/**
 * Our own second reader of intents: a multinomial logistic regression over words, word pairs and
 * letter groups (Chinese: characters and character pairs). NLP.js is sure of itself even when it
 * is wrong (most of its wrong answers on real buyers carry 0.95–1.0); this model's probabilities
 * track how often it is right, so the two together say when to answer and when to ask.
 */
export interface IntentModel {
  /** Probabilities per intent, in `intents` order. */
  predict(text: string): Float64Array;
  readonly intents: readonly string[];
  /** The trained weights, as `loadIntentModel` reads them back. */
  export(): SavedIntentModel;
}

export interface SavedIntentModel {
  intents: string[];
  features: string[];
  /** Float32 weights (features × intents, then one bias per intent), base64. */
  weights: string;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
}

/** Words, word pairs and 4-letter groups (typo-tolerant) for en/es; characters and pairs for zh. */
export function intentFeatures(text: string, language: Language): string[] {
  if (language === 'zh') return tokenizeZh(text);
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\d+/g, '0')
    .split(/[^a-z0-9ñ']+/)
    .filter(Boolean);
  const features = [...words];
  for (let i = 0; i + 1 < words.length; i++) features.push(`${words[i]} ${words[i + 1]}`);
  for (const word of words) {
    if (word.length < 5) continue;
    const padded = `<${word}>`;
    for (let i = 0; i + 4 <= padded.length; i++) features.push(`#${padded.slice(i, i + 4)}`);
  }
  return features;
}

/** A deterministic shuffle (the same model from the same corpus, run after run). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function trainIntentModel(
  samples: readonly { text: string; intent: string }[],
  intents: readonly string[],
  language: Language,
  options: TrainOptions = {},
): IntentModel {
  const epochs = options.epochs ?? 12;
  const rate = options.learningRate ?? 2;
  // Weight decay chosen on corpora/heldout (1e-5, 1e-4, 3e-4, 1e-3): 1e-4 kept accuracy
  // (95.7 / 90.2 / 89.2 % zh / en / es) and gave fewer wrong answers (1.6 / 1.9 / 2.8 %) than 1e-5
  // (95.7 / 90.1 / 89.5 %, 1.8 / 2.0 / 2.8 %); more decay traded accuracy for them.
  const l2 = options.l2 ?? 1e-4;
  const k = intents.length;
  const classOf = new Map(intents.map((intent, i) => [intent, i]));
  const vocabulary = new Map<string, number>();
  const encoded = samples
    .map(({ text, intent }) => {
      const ids = new Set<number>();
      for (const f of intentFeatures(text, language)) {
        let id = vocabulary.get(f);
        if (id === undefined) vocabulary.set(f, (id = vocabulary.size));
        ids.add(id);
      }
      return { ids: [...ids], y: classOf.get(intent) ?? -1 };
    })
    .filter((s) => s.y >= 0 && s.ids.length > 0);
  const weights = new Float64Array(vocabulary.size * k);
  const bias = new Float64Array(k);
  const scores = new Float64Array(k);

  for (let epoch = 0; epoch < epochs; epoch++) {
    const step = rate / (1 + epoch);
    for (const { ids, y } of shuffled(encoded, 0x5eed + epoch)) {
      const scale = score(ids, weights, bias, scores);
      for (let c = 0; c < k; c++) {
        const g = scores[c]! - (c === y ? 1 : 0);
        bias[c] = bias[c]! - step * g;
        for (const id of ids) {
          const i = id * k + c;
          weights[i] = weights[i]! - step * (g * scale + l2 * weights[i]!);
        }
      }
    }
  }

  return modelOf(intents, language, vocabulary, weights, bias);
}

/** A model saved by `export()`, for the same language; undefined if it does not fit. */
export function loadIntentModel(saved: SavedIntentModel, language: Language): IntentModel | undefined {
  const k = saved.intents.length;
  const all = new Float32Array(new Uint8Array(Buffer.from(saved.weights, 'base64')).buffer);
  if (all.length !== (saved.features.length + 1) * k) return undefined;
  const weights = Float64Array.from(all.subarray(0, saved.features.length * k));
  const bias = Float64Array.from(all.subarray(saved.features.length * k));
  return modelOf(saved.intents, language, new Map(saved.features.map((f, i) => [f, i])), weights, bias);
}

function modelOf(
  intents: readonly string[],
  language: Language,
  vocabulary: ReadonlyMap<string, number>,
  weights: Float64Array,
  bias: Float64Array,
): IntentModel {
  const k = intents.length;
  return {
    intents,
    predict(text) {
      const ids: number[] = [];
      for (const f of new Set(intentFeatures(text, language))) {
        const id = vocabulary.get(f);
        if (id !== undefined) ids.push(id);
      }
      const out = new Float64Array(k);
      score(ids, weights, bias, out);
      return out;
    },
    export() {
      const all = new Float32Array(weights.length + bias.length);
      all.set(weights);
      all.set(bias, weights.length);
      return {
        intents: [...intents],
        features: [...vocabulary.keys()],
        weights: Buffer.from(all.buffer).toString('base64'),
      };
    },
  };
}

/**
 * The probabilities of each intent for a message's feature ids, into `out` (training and
 * prediction alike). Each feature counts 1/sqrt(n), so long and short messages are read on the
 * same scale; that factor is returned for the gradient.
 */
function score(ids: readonly number[], weights: Float64Array, bias: Float64Array, out: Float64Array): number {
  const k = out.length;
  const scale = 1 / Math.sqrt(ids.length || 1);
  for (let c = 0; c < k; c++) out[c] = bias[c]!;
  for (const id of ids) {
    const row = id * k;
    for (let c = 0; c < k; c++) out[c] = out[c]! + weights[row + c]! * scale;
  }
  softmax(out);
  return scale;
}

function softmax(v: Float64Array): void {
  let max = -Infinity;
  for (const x of v) if (x > max) max = x;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] = Math.exp(v[i]! - max);
  for (let i = 0; i < v.length; i++) v[i]! /= sum;
}
