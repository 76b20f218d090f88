import type { Catalog } from '../catalog/catalog.ts';
import type { EntityVocabulary } from './extract-entities.ts';

/** Colour words from the catalog in every language, and the delivery regions the shop names. */
export function entityVocabulary(catalog: Catalog): EntityVocabulary {
  const colors = new Map<string, string>();
  for (const product of catalog.products()) {
    for (const color of product.colors) {
      for (const word of [color.zh, color.en, color.es]) {
        if (word) colors.set(word.toLowerCase(), color.zh);
      }
      // 黑色 is also written 黑
      if (color.zh.endsWith('色') && color.zh.length > 1) colors.set(color.zh.slice(0, -1), color.zh);
    }
  }
  const regions = Object.keys(catalog.shop().deliveryDays).filter((r) => r !== 'default');
  return { colors, regions };
}
