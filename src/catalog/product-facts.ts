import type { Product, ProductFacts } from './product-schema.ts';

/** What a buyer can ask about an item as a fact: the typed facts, and the care text. */
export type FactKey = keyof ProductFacts | 'care';

/** The concepts (corpora/concepts.json) that ask for each fact. */
const FACT_OF_CONCEPT: Record<string, FactKey> = {
  stretchy: 'stretch',
  thickness: 'thickness',
  'see-through': 'seeThrough',
  lining: 'lining',
  pilling: 'pilling',
  shrink: 'shrinkage',
  'machine-wash': 'machineWash',
  'hand-wash': 'machineWash',
  'dry-clean': 'machineWash',
  ironing: 'ironing',
  'made-in': 'origin',
  warranty: 'warranty',
  'care-instructions': 'care',
};

/** The first fact a question asks about, by the concepts it names (in the order they were found). */
export function factAsked(concepts: Iterable<string>): FactKey | undefined {
  for (const concept of concepts) {
    const key = FACT_OF_CONCEPT[concept.replace(/^§/, '')];
    if (key) return key;
  }
  return undefined;
}

/**
 * The answer case for a fact the item has: `fact-stretch-slight` for a typed value, `fact-origin`
 * for a text of the shop's own; undefined when the shop did not give it.
 */
export function factCase(product: Product, key: FactKey): string | undefined {
  if (key === 'care') return product.care ? 'fact-care' : undefined;
  const value = product.facts[key];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? `fact-${key}-${value}` : `fact-${key}`;
}
