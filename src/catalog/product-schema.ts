import { z } from 'zod';

/** Text shown to buyers, per language; a missing language falls back to zh. */
export const LocalizedTextSchema = z.object({
  zh: z.string().min(1),
  en: z.string().min(1).optional(),
  es: z.string().min(1).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

const questions = z.array(z.string().min(1).max(500)).min(1);
/** One question the shop answers: its wordings per language (matched by meaning) and the answer. */
export const FaqEntrySchema = z.object({
  /** Ours: a name for the entry in figures and logs. */
  id: z.string().min(1).max(100).optional(),
  q: z
    .object({ zh: questions.optional(), en: questions.optional(), es: questions.optional() })
    .refine((q) => q.zh || q.en || q.es, 'an entry needs a question in at least one language'),
  a: LocalizedTextSchema,
});
export type FaqEntry = z.infer<typeof FaqEntrySchema>;

const range = z
  .tuple([z.number().nonnegative(), z.number().nonnegative()])
  .refine(([lo, hi]) => lo <= hi, 'range must be [low, high]');

export const SizeRowSchema = z.object({
  size: z.string().min(1).max(20),
  heightCm: range.optional(),
  weightKg: range.optional(),
});
export type SizeRow = z.infer<typeof SizeRowSchema>;

/**
 * Ours: facts a buyer asks as yes/no before buying, each answered directly ("有弹力吗" → "微弹").
 * A fact left out is never guessed: the buyer hears a colleague will check.
 */
export const ProductFactsSchema = z.object({
  stretch: z.enum(['none', 'slight', 'medium', 'high']).optional(),
  thickness: z.enum(['thin', 'medium', 'thick']).optional(),
  seeThrough: z.enum(['no', 'light-colours', 'yes']).optional(),
  lining: z.enum(['none', 'partial', 'full']).optional(),
  pilling: z.enum(['unlikely', 'some', 'likely']).optional(),
  shrinkage: z.enum(['none', 'slight', 'noticeable']).optional(),
  machineWash: z.enum(['yes', 'gentle', 'hand-only', 'dry-clean']).optional(),
  ironing: z.enum(['yes', 'low', 'no']).optional(),
  origin: LocalizedTextSchema.optional(),
  warranty: LocalizedTextSchema.optional(),
});
export type ProductFacts = z.infer<typeof ProductFactsSchema>;

/** One colour × size of an item, with its own stock and, when it differs, its own price. */
export const SkuSchema = z.object({
  color: LocalizedTextSchema.optional(),
  size: z.string().min(1).max(20).optional(),
  stock: z.number().int().nonnegative(),
  price: z.number().nonnegative().optional(),
});
export type Sku = z.infer<typeof SkuSchema>;

export const ProductSchema = z
  .object({
    id: z.string().min(1).max(200),
    name: LocalizedTextSchema,
    price: z.number().nonnegative(),
    fabric: LocalizedTextSchema.optional(),
    colors: z.array(LocalizedTextSchema).default([]),
    sizes: z.array(SizeRowSchema).default([]),
    stock: z.record(z.string(), z.number().int().nonnegative()).default({}),
    category: LocalizedTextSchema.optional(),
    care: LocalizedTextSchema.optional(),
    model: z
      .object({ heightCm: z.number().positive(), weightKg: z.number().positive(), size: z.string().min(1) })
      .optional(),
    matches: z.array(z.string()).default([]),
    /** The item's numbers on the shop's platforms (Taobao, Tmall, JD, a store page): a link that carries one names the item. */
    itemIds: z.array(z.string().min(4).max(100)).default([]),
    /** Stock (and prices) per colour and size; when given, `stock` and `colors` may be left out. */
    skus: z.array(SkuSchema).default([]),
    facts: ProductFactsSchema.default({}),
    /** Questions about this item the shop answers itself; they win over the shop's. */
    faq: z.array(FaqEntrySchema).default([]),
  })
  .refine(
    (p) =>
      p.skus.length === 0 ||
      p.sizes.length === 0 ||
      Object.keys(p.stock).length > 0 ||
      p.skus.every((sku) => sku.size),
    { message: 'SKUs without a size need the product’s stock per size', path: ['stock'] },
  )
  .transform(withSkuDefaults);
export type Product = z.infer<typeof ProductSchema>;

/** With SKUs, stock per size is their sum and the colours are theirs, unless the shop gave its own. */
function withSkuDefaults<P extends { skus: Sku[]; stock: Record<string, number>; colors: LocalizedText[] }>(
  product: P,
): P {
  if (product.skus.length === 0) return product;
  const stock = { ...product.stock };
  if (Object.keys(product.stock).length === 0) {
    for (const sku of product.skus) if (sku.size) stock[sku.size] = (stock[sku.size] ?? 0) + sku.stock;
  }
  const colors = [...product.colors];
  if (colors.length === 0)
    for (const sku of product.skus)
      if (sku.color && !colors.some((c) => c.zh === sku.color!.zh)) colors.push(sku.color);
  return { ...product, stock, colors };
}

export const PromotionSchema = z.object({
  text: LocalizedTextSchema,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type Promotion = z.infer<typeof PromotionSchema>;

/** Ours: a country or region beyond the mainland the shop ships to, with its days and fee. */
export const DestinationSchema = z.object({
  name: LocalizedTextSchema,
  /** Other ways buyers write it ("USA", "EEUU", "美国"); its names in every language count already. */
  aliases: z.array(z.string().min(2).max(40)).default([]),
  days: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
  fee: z.number().nonnegative(),
  /** From this order total the postage is free. */
  freeOver: z.number().nonnegative().optional(),
});
export type Destination = z.infer<typeof DestinationSchema>;

export const ShopSchema = z.object({
  name: LocalizedTextSchema,
  couriers: z
    .array(
      z.object({
        name: LocalizedTextSchema,
        default: z.boolean().optional(),
        surcharge: z.number().nonnegative().optional(),
      }),
    )
    .min(1),
  dispatchDays: z.number().nonnegative(),
  deliveryDays: z
    .record(z.string(), z.tuple([z.number().nonnegative(), z.number().nonnegative()]))
    .refine((d) => 'default' in d, 'deliveryDays needs a "default" entry'),
  returnDays: z.number().int().nonnegative().default(7),
  promotions: z.array(PromotionSchema).default([]),
  freeShippingOver: z.number().nonnegative().optional(),
  returnShippingInsurance: z.boolean().optional(),
  /** Ours: the symbol prices are shown with. */
  currency: z.string().min(1).max(8).default('¥'),
  /** Countries and regions beyond the mainland the shop ships to; any other is answered "we don't ship there". */
  destinations: z.array(DestinationSchema).default([]),
  /** Questions about the shop the shop answers itself (genuine goods, a physical store, gift wrap…). */
  faq: z.array(FaqEntrySchema).default([]),
});
export type Shop = z.infer<typeof ShopSchema>;

export const CatalogSchema = z
  .object({ shop: ShopSchema, products: z.array(ProductSchema).min(1) })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    catalog.products.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'id'],
          message: `duplicate product id ${p.id}`,
        });
      seen.add(p.id);
    });
  });
export type CatalogData = z.infer<typeof CatalogSchema>;
