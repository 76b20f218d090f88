import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importProductsCsv, type CsvFormat } from '../catalog/import-csv.ts';
import { validateCatalog } from '../catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../config.ts';

const USAGE = `usage: npm run -s import-catalog -- <products.csv> [--format shopify|template] [--shop <catalog.json>] [--out <catalog.json>]
  Turns Shopify's product export or xiaoer's one-row-per-SKU template into a catalog. The shop part
  (name, couriers, delivery days…) comes from --shop (default: the sample catalog's). Rows it could
  not use are listed on stderr with their line; the catalog goes to --out or stdout.`;

/** `npm run -s import-catalog`: a product CSV to a catalog (docs: README, "Import from a spreadsheet"). */
function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      shop: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [file] = positionals;
  if (values.help || !file) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (values.format !== undefined && values.format !== 'shopify' && values.format !== 'template') {
    process.stderr.write(`--format must be shopify or template, not "${values.format}"\n`);
    return 2;
  }
  const { products, problems, format } = importProductsCsv(
    readFileSync(file, 'utf8'),
    values.format as CsvFormat | undefined,
  );
  const shop = (JSON.parse(readFileSync(values.shop ?? SAMPLE_CATALOG_FILE, 'utf8')) as { shop: unknown })
    .shop;
  const skus = products.reduce((n, p) => n + (p.skus as unknown[]).length, 0);
  process.stderr.write(
    `${file} (${format}): ${products.length} products, ${skus} SKUs; ${problems.length} rows not used\n`,
  );
  for (const { row, problem } of problems) process.stderr.write(`  row ${row}: ${problem}\n`);
  const checked = validateCatalog({ shop, products });
  if (!checked.ok) {
    process.stderr.write(
      `the result is not a valid catalog:\n${checked.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}\n`,
    );
    return 1;
  }
  const json = `${JSON.stringify({ shop, products }, null, 2)}\n`;
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(json);
  return 0;
}

process.exitCode = main();
