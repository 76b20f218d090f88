import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { entityVocabulary } from '../../src/nlu/entity-vocabulary.ts';
import { loadCorpora, loadEmotionCorpora } from '../../src/nlu/load-corpora.ts';
import { createNlpjsClassifier } from '../../src/nlu/nlpjs-classifier.ts';
import { defaultModelCacheDir } from '../../src/nlu/model-cache.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

describe('the classifier under a sale', () => {
  it('does not keep the texts it has read: memory stays flat over 12,000 distinct messages', async () => {
    const classifier = await createNlpjsClassifier({
      corpora: loadCorpora(),
      emotion: loadEmotionCorpora(),
      vocabulary: entityVocabulary(loadJsonCatalog(SAMPLE_CATALOG_FILE)),
      cacheDir: defaultModelCacheDir(),
    });
    const read = async (from: number, to: number) => {
      for (let i = from; i < to; i++)
        await classifier.classify(
          i % 2 ? `订单${i}什么时候发货呀，能不能快一点` : `when will order ${i} ship, can you hurry please`,
        );
    };
    await read(0, 2_000);
    const before = liveHeapMb();
    await read(2_000, 14_000);
    // nlp.js's own caches kept ~1 KB per distinct text here (+14 MB), emptied only hourly.
    expect(liveHeapMb() - before).toBeLessThan(6);
  }, 60_000);
});
