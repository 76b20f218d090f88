import type { Promotion } from './product-schema.ts';

/** The shop's promotions running at `now` (each from its `from`, inclusive, to its `to`, exclusive). */
export function activePromotions(promotions: readonly Promotion[], now: Date): Promotion[] {
  const t = now.getTime();
  return promotions.filter((p) => (!p.from || Date.parse(p.from) <= t) && (!p.to || t < Date.parse(p.to)));
}
