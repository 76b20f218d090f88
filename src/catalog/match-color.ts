import type { LocalizedText, Product } from './product-schema.ts';

/** The product's colour that a buyer's colour word names ("黑" matches 黑色, "蓝" matches 雾霾蓝). */
export function matchColor(product: Product, color: string): LocalizedText | undefined {
  const exact = product.colors.find((c) => c.zh.replace(/色$/, '') === color);
  return exact ?? product.colors.find((c) => c.zh.includes(color));
}

/** Whether a colour is the one a buyer's colour word names. */
export function colorNamed(c: LocalizedText, color: string): boolean {
  return c.zh.replace(/色$/, '') === color || c.zh.includes(color);
}
