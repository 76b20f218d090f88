import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../shared/errors.ts';
import type { Catalog } from './catalog.ts';
import { CatalogSchema, type CatalogData } from './product-schema.ts';

/** Reads and validates CATALOG_FILE at start-up; a bad file stops start-up naming the field. */
export function loadJsonCatalog(file: string): SwappableCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`CATALOG_FILE ${file} cannot be read as JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`CATALOG_FILE ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  return swappableCatalog(parsed.data);
}

export function catalogFrom(data: CatalogData): Catalog {
  const byId = new Map(data.products.map((p) => [p.id, p]));
  return {
    shop: () => data.shop,
    product: (id) => byId.get(id),
    products: () => data.products,
  };
}

/** A catalog checked against the contract: its data, or every problem with the field it is in. */
export function validateCatalog(
  raw: unknown,
): { ok: true; data: CatalogData } | { ok: false; errors: { path: string; message: string }[] } {
  const parsed = CatalogSchema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  };
}

/** The same catalog always has the same hash, however it was written (key order aside, it is its JSON). */
export function catalogHash(raw: unknown): string {
  return createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 24);
}

/**
 * A catalog whose data can be replaced while the service runs: every read goes to the current
 * data, so an answer is written from the catalog in effect at that moment.
 */
export interface SwappableCatalog extends Catalog {
  replace(data: CatalogData): void;
}

export function swappableCatalog(data: CatalogData): SwappableCatalog {
  let current = catalogFrom(data);
  return {
    shop: () => current.shop(),
    product: (id) => current.product(id),
    products: () => current.products(),
    replace(next) {
      current = catalogFrom(next);
    },
  };
}
