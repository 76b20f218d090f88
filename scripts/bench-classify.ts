import { loadJsonCatalog } from '../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../src/config.ts';
import { entityVocabulary } from '../src/nlu/entity-vocabulary.ts';
import { faqMatcherFor } from '../src/nlu/faq-matcher.ts';
import { loadCorpora, loadEmotionCorpora, loadHeldOut, utterancesOf } from '../src/nlu/load-corpora.ts';
import { createNlpjsClassifier } from '../src/nlu/nlpjs-classifier.ts';
import { defaultModelCacheDir } from '../src/nlu/model-cache.ts';

/**
 * Median time to classify one buyer message (held-out texts, each seen for the first time), and
 * with `withFaq` also to read it for the FAQ and match it against the sample shop's (the item
 * with most entries in focus).
 */
export async function benchClassify(
  withFaq = false,
): Promise<{ medianMs: number; p99Ms: number; n: number; trainMs: number }> {
  const started = performance.now();
  const catalog = loadJsonCatalog(SAMPLE_CATALOG_FILE);
  const corpora = loadCorpora();
  const classifier = await createNlpjsClassifier({
    corpora,
    emotion: loadEmotionCorpora(),
    vocabulary: entityVocabulary(catalog),
    cacheDir: defaultModelCacheDir(),
  });
  const faq = faqMatcherFor(corpora);
  const product = catalog.product('p-1001');
  const read = async (text: string) => {
    const nlu = await classifier.classify(text);
    if (withFaq) faq.match(faq.read(text, nlu.language), product, catalog.shop());
  };
  const trainMs = Math.round(performance.now() - started);
  const texts = (['zh', 'en', 'es'] as const).flatMap((lang) =>
    utterancesOf(loadHeldOut(lang)).map((u) => u.text),
  );
  for (const text of texts.slice(0, 200)) await read(`${text} warm`);
  const times: number[] = [];
  // A suffix per round keeps NLP.js's per-text cache from answering instead of the model.
  for (let round = 0; round < 3; round++) {
    for (const text of texts) {
      const t0 = performance.now();
      await read(`${text} ${round}`);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.floor(q * (times.length - 1))]! * 1000) / 1000;
  return { medianMs: at(0.5), p99Ms: at(0.99), n: times.length, trainMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchClassify();
  process.stdout.write(
    `classify: median ${r.medianMs} ms, p99 ${r.p99Ms} ms per message (n ${r.n}, one core); training ${r.trainMs} ms\n`,
  );
  const f = await benchClassify(true);
  process.stdout.write(
    `classify + FAQ matching: median ${f.medianMs} ms, p99 ${f.p99Ms} ms per message (n ${f.n}, one core)\n`,
  );
}
