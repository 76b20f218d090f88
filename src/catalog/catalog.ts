import type { Product, Shop } from './product-schema.ts';

/** The shop's product data, read at answer time so stock and prices are never stale text. */
export interface Catalog {
  shop(): Shop;
  product(id: string): Product | undefined;
  products(): readonly Product[];
}
