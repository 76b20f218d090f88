import { describe, expect, it } from 'vitest';
import { ProductSchema, type Product } from '../../src/catalog/product-schema.ts';
import { recommendSize } from '../../src/catalog/recommend-size.ts';

const CHART = [
  { size: 'S', heightCm: [150, 160], weightKg: [40, 50] },
  { size: 'M', heightCm: [160, 170], weightKg: [50, 60] },
  { size: 'L', heightCm: [170, 180], weightKg: [60, 70] },
];

function product(stock: Record<string, number> = { S: 5, M: 5, L: 5 }, sizes: unknown = CHART): Product {
  return ProductSchema.parse({ id: 'tee-1', name: { zh: '纯棉T恤' }, price: 99, sizes, stock });
}

describe('recommendSize', () => {
  it.each([
    ['fits the size whose row holds both height and weight', 165, 55, 'M'],
    ["includes the last row's upper bound", 180, 70, 'L'],
    ['includes the first row lower bound', 150, 40, 'S'],
    ['recommends from the height alone', 155, undefined, 'S'],
    ['recommends from the weight alone', undefined, 58, 'M'],
  ] as const)('%s', (_case, heightCm, weightKg, size) => {
    expect(recommendSize(product(), heightCm, weightKg)).toEqual({ kind: 'fit', size, inStock: true });
  });

  it('puts a value on a row boundary in the larger size', () => {
    expect(recommendSize(product(), 160, 50)).toEqual({ kind: 'fit', size: 'M', inStock: true });
    expect(recommendSize(product(), 170, undefined)).toEqual({ kind: 'fit', size: 'L', inStock: true });
  });

  it('recommends the larger size when height and weight disagree', () => {
    expect(recommendSize(product(), 165, 65)).toEqual({
      kind: 'between',
      size: 'L',
      smaller: 'M',
      inStock: true,
    });
    expect(recommendSize(product(), 175, 45)).toEqual({
      kind: 'between',
      size: 'L',
      smaller: 'S',
      inStock: true,
    });
  });

  it('offers the smaller size as a fit when the larger one is sold out and the smaller is in stock', () => {
    expect(recommendSize(product({ S: 5, M: 5, L: 0 }), 165, 65)).toEqual({
      kind: 'fit',
      size: 'M',
      inStock: true,
    });
  });

  it('stays between, out of stock, when both sizes are sold out', () => {
    expect(recommendSize(product({ S: 5, M: 0, L: 0 }), 165, 65)).toEqual({
      kind: 'between',
      size: 'L',
      smaller: 'M',
      inStock: false,
    });
  });

  it('keeps the larger size when only the smaller one is sold out', () => {
    expect(recommendSize(product({ S: 5, M: 0, L: 5 }), 165, 65)).toEqual({
      kind: 'between',
      size: 'L',
      smaller: 'M',
      inStock: true,
    });
  });

  it('is outside the chart when the height is above the last row', () => {
    expect(recommendSize(product(), 181, 65)).toEqual({ kind: 'outside-chart' });
  });

  it('is outside the chart when the weight is below the first row', () => {
    expect(recommendSize(product(), 155, 39)).toEqual({ kind: 'outside-chart' });
  });

  it('is outside the chart when a value falls in a gap between rows', () => {
    const sizes = [
      { size: 'S', heightCm: [150, 160] },
      { size: 'M', heightCm: [162, 170] },
    ];
    expect(recommendSize(product({ S: 1, M: 1 }, sizes), 161, undefined)).toEqual({ kind: 'outside-chart' });
  });

  it('is outside the chart when neither height nor weight is given', () => {
    expect(recommendSize(product(), undefined, undefined)).toEqual({ kind: 'outside-chart' });
  });

  it('reports no chart when the product has no size rows', () => {
    expect(recommendSize(product({}, []), 165, 55)).toEqual({ kind: 'no-chart' });
  });

  it('reports the fitting size as out of stock when its stock is zero', () => {
    expect(recommendSize(product({ S: 5, M: 0, L: 5 }), 165, 55)).toEqual({
      kind: 'fit',
      size: 'M',
      inStock: false,
    });
  });

  it('treats a size missing from the stock record as out of stock', () => {
    expect(recommendSize(product({ S: 5 }), 165, 55)).toEqual({ kind: 'fit', size: 'M', inStock: false });
  });
});

describe('a chart with heights only', () => {
  it('sizes from the height and ignores the weight it has no column for', () => {
    const product = ProductSchema.parse({
      id: 'h-1',
      name: { zh: '长裤' },
      price: 99,
      sizes: [
        { size: 'M', heightCm: [155, 165] },
        { size: 'L', heightCm: [165, 175] },
      ],
      stock: { M: 3, L: 3 },
    });
    expect(recommendSize(product, 160, 50)).toEqual({ kind: 'fit', size: 'M', inStock: true });
  });
});
