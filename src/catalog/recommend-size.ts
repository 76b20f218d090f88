import type { Product, SizeRow } from './product-schema.ts';

export type SizeAdvice =
  | { kind: 'fit'; size: string; inStock: boolean }
  | { kind: 'between'; size: string; smaller: string; inStock: boolean }
  | { kind: 'outside-chart' }
  | { kind: 'no-chart' };

/** Advice that names a size: one that fits, or the larger of two between. */
export type FittingAdvice = Extract<SizeAdvice, { size: string }>;

export function namesASize(advice: SizeAdvice | undefined): advice is FittingAdvice {
  return advice?.kind === 'fit' || advice?.kind === 'between';
}

/**
 * Picks the chart row for a buyer's height and weight. When height and weight point to different
 * rows, shop practice is to take the larger one (a loose fit can be worn, a tight one cannot).
 */
export function recommendSize(
  product: Product,
  heightCm: number | undefined,
  weightKg: number | undefined,
): SizeAdvice {
  const rows = product.sizes;
  if (rows.length === 0) return { kind: 'no-chart' };
  // A chart that has no column for a measure (heights only, say) ignores that measure.
  const charted = (field: 'heightCm' | 'weightKg') => rows.some((r) => r[field]);
  const byHeight =
    heightCm === undefined || !charted('heightCm') ? undefined : rowIndex(rows, 'heightCm', heightCm);
  const byWeight =
    weightKg === undefined || !charted('weightKg') ? undefined : rowIndex(rows, 'weightKg', weightKg);
  if (byHeight === -1 || byWeight === -1 || (byHeight === undefined && byWeight === undefined))
    return { kind: 'outside-chart' };
  const picks = [byHeight, byWeight].filter((i): i is number => i !== undefined);
  const larger = Math.max(...picks);
  const smaller = Math.min(...picks);
  const size = rows[larger]!.size;
  const inStock = (product.stock[size] ?? 0) > 0;
  if (larger !== smaller) {
    const smallerSize = rows[smaller]!.size;
    // The larger size is gone but the smaller one still fits one measure: offer what can ship.
    if (!inStock && (product.stock[smallerSize] ?? 0) > 0)
      return { kind: 'fit', size: smallerSize, inStock: true };
    return { kind: 'between', size, smaller: smallerSize, inStock };
  }
  return { kind: 'fit', size, inStock };
}

/** Rows are [low, high): a value on a boundary belongs to the larger size; the last row is closed. */
function rowIndex(rows: readonly SizeRow[], field: 'heightCm' | 'weightKg', value: number): number {
  for (let i = rows.length - 1; i >= 0; i--) {
    const range = rows[i]![field];
    if (!range) continue;
    const [lo, hi] = range;
    const last = i === rows.length - 1;
    if (value >= lo && (value < hi || (last && value <= hi))) return i;
  }
  return -1;
}
