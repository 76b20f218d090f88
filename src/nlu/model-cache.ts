import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Trained models kept on disk, so a service (and each of its worker threads and processes) starts
 * in a second instead of training for ten. A model is found again only under the same key: a
 * hash of the corpora it was trained on and of this folder's code (the features, the text
 * preparation, the training), so a changed corpus or a changed feature retrains.
 */
export function defaultModelCacheDir(): string {
  return join(tmpdir(), 'xiaoer-models');
}

/** MODEL_CACHE_DIR as a folder, or undefined for `off`. */
export function modelCacheDir(setting: string | undefined): string | undefined {
  if (setting === 'off') return undefined;
  return setting || defaultModelCacheDir();
}

const CODE_DIR = fileURLToPath(new URL('.', import.meta.url));
let codeHash: string | undefined;

/** The code that shapes a model: every file beside this one. */
function hashOfCode(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  for (const file of readdirSync(CODE_DIR).sort()) {
    if (!/\.(ts|js)$/.test(file)) continue;
    hash.update(file).update(readFileSync(join(CODE_DIR, file)));
  }
  return (codeHash = hash.digest('hex'));
}

export function modelKey(inputs: unknown): string {
  return createHash('sha256').update(hashOfCode()).update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

/** The cached model under `key`, or undefined (none, unreadable, or no cache). */
export function readModel(dir: string | undefined, key: string): unknown {
  if (!dir) return undefined;
  try {
    return JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Saves a model whole or not at all (written aside, then renamed); a cache that can't be written is no error. */
export function writeModel(dir: string | undefined, key: string, model: unknown): void {
  if (!dir) return;
  try {
    mkdirSync(dir, { recursive: true });
    const aside = join(dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    writeFileSync(aside, JSON.stringify(model));
    renameSync(aside, join(dir, `${key}.json`));
  } catch {
    // Read-only or full disk: the next start trains again.
  }
}
