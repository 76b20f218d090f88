import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { entityVocabulary } from '../../src/nlu/entity-vocabulary.ts';
import {
  loadCorpora,
  loadEmotionCorpora,
  loadHeldOut,
  utterancesOf,
  type Corpora,
} from '../../src/nlu/load-corpora.ts';
import { modelCacheDir } from '../../src/nlu/model-cache.ts';
import { createNlpjsClassifier } from '../../src/nlu/nlpjs-classifier.ts';

/** Every 4th utterance: a corpus small enough to train in a test, large enough to classify. */
function smallCorpora(): Corpora {
  const all = loadCorpora();
  const small = (lang: keyof Corpora) => ({
    ...all[lang],
    data: all[lang].data.map((d) => ({ ...d, utterances: d.utterances.filter((_, i) => i % 4 === 0) })),
  });
  return { zh: small('zh'), en: small('en'), es: small('es') };
}

describe('the model cache (MODEL_CACHE_DIR)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiaoer-model-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const vocabulary = entityVocabulary(loadJsonCatalog(SAMPLE_CATALOG_FILE));
  const texts = ['zh', 'en', 'es'].flatMap((lang) =>
    utterancesOf(loadHeldOut(lang as 'zh'))
      .filter((_, i) => i % 25 === 0)
      .map((u) => u.text),
  );
  const readAll = async (classifier: Awaited<ReturnType<typeof createNlpjsClassifier>>) =>
    Promise.all(texts.map((t) => classifier.classify(t)));

  it('keeps a trained model, and one read back classifies exactly as the one trained', async () => {
    const corpora = smallCorpora();
    const emotion = loadEmotionCorpora();
    const trained = await createNlpjsClassifier({ corpora, emotion, vocabulary, cacheDir: dir });
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const startedAt = performance.now();
    const cached = await createNlpjsClassifier({ corpora, emotion, vocabulary, cacheDir: dir });
    const readBackMs = performance.now() - startedAt;
    expect(await readAll(cached)).toEqual(await readAll(trained));
    // Different corpora are a different model: trained again, kept beside the first.
    corpora.zh.data[0]!.utterances.push('亲亲 在吗在吗');
    await createNlpjsClassifier({ corpora, emotion, vocabulary, cacheDir: dir });
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    process.stdout.write(`model cache: read back in ${Math.round(readBackMs)} ms\n`);
  }, 120_000);

  it('trains again over a damaged cache file, and replaces it', async () => {
    const corpora = smallCorpora();
    const emotion = loadEmotionCorpora();
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), '{"nlp":"not a model"');
    const classifier = await createNlpjsClassifier({ corpora, emotion, vocabulary, cacheDir: dir });
    expect((await classifier.classify('什么时候发货')).intent).toBe('shipping.time');
    // Of the two damaged files, the one for these corpora is whole again.
    const whole = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .filter((f) => {
        try {
          return typeof JSON.parse(readFileSync(join(dir, f), 'utf8')).nlp === 'string';
        } catch {
          return false;
        }
      });
    expect(whole).toHaveLength(1);
  }, 120_000);

  it('is a folder in the temporary directory unless set, and off when set to off', () => {
    expect(modelCacheDir(undefined)).toBe(join(tmpdir(), 'xiaoer-models'));
    expect(modelCacheDir('/srv/models')).toBe('/srv/models');
    expect(modelCacheDir('off')).toBeUndefined();
  });
});
