import { INTENTS_DIR, loadIntents, type IntentBook } from '../answers/load-intents.ts';
import { campaignAwareBook, campaignAwareCatalog } from '../campaigns/campaign-views.ts';
import { loadCampaigns } from '../campaigns/load-campaigns.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { loadJsonCatalog, type SwappableCatalog } from '../catalog/json-catalog.ts';
import type { Config } from '../config.ts';
import { assertWithinShopRules } from './check-shop-texts.ts';
import type { Classifier } from '../nlu/classifier.ts';
import { liveEntityVocabulary } from '../nlu/entity-vocabulary.ts';
import { faqMatcherFor, type FaqMatcher } from '../nlu/faq-matcher.ts';
import { lazyClassifier } from '../nlu/lazy-classifier.ts';
import { CORPORA_DIR, loadCorpora, loadEmotionCorpora } from '../nlu/load-corpora.ts';
import { modelCacheDir } from '../nlu/model-cache.ts';
import { createNlpjsClassifier } from '../nlu/nlpjs-classifier.ts';
import type { Clock } from '../shared/clock.ts';

/** What the bot knows: the shop's catalog and answers (with any sale's), and how to read buyers. */
export interface Knowledge {
  /** The catalog as the shop wrote it; catalog sync swaps it when the shop changes it. */
  ownCatalog: SwappableCatalog;
  /** The catalog as buyers see it now: during a sale, with its promotions. */
  catalog: Catalog;
  intents: IntentBook;
  faq: FaqMatcher;
  classifier: Classifier;
}

export interface KnowledgeOptions {
  clock: Clock;
  corporaDir?: string | undefined;
  intentsDir?: string | undefined;
  /** Classifies instead of a classifier of this process's own. */
  classifier?: Classifier | undefined;
}

export async function buildKnowledge(config: Config, options: KnowledgeOptions): Promise<Knowledge> {
  const { clock } = options;
  const corporaDir = options.corporaDir ?? CORPORA_DIR;
  const campaigns = loadCampaigns(config.CAMPAIGNS_DIR);
  const ownCatalog = loadJsonCatalog(config.CATALOG_FILE);
  const ownIntents = loadIntents(options.intentsDir ?? INTENTS_DIR);
  assertWithinShopRules(ownIntents, ownCatalog, config.SHOP_DOMAINS, campaigns);
  // During a sale, its promotions, dispatch promise and answers apply; the clock decides.
  const catalog = campaignAwareCatalog(ownCatalog, campaigns, clock);
  const intents = campaignAwareBook(ownIntents, campaigns, clock);
  const corpora = loadCorpora(corporaDir);
  // The shop's FAQ is matched with the classifier's words, weighed by their rarity in the corpora.
  const faq = faqMatcherFor(corpora, corporaDir);
  const train = () =>
    createNlpjsClassifier({
      corpora,
      emotion: loadEmotionCorpora(corporaDir),
      vocabulary: liveEntityVocabulary(catalog),
      cacheDir: modelCacheDir(config.MODEL_CACHE_DIR),
    });
  // A ROLE=web process classifies only for the admin API: it trains on the first such request.
  // One started by the HTTP process of WORKER_THREADS or WORKER_PROCESSES asks its workers instead.
  // Training is CPU-bound (about ten seconds when the model cache has no model for these
  // corpora): the caller finishes it before any Redis connection is made, so none times out.
  const classifier = options.classifier ?? (config.ROLE === 'web' ? lazyClassifier(train) : await train());
  return { ownCatalog, catalog, intents, faq, classifier };
}
