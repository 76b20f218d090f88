import { readFile, stat } from 'node:fs/promises';
import type { RedisClient } from '../shared/redis-client.ts';
import type { Logger } from '../shared/logger.ts';
import { withRedisLock } from '../shared/redis-helpers.ts';
import type { Catalog } from './catalog.ts';
import { catalogFrom, catalogHash, validateCatalog, type SwappableCatalog } from './json-catalog.ts';
import type { CatalogData } from './product-schema.ts';

/** What is stored: the catalog in effect for every instance, and the file it was made over. */
interface Stored {
  hash: string;
  /** The CATALOG_FILE's hash when this catalog was published: a file changed since wins at start. */
  fileHash: string;
  source: 'file' | 'api';
  at: string;
  json: string;
}

export type PublishOutcome =
  { ok: true; hash: string; products: number } | { ok: false; errors: { path: string; message: string }[] };

export interface CatalogSync {
  /** At start: the stored catalog if it was made over this same file, else this file's, for everyone. */
  start(): Promise<void>;
  /** A whole catalog from the admin API: checked, then in effect in every instance at their next look. */
  publish(raw: unknown): Promise<PublishOutcome>;
  /**
   * A change to the catalog in effect (an FAQ entry added from the dashboard): made on the latest
   * published catalog, one change at a time across instances, so two admins' edits both land.
   */
  edit(change: (data: CatalogData) => CatalogData): Promise<PublishOutcome>;
  /** One look at Redis and at the file (every `checkMs` while started). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Keeps every instance on one catalog. The catalog in effect is kept in Redis with its hash; each
 * instance looks at the hash every `checkMs` (one small GET) and loads the catalog when it moved.
 * A changed CATALOG_FILE is seen the same way (its size and time, then its hash) and published
 * like an admin's PUT; a file that does not validate is logged and changes nothing.
 */
export function createCatalogSync(deps: {
  redis: RedisClient;
  key: string;
  file: string;
  catalog: SwappableCatalog;
  log: Logger;
  checkMs: number;
  /** The shop's rules of conduct for the texts buyers would see (a phone number in an FAQ answer…). */
  rules?: (catalog: Catalog) => { path: string; message: string }[];
}): CatalogSync {
  const { redis, key, file, catalog, log } = deps;
  const hashKey = `${key}:hash`;
  let inEffect = '';
  let refused = '';
  let fileSeen = { hash: '', mtimeMs: 0, size: -1 };
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  async function readFileNow(): Promise<{ raw: unknown; hash: string } | undefined> {
    try {
      const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
      return { raw, hash: catalogHash(raw) };
    } catch (err) {
      log.error(
        { file, err: (err as Error).message },
        'CATALOG_FILE cannot be read as JSON; the catalog in effect stays',
      );
      return undefined;
    }
  }

  async function store(raw: unknown, source: Stored['source'], fileHash: string): Promise<PublishOutcome> {
    const checked = validateCatalog(raw);
    if (!checked.ok) return checked;
    const problems = deps.rules?.(catalogFrom(checked.data)) ?? [];
    if (problems.length > 0) return { ok: false, errors: problems };
    const hash = catalogHash(raw);
    const stored: Stored = {
      hash,
      fileHash,
      source,
      at: new Date().toISOString(),
      json: JSON.stringify(raw),
    };
    await redis.multi().set(key, JSON.stringify(stored)).set(hashKey, hash).exec();
    apply(checked.data, hash, source);
    return { ok: true, hash, products: checked.data.products.length };
  }

  function apply(data: Parameters<SwappableCatalog['replace']>[0], hash: string, source: string): void {
    if (hash === inEffect) return;
    catalog.replace(data);
    inEffect = hash;
    log.info({ hash, source, products: data.products.length }, 'catalog in effect');
  }

  async function loadStored(): Promise<Stored | undefined> {
    const json = await redis.get(key);
    return json ? (JSON.parse(json) as Stored) : undefined;
  }

  async function lookAtFile(): Promise<void> {
    const info = await stat(file).catch(() => undefined);
    if (!info || (info.mtimeMs === fileSeen.mtimeMs && info.size === fileSeen.size)) return;
    const read = await readFileNow();
    const seen = { hash: read?.hash ?? fileSeen.hash, mtimeMs: info.mtimeMs, size: info.size };
    if (read && read.hash !== fileSeen.hash && read.hash !== (await loadStored())?.fileHash) {
      const outcome = await store(read.raw, 'file', read.hash);
      if (!outcome.ok)
        log.error(
          { file, errors: outcome.errors.slice(0, 10) },
          'the changed CATALOG_FILE is invalid; the catalog in effect stays',
        );
    }
    // Only once it is published (or refused): a Redis hiccup on the way means another look next time.
    fileSeen = seen;
  }

  async function lookAtRedis(): Promise<void> {
    const hash = await redis.get(hashKey);
    if (!hash || hash === inEffect || hash === refused) return;
    const stored = await loadStored();
    if (!stored) return;
    adopt(stored);
  }

  /** A stored catalog this version cannot read (a newer one wrote it): said once, then left alone. */
  function adopt(stored: Stored): boolean {
    const checked = validateCatalog(JSON.parse(stored.json));
    if (checked.ok) {
      apply(checked.data, stored.hash, stored.source);
      return true;
    }
    refused = stored.hash;
    log.error(
      { hash: stored.hash, errors: checked.errors.slice(0, 10) },
      'the catalog in Redis is invalid for this version; this instance keeps its own',
    );
    return false;
  }

  const check = () =>
    (checking ??= (async () => {
      try {
        await lookAtFile();
        await lookAtRedis();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'catalog check failed; trying again');
      } finally {
        checking = undefined;
      }
    })());

  return {
    async start() {
      // The file's size and time first: an edit landing while it is read is seen at the next look.
      const info = await stat(file).catch(() => undefined);
      const read = await readFileNow();
      if (read && info) fileSeen = { hash: read.hash, mtimeMs: info.mtimeMs, size: info.size };
      const stored = await loadStored();
      // A PUT made over this same file is still the latest change; otherwise the file is.
      const adopted =
        stored !== undefined && read !== undefined && stored.fileHash === read.hash && adopt(stored);
      if (!adopted && read) {
        const outcome = await store(read.raw, 'file', read.hash);
        if (!outcome.ok) log.error({ errors: outcome.errors.slice(0, 10) }, 'CATALOG_FILE is invalid');
      }
      timer = setInterval(() => void check(), deps.checkMs);
      timer.unref();
    },
    publish: async (raw) => store(raw, 'api', fileSeen.hash),
    async edit(change) {
      const locked = await withRedisLock(redis, `${key}:edit`, { ttlMs: 10_000, waitMs: 5_000 }, async () => {
        const stored = await loadStored();
        if (stored && stored.hash !== inEffect) adopt(stored);
        return store(
          change({ shop: catalog.shop(), products: [...catalog.products()] }),
          'api',
          fileSeen.hash,
        );
      });
      return locked.ran
        ? locked.value
        : {
            ok: false,
            errors: [{ path: '', message: 'another change to the catalog is under way; try again' }],
          };
    },
    check,
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
