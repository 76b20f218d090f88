import { describe, expect, it } from 'vitest';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { CatalogSchema } from '../../src/catalog/product-schema.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { evaluateFaq, loadFaqCheck } from '../../src/nlu/evaluate-faq.ts';
import { createFaqMatcher } from '../../src/nlu/faq-matcher.ts';
import { loadConcepts, loadCorpora } from '../../src/nlu/load-corpora.ts';
import { createTextSimilarity } from '../../src/nlu/text-similarity.ts';
import { FIXTURE_CATALOG } from '../helpers/service.ts';

describe('the FAQ matcher', () => {
  const similarity = createTextSimilarity(loadCorpora(), loadConcepts());
  const matcher = createFaqMatcher(similarity);
  const catalog = loadJsonCatalog(FIXTURE_CATALOG);
  const tee = catalog.product('t-1')!;
  const scarf = catalog.product('t-2')!;

  it('answers the item in focus with its own entry, in other words too', () => {
    expect(matcher.match(matcher.read('这件能用洗衣机洗吗', 'zh'), tee, catalog.shop())).toMatchObject({
      from: 'product',
      entry: { id: 'wash' },
    });
    expect(matcher.match(matcher.read('can I machine wash it?', 'en'), tee, catalog.shop())?.entry.id).toBe(
      'wash',
    );
  });

  it('uses only the item in focus: another item’s entry is no answer', () => {
    expect(matcher.match(matcher.read('能机洗吗', 'zh'), scarf, catalog.shop())).toBeUndefined();
    expect(matcher.match(matcher.read('能机洗吗', 'zh'), undefined, catalog.shop())).toBeUndefined();
  });

  it('falls back to the shop’s entries, whatever the item', () => {
    expect(matcher.match(matcher.read('你们家是正品吗', 'zh'), scarf, catalog.shop())).toMatchObject({
      from: 'shop',
      entry: { id: 'genuine' },
    });
  });

  it('answers nothing for a question no entry is about', () => {
    expect(matcher.match(matcher.read('什么时候发货', 'zh'), tee, catalog.shop())).toBeUndefined();
    expect(
      matcher.match(matcher.read('do you have it in black?', 'en'), tee, catalog.shop()),
    ).toBeUndefined();
  });

  it('weighs rare words over common ones', () => {
    const a = similarity.vector('这个会缩水吗', 'zh');
    expect(similarity.cosine(a, similarity.vector('洗了会缩水不', 'zh'))).toBeGreaterThan(
      similarity.cosine(a, similarity.vector('这个有货吗', 'zh')),
    );
  });

  it('refuses an entry with no question', () => {
    const raw = JSON.parse(JSON.stringify({ shop: catalog.shop(), products: [tee] }));
    raw.products[0].faq = [{ q: {}, a: { zh: '可以' } }];
    expect(CatalogSchema.safeParse(raw).success).toBe(false);
  });

  it('answers paraphrases of the sample catalog’s FAQ with their entry, and rarely one it has no entry for', async () => {
    const sample = loadJsonCatalog(SAMPLE_CATALOG_FILE);
    const figures = await evaluateFaq(
      loadFaqCheck(),
      async (c) =>
        matcher.match(
          matcher.read(c.text, c.lang),
          c.productId ? sample.product(c.productId) : undefined,
          sample.shop(),
        )?.entry.id,
    );
    for (const [lang, f] of Object.entries(figures)) {
      expect(f.right / f.paraphrases, `${lang} paraphrases answered right`).toBeGreaterThanOrEqual(
        FLOOR.right,
      );
      expect(f.falseAnswer / f.noEntry, `${lang} questions with no entry answered`).toBeLessThanOrEqual(
        FLOOR.falseAnswer,
      );
    }
  });
});

/** Floors a few points under the measured figures (README, "Product knowledge"). */
const FLOOR = { right: 0.3, falseAnswer: 0.15 };
