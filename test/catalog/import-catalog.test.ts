import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { validateCatalog } from '../../src/catalog/json-catalog.ts';

const run = (...args: string[]) =>
  spawnSync('npm', ['run', '-s', 'import-catalog', '--', ...args], { encoding: 'utf8', timeout: 60_000 });

/** Imports a sample: it succeeds and prints a valid catalog; its report and that catalog. */
function imported(file: string) {
  const out = run(file);
  expect(out.status).toBe(0);
  const catalog = JSON.parse(out.stdout);
  expect(validateCatalog(catalog).ok).toBe(true);
  return { catalog, report: out.stderr };
}

describe('npm run -s import-catalog', () => {
  it('turns Shopify’s product export into a catalog with SKUs, and lists the rows it could not use', () => {
    const { catalog, report } = imported('test/fixtures/shopify-products.csv');
    const shirt = catalog.products.find((p: { id: string }) => p.id === 'linen-shirt');
    expect(shirt).toMatchObject({ name: { en: 'Linen shirt' }, category: { en: 'Shirts' }, price: 39 });
    expect(shirt.skus).toEqual([
      { color: { zh: 'White', en: 'White' }, size: 'S', stock: 4 },
      { color: { zh: 'White', en: 'White' }, size: 'M', stock: 0 },
      { color: { zh: 'Navy', en: 'Navy' }, size: 'M', stock: 7, price: 42 },
    ]);
    expect(catalog.products.find((p: { id: string }) => p.id === 'canvas-tote')).toMatchObject({
      price: 18.5,
      skus: [{ stock: 25 }],
    });
    expect(report).toMatch(/2 products, 4 SKUs; 3 rows not used/);
    expect(report).toMatch(/row 5: Variant Inventory Qty "-2"/);
    expect(report).toMatch(/row 7: no Handle/);
    expect(report).toMatch(/row 8: Variant Price "free"/);
  }, 90_000);

  it('reads the one-row-per-SKU template of Chinese shops, in three languages', () => {
    const { catalog, report } = imported('test/fixtures/catalog-template.csv');
    const cardigan = catalog.products.find((p: { id: string }) => p.id === 'w-2001');
    expect(cardigan).toMatchObject({
      name: { zh: '女款针织开衫', en: "Women's knit cardigan", es: 'Chaqueta de punto de mujer' },
      fabric: { zh: '70%棉 30%腈纶' },
      price: 159,
    });
    expect(cardigan.skus).toContainEqual({
      color: { zh: '酒红色', en: 'burgundy', es: 'granate' },
      size: 'M',
      stock: 3,
      price: 169,
    });
    expect(report).toMatch(/row 6: 库存 \(stock\) "几件"/);
    expect(report).toMatch(/row 7: no product name for w-2003/);
    expect(report).toMatch(/row 8: no 商品ID/);
    expect(report).toMatch(/row 9: the same colour and size twice for w-2001/);
  }, 90_000);

  it('says how to use it, and refuses an unknown format', () => {
    expect(run().status).toBe(2);
    const bad = run('test/fixtures/catalog-template.csv', '--format', 'excel');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--format must be shopify or template/);
  }, 90_000);
});
