import { z } from 'zod';
import { LocalizedTextSchema } from '../catalog/product-schema.ts';
import { LocalizedVariantsSchema } from '../answers/load-intents.ts';
import { INTENT_IDS } from '../nlu/intent-ids.ts';

/** One big sale (618, Double 11…): its window, promotions, and the answers that change while it runs. */
export const CampaignSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/, 'lowercase letters, digits and -'),
    name: LocalizedTextSchema,
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    /** A line added to the greeting while the sale runs. */
    greeting: LocalizedTextSchema.optional(),
    /** 满减, coupons, deposit pre-sale (定金/尾款): shown with the shop's own promotions. */
    promotions: z
      .array(
        z.object({ kind: z.enum(['threshold', 'coupon', 'presale', 'other']), text: LocalizedTextSchema }),
      )
      .default([]),
    /** Dispatch promise during the sale (e.g. within 5 days instead of 2). */
    dispatchDays: z.number().nonnegative().optional(),
    /** Answers that replace the normal ones while it runs: intent → case → texts. */
    answers: z.partialRecord(z.enum(INTENT_IDS), z.record(z.string(), LocalizedVariantsSchema)).default({}),
  })
  .refine((c) => Date.parse(c.from) < Date.parse(c.to), {
    path: ['to'],
    message: '"to" must be after "from"',
  });
export type Campaign = z.infer<typeof CampaignSchema>;
