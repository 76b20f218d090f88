import type { FaqEntry, Product, Shop } from '../catalog/product-schema.ts';
import type { Language } from '../shared/language.ts';
import { CORPORA_DIR, loadConcepts, type Corpora } from './load-corpora.ts';
import { createTextSimilarity, type TextSimilarity, type TextVector } from './text-similarity.ts';

export interface FaqHit {
  entry: FaqEntry;
  /** Cosine similarity to the nearest of the entry's questions, 0–1. */
  score: number;
  from: 'product' | 'shop';
}

/** A buyer's question as the matcher reads it, once for the FAQ and the typed facts. */
export interface AskedQuestion {
  vector: TextVector;
  language: Language;
}

export interface FaqMatcher {
  read(text: string, language: Language): AskedQuestion;
  /** The shop's answer to this question, if it gave one: the item in focus first, then the shop's. */
  match(asked: AskedQuestion, product: Product | undefined, shop: Shop): FaqHit | undefined;
  /** The concepts a question names (what typed facts it asks about). */
  concepts(asked: AskedQuestion): string[];
}

/**
 * From this likeness a buyer's question is taken to mean an entry's question, and how much of the
 * likeness is the concepts shared (the rest is the words). Both were chosen on the odd lines of
 * corpora/heldout/faq-check.json; the even lines, never looked at for it, give about the same
 * figures (README, "Product knowledge"). Never chosen on real buyers' messages.
 */
export const FAQ_THRESHOLD = 0.35;
export const CONCEPT_SHARE = 0.6;
/**
 * A shared topic (a part or material: hood, wool) counts this much of a shared question concept
 * (removable, itchy): "are the sweaters wool?" shares wool with "is the wool itchy?" but asks
 * something else.
 */
export const TOPIC_WEIGHT = 0.25;

const conceptsOf = (v: TextVector): string[] => [...v.keys()].filter((k) => k.startsWith('§'));

/** Matches buyers' questions to the catalog's FAQ by meaning: the classifier's words, weighed by rarity. */
export function createFaqMatcher(
  similarity: TextSimilarity,
  threshold = FAQ_THRESHOLD,
  conceptShare = CONCEPT_SHARE,
  topics: ReadonlySet<string> = new Set(),
): FaqMatcher {
  const topicKeys = new Set([...topics].map((id) => `§${id}`));
  const weight = (concept: string) => (topicKeys.has(concept) ? TOPIC_WEIGHT : 1);
  const sum = (concepts: readonly string[]) => concepts.reduce((total, c) => total + weight(c), 0);
  /** A question's concepts, their weight, and whether it asks something of its topic (itchy, removable). */
  const readConcepts = (vector: TextVector) => {
    const concepts = conceptsOf(vector);
    return { concepts, weight: sum(concepts), asks: concepts.some((c) => weight(c) === 1) };
  };
  type Read = ReturnType<typeof readConcepts>;
  /**
   * How alike: the words (cosine) and the concepts (the share of the two questions' concepts they
   * have in common: "帽子可以取下来吗" and "帽子能拆吗" are both hood + removable, "帽子多大" is
   * hood + size), a topic weighing TOPIC_WEIGHT. A question of the entry with no concept is matched
   * on words alone.
   */
  const alike = (cosine: number, asked: Read, entry: Read) => {
    if (entry.concepts.length === 0) return cosine;
    const shared = entry.concepts.filter((c) => asked.concepts.includes(c));
    // The entry asks something of its topic: a question that asks none of it is another question.
    if (entry.asks && !shared.some((c) => weight(c) === 1)) return 0;
    const sharedWeight = sum(shared);
    return (
      conceptShare * (sharedWeight / (asked.weight + entry.weight - sharedWeight)) +
      (1 - conceptShare) * cosine
    );
  };
  // An entry's questions read once per entry and language (a new catalog brings new entries).
  const questions = new WeakMap<FaqEntry, Partial<Record<Language, { vector: TextVector; read: Read }[]>>>();
  const questionsOf = (entry: FaqEntry, language: Language) => {
    let byLanguage = questions.get(entry);
    if (!byLanguage) questions.set(entry, (byLanguage = {}));
    return (byLanguage[language] ??= (entry.q[language] ?? []).map((q) => {
      const vector = similarity.vector(q, language);
      return { vector, read: readConcepts(vector) };
    }));
  };
  const best = (entries: readonly FaqEntry[], asked: TextVector, language: Language) => {
    let top: { entry: FaqEntry; score: number } | undefined;
    const askedRead = readConcepts(asked);
    for (const entry of entries) {
      for (const q of questionsOf(entry, language)) {
        const score = alike(similarity.cosine(asked, q.vector), askedRead, q.read);
        if (!top || score > top.score) top = { entry, score };
      }
    }
    return top && top.score >= threshold ? top : undefined;
  };
  return {
    read: (text, language) => ({ vector: similarity.vector(text, language), language }),
    concepts: (asked) => conceptsOf(asked.vector).map((c) => c.slice(1)),
    match({ vector: asked, language }, product, shop) {
      if (!product?.faq.length && !shop.faq.length) return undefined;
      const own = product ? best(product.faq, asked, language) : undefined;
      if (own) return { ...own, score: round(own.score), from: 'product' };
      const shops = best(shop.faq, asked, language);
      return shops ? { ...shops, score: round(shops.score), from: 'shop' } : undefined;
    },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The matcher the service runs: word weights from the corpora, concepts from corpora/concepts.json. */
export function faqMatcherFor(corpora: Corpora, dir = CORPORA_DIR): FaqMatcher {
  const concepts = loadConcepts(dir);
  const topics = new Set(concepts.filter((c) => c.topic).map((c) => c.id));
  return createFaqMatcher(createTextSimilarity(corpora, concepts), FAQ_THRESHOLD, CONCEPT_SHARE, topics);
}
