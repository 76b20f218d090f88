import { colorsNamed } from './match-color.ts';
import type { Product, Sku } from './product-schema.ts';

/** The item's SKUs of a colour (a buyer's colour word) and a size, either or both. */
export function skusFor(product: Product, color?: string, size?: string): Sku[] {
  const named = color
    ? new Set(
        colorsNamed(
          product.skus.flatMap((sku) => (sku.color ? [sku.color] : [])),
          color,
        ).map((c) => c.zh),
      )
    : undefined;
  return product.skus.filter(
    (sku) => (!named || (sku.color !== undefined && named.has(sku.color.zh))) && (!size || sku.size === size),
  );
}

export const stockOf = (skus: readonly Sku[]) => skus.reduce((sum, sku) => sum + sku.stock, 0);

/** The price the buyer's colour and size name: a SKU's own when those SKUs agree on one, else the item's. */
export function priceFor(product: Product, color?: string, size?: string): number {
  if (!color && !size) return product.price;
  const prices = new Set(skusFor(product, color, size).map((sku) => sku.price ?? product.price));
  return prices.size === 1 ? [...prices][0]! : product.price;
}
