import type { LocalizedText, Product } from './product-schema.ts';

/** The product's colour that a buyer's colour word names ("黑" matches 黑色, "蓝" matches 雾霾蓝). */
export function matchColor(product: Product, color: string): LocalizedText | undefined {
  return colorsNamed(product.colors, color)[0];
}

/** The colours a buyer's colour word names: the one of exactly that name if there is one ("白" is 白色, not 米白色), else all that contain it. */
export function colorsNamed(colors: readonly LocalizedText[], color: string): LocalizedText[] {
  const exact = colors.find((c) => c.zh.replace(/色$/, '') === color);
  return exact ? [exact] : colors.filter((c) => c.zh.includes(color));
}
