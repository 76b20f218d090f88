import { createInterface } from 'node:readline';
import { loadIntents } from '../answers/load-intents.ts';
import { loadJsonCatalog } from '../catalog/json-catalog.ts';
import { loadConfig } from '../config.ts';
import { entityVocabulary } from '../nlu/entity-vocabulary.ts';
import { loadCorpora, loadEmotionCorpora } from '../nlu/load-corpora.ts';
import { modelCacheDir } from '../nlu/model-cache.ts';
import { faqMatcherFor } from '../nlu/faq-matcher.ts';
import { createNlpjsClassifier } from '../nlu/nlpjs-classifier.ts';
import { createClassifyMessage } from '../pipeline/classify-message.ts';
import { systemClock } from '../shared/clock.ts';

/** `npm run -s classify`: one buyer message a line on stdin, one JSON object a line on stdout. */
async function main(): Promise<void> {
  const config = loadConfig();
  const catalog = loadJsonCatalog(config.CATALOG_FILE);
  const corpora = loadCorpora();
  const classifier = await createNlpjsClassifier({
    corpora,
    emotion: loadEmotionCorpora(),
    vocabulary: entityVocabulary(catalog),
    cacheDir: modelCacheDir(config.MODEL_CACHE_DIR),
  });
  const classify = createClassifyMessage({
    classifier,
    intents: loadIntents(),
    catalog,
    faq: faqMatcherFor(corpora),
    clock: systemClock,
    limits: { discount: config.DISCOUNT_LIMIT, orderValue: config.HANDOFF_ORDER_VALUE },
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    // An empty line still gets its line of output, so answers stay in step with the input.
    const out = await classify(line.slice(0, 2000));
    if (!process.stdout.write(`${JSON.stringify(out)}\n`))
      await new Promise((r) => process.stdout.once('drain', r));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`classify failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
