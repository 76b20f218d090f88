import { parse } from 'csv-parse/sync';
import type { LocalizedText } from './product-schema.ts';

/** A row the import could not use: its line in the file (the header is line 1) and why. */
export interface RowProblem {
  row: number;
  problem: string;
}

interface SkuIn {
  color?: LocalizedText;
  size?: string;
  stock: number;
  price: number;
}

interface ProductIn {
  id: string;
  name: LocalizedText;
  category?: LocalizedText;
  fabric?: LocalizedText;
  skus: SkuIn[];
}

export type CsvFormat = 'shopify' | 'template';

/**
 * A product spreadsheet turned into catalog products: Shopify's product export (one row per
 * variant, grouped by Handle) or our template for Chinese shops (one row per SKU). Every row that
 * cannot be used is reported with its line; the rest still make products.
 */
export function importProductsCsv(
  csv: string,
  format?: CsvFormat,
): { products: Record<string, unknown>[]; problems: RowProblem[]; format: CsvFormat } {
  const rows = parse(csv, {
    columns: (header: string[]) => header.map((h) => h.trim()),
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
    trim: true,
  }) as Record<string, string>[];
  const detected = format ?? (rows.length > 0 && 'Handle' in rows[0]! ? 'shopify' : 'template');
  const problems: RowProblem[] = [];
  const products = new Map<string, ProductIn>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const read = detected === 'shopify' ? shopifyRow(row) : templateRow(row);
    if ('problem' in read) return void problems.push({ row: line, problem: read.problem });
    let product = products.get(read.id);
    if (!product) {
      if (!read.name)
        return void problems.push({ row: line, problem: `no product name for ${read.id} on its first row` });
      products.set(
        read.id,
        (product = {
          id: read.id,
          name: read.name,
          ...(read.category ? { category: read.category } : {}),
          ...(read.fabric ? { fabric: read.fabric } : {}),
          skus: [],
        }),
      );
    }
    if (product.skus.some((s) => s.size === read.sku.size && s.color?.zh === read.sku.color?.zh))
      return void problems.push({ row: line, problem: `the same colour and size twice for ${read.id}` });
    product.skus.push(read.sku);
  });
  return { products: [...products.values()].map(toCatalogProduct), problems, format: detected };
}

type RowRead =
  | { id: string; name?: LocalizedText; category?: LocalizedText; fabric?: LocalizedText; sku: SkuIn }
  | { problem: string };

const SIZE_OPTION = /^(size|talla|talle|尺码|尺寸|码数)$/i;
const COLOR_OPTION = /^(colou?r|color|颜色|顏色)$/i;

/** Shopify: Handle, Title (first row of a product), Option1/2/3 Name and Value, Variant Price, Variant Inventory Qty. */
function shopifyRow(row: Record<string, string>): RowRead {
  const id = row.Handle;
  if (!id) return { problem: 'no Handle' };
  const price = number(row['Variant Price']);
  if (price === undefined || price < 0)
    return { problem: `Variant Price "${row['Variant Price'] ?? ''}" is not a price` };
  const stock = row['Variant Inventory Qty'] ? number(row['Variant Inventory Qty']) : 0;
  if (stock === undefined || !Number.isInteger(stock) || stock < 0)
    return {
      problem: `Variant Inventory Qty "${row['Variant Inventory Qty']}" is not a whole number of items`,
    };
  const sku: SkuIn = { stock, price };
  for (const n of [1, 2, 3]) {
    const value = row[`Option${n} Value`];
    const name = row[`Option${n} Name`];
    if (!value || value === 'Default Title') continue;
    if (name && SIZE_OPTION.test(name)) sku.size = value;
    else if (name && COLOR_OPTION.test(name)) sku.color = { zh: value, en: value };
    else if (!name && n === 1) sku.size = value;
  }
  const title = row.Title;
  const type = row.Type || row['Product Category'];
  return {
    id,
    ...(title ? { name: { zh: title, en: title } } : {}),
    ...(type ? { category: { zh: type, en: type } } : {}),
    sku,
  };
}

/**
 * Our template, one row per SKU (a header in Chinese or English):
 * 商品ID/product_id, 商品名称/name_zh, name_en, name_es, 类目/category, 面料/fabric, 价格/price,
 * 颜色/color, color_en, color_es, 尺码/size, 库存/stock.
 */
function templateRow(row: Record<string, string>): RowRead {
  const get = (...names: string[]) => names.map((n) => row[n]).find((v) => v !== undefined && v !== '');
  const id = get('商品ID', 'product_id');
  if (!id) return { problem: 'no 商品ID (product_id)' };
  const price = number(get('价格', 'price'));
  if (price === undefined || price < 0)
    return { problem: `价格 (price) "${get('价格', 'price') ?? ''}" is not a price` };
  const stockText = get('库存', 'stock');
  const stock = number(stockText ?? '');
  if (stock === undefined || !Number.isInteger(stock) || stock < 0)
    return { problem: `库存 (stock) "${stockText ?? ''}" is not a whole number of items` };
  const localized = (
    zh: string | undefined,
    en: string | undefined,
    es: string | undefined,
  ): LocalizedText | undefined => (zh ? { zh, ...(en ? { en } : {}), ...(es ? { es } : {}) } : undefined);
  const name = localized(get('商品名称', 'name_zh'), get('name_en'), get('name_es'));
  const color = localized(get('颜色', 'color', 'color_zh'), get('color_en'), get('color_es'));
  const size = get('尺码', 'size');
  const category = get('类目', 'category');
  const fabric = get('面料', 'fabric');
  return {
    id,
    ...(name ? { name } : {}),
    ...(category ? { category: { zh: category } } : {}),
    ...(fabric ? { fabric: { zh: fabric } } : {}),
    sku: { stock, price, ...(color ? { color } : {}), ...(size ? { size } : {}) },
  };
}

function number(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.replace(/[¥$€,\s]/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** The product's price is its lowest; a SKU keeps its own only where it differs. */
function toCatalogProduct(p: ProductIn): Record<string, unknown> {
  const price = Math.min(...p.skus.map((s) => s.price));
  return {
    id: p.id,
    name: p.name,
    ...(p.category ? { category: p.category } : {}),
    ...(p.fabric ? { fabric: p.fabric } : {}),
    price,
    skus: p.skus.map(({ price: own, ...sku }) => ({ ...sku, ...(own !== price ? { price: own } : {}) })),
  };
}
