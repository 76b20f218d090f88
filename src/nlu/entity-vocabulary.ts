import type { Catalog } from '../catalog/catalog.ts';
import { placeIndex } from '../catalog/countries.ts';
import type { EntityVocabulary } from './extract-entities.ts';

/** Base colour words in zh, en and es, each to the Chinese character(s) a catalog colour contains. */
const BASE_COLORS: Record<string, readonly string[]> = {
  黑: ['黑', 'black', 'negro', 'negra'],
  白: ['白', 'white', 'blanco', 'blanca'],
  红: ['红', 'red', 'rojo', 'roja'],
  蓝: ['蓝', 'blue', 'azul'],
  绿: ['绿', 'green', 'verde'],
  灰: ['灰', 'grey', 'gray', 'gris'],
  粉: ['粉', 'pink', 'rosa', 'rosado'],
  黄: ['黄', 'yellow', 'amarillo', 'amarilla'],
  紫: ['紫', 'purple', 'morado', 'morada'],
  棕: ['棕', '咖啡', 'brown', 'marrón', 'marron', 'café'],
  卡其: ['卡其', 'khaki', 'caqui'],
  藏青: ['藏青', 'navy', 'azul marino'],
  米: ['米白', '米色', 'beige', 'cream', 'crema'],
  酒红: ['酒红', 'burgundy', 'wine', 'vino', 'granate'],
};

/**
 * Colour words mapped to what a catalog colour's zh name contains ("黑" for 黑色, "蓝" for
 * 雾霾蓝), plus the catalog's own colour names in every language, and its delivery regions.
 */
export function entityVocabulary(catalog: Catalog): EntityVocabulary {
  const colors = new Map<string, string>();
  for (const [canonical, words] of Object.entries(BASE_COLORS))
    for (const word of words) colors.set(word, canonical);
  for (const product of catalog.products()) {
    for (const color of product.colors) {
      const canonical = color.zh.replace(/色$/, '');
      for (const word of [color.zh, color.en, color.es]) if (word) colors.set(word.toLowerCase(), canonical);
    }
  }
  const regions = Object.keys(catalog.shop().deliveryDays).filter((r) => r !== 'default');
  return { colors, regions, places: placeIndex(catalog.shop()) };
}

/** The vocabulary of the catalog in effect: rebuilt when the catalog is replaced (an admin's PUT, a changed file). */
export function liveEntityVocabulary(catalog: Catalog): EntityVocabulary {
  let products: unknown;
  let built: EntityVocabulary | undefined;
  const current = () => {
    if (!built || catalog.products() !== products) {
      products = catalog.products();
      built = entityVocabulary(catalog);
    }
    return built;
  };
  return {
    get colors() {
      return current().colors;
    },
    get regions() {
      return current().regions;
    },
    get places() {
      return current().places;
    },
  };
}
