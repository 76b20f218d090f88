import { execFileSync } from 'node:child_process';
import { loadJsonCatalog } from '../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../src/config.ts';
import { entityVocabulary } from '../src/nlu/entity-vocabulary.ts';
import { loadCorpora, loadEmotionCorpora } from '../src/nlu/load-corpora.ts';
import { defaultModelCacheDir } from '../src/nlu/model-cache.ts';
import { createNlpjsClassifier } from '../src/nlu/nlpjs-classifier.ts';

/**
 * Builds dist/ once per run (the tests that start the service in a process of its own start what
 * `npm start` runs), and has the trained NLU models in the model cache before any test starts a
 * service: from src/ and from dist/, whose code (and so cache key) differ. With a cold cache that
 * is two trainings of about ten seconds here, instead of one in some test's start-up.
 */
export default async function setup(): Promise<void> {
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  await createNlpjsClassifier({
    corpora: loadCorpora(),
    emotion: loadEmotionCorpora(),
    vocabulary: entityVocabulary(loadJsonCatalog(SAMPLE_CATALOG_FILE)),
    cacheDir: defaultModelCacheDir(),
  });
  execFileSync(process.execPath, ['dist/cli/classify.js'], {
    input: '',
    stdio: ['pipe', 'ignore', 'inherit'],
  });
}
