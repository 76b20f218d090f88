import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../shared/errors.ts';
import type { Catalog } from './catalog.ts';
import { CatalogSchema, type CatalogData } from './product-schema.ts';

/** Reads and validates CATALOG_FILE at start-up; a bad file stops start-up naming the field. */
export function loadJsonCatalog(file: string): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`CATALOG_FILE ${file} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`CATALOG_FILE ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  return catalogFrom(parsed.data);
}

export function catalogFrom(data: CatalogData): Catalog {
  const byId = new Map(data.products.map((p) => [p.id, p]));
  return {
    shop: () => data.shop,
    product: (id) => byId.get(id),
    products: () => data.products,
  };
}
