import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_ARGS } from '../helpers/built-service.ts';
import { INTENTS_DIR, loadIntents } from '../../src/answers/load-intents.ts';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { assertWithinShopRules } from '../../src/boot/check-shop-texts.ts';
import { ConfigError } from '../../src/shared/errors.ts';

describe('texts checked when they load', () => {
  it('passes the shipped templates and sample catalog', () => {
    expect(() =>
      assertWithinShopRules(loadIntents(), loadJsonCatalog(SAMPLE_CATALOG_FILE), []),
    ).not.toThrow();
  });

  it('refuses a template with a WeChat id, naming the intent, language and rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'intents-'));
    cpSync(INTENTS_DIR, dir, { recursive: true });
    const file = join(dir, 'presale.json');
    const specs = JSON.parse(readFileSync(file, 'utf8'));
    specs[0].answers.default.en.push('Add us on WeChat: xiaoer_shop88 for deals');
    writeFileSync(file, JSON.stringify(specs));
    expect(() => assertWithinShopRules(loadIntents(dir), loadJsonCatalog(SAMPLE_CATALOG_FILE), [])).toThrow(
      ConfigError,
    );
    expect(() => assertWithinShopRules(loadIntents(dir), loadJsonCatalog(SAMPLE_CATALOG_FILE), [])).toThrow(
      /greeting\/default \(en\): qq-or-wechat/,
    );
  });

  it('stops npm start when the catalog links to another shop', () => {
    const catalog = JSON.parse(readFileSync(SAMPLE_CATALOG_FILE, 'utf8'));
    catalog.products[0].name.en = 'T-shirt, cheaper at www.othershop.com';
    const file = join(mkdtempSync(join(tmpdir(), 'catalog-')), 'catalog.json');
    writeFileSync(file, JSON.stringify(catalog));
    const run = spawnSync(process.execPath, SERVICE_ARGS, {
      encoding: 'utf8',
      env: { ...process.env, CATALOG_FILE: file, PORT: '0' },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/products\[p-1001\]\.name\.en: outside-link/);
  }, 40_000);
});
