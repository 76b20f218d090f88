import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIntents } from '../../src/answers/load-intents.ts';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { sanitizeText } from '../../src/channels/sanitize-text.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { checkOutbound } from '../../src/guard/check-outbound.ts';
import { detectEmotion } from '../../src/nlu/detect-emotion.ts';
import { entityVocabulary } from '../../src/nlu/entity-vocabulary.ts';
import { extractEntities } from '../../src/nlu/extract-entities.ts';
import { loadCorpora, loadEmotionCorpora } from '../../src/nlu/load-corpora.ts';
import { createNlpjsClassifier } from '../../src/nlu/nlpjs-classifier.ts';
import { createClassifyMessage } from '../../src/pipeline/classify-message.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { adversarialTexts, MAX_TEXT } from '../helpers/adversarial-texts.ts';
import { defaultModelCacheDir } from '../../src/nlu/model-cache.ts';

/**
 * Generous bounds for one call on 2,000 characters (the median of five), for a busy two-core
 * machine: a linear pattern takes well under 10 ms here, one that backtracks seconds to minutes.
 */
const BOUND_MS = { text: 250, classify: 1_000 };

interface Worst {
  ms: number;
  text: string;
}

async function timeOnce(run: (text: string) => unknown, text: string): Promise<number> {
  const start = performance.now();
  await run(text);
  return performance.now() - start;
}

/**
 * The slowest text, timed again: the median of five runs of each of the ten slowest, so a
 * garbage collection or another test file's burst on a busy machine is not taken for backtracking
 * (which is slower by orders of magnitude, every time).
 */
async function worstTime(texts: readonly string[], run: (text: string) => unknown): Promise<Worst> {
  const first: Worst[] = [];
  for (const text of texts) first.push({ ms: await timeOnce(run, text), text });
  let worst: Worst = { ms: 0, text: '' };
  for (const { text } of first.sort((a, b) => b.ms - a.ms).slice(0, 10)) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) runs.push(await timeOnce(run, text));
    const ms = runs.sort((a, b) => a - b)[2]!;
    if (ms > worst.ms) worst = { ms, text };
  }
  return worst;
}

const shown = (w: Worst) => `${w.ms.toFixed(1)} ms on ${JSON.stringify(w.text.slice(0, 24))}…`;

describe('text built to make patterns backtrack (2,000 characters)', () => {
  const texts = adversarialTexts();
  const figures: Record<string, number> = {};
  let classify: ReturnType<typeof createClassifyMessage>;
  let vocabulary: ReturnType<typeof entityVocabulary>;

  beforeAll(async () => {
    const catalog = loadJsonCatalog(SAMPLE_CATALOG_FILE);
    vocabulary = entityVocabulary(catalog);
    const classifier = await createNlpjsClassifier({
      corpora: loadCorpora(),
      emotion: loadEmotionCorpora(),
      vocabulary,
      cacheDir: defaultModelCacheDir(),
    });
    classify = createClassifyMessage({
      classifier,
      intents: loadIntents(),
      catalog,
      clock: systemClock,
      limits: { discount: 20, orderValue: 2000 },
    });
  });

  afterAll(() => {
    mkdirSync('reports', { recursive: true });
    writeFileSync(
      'reports/adversarial-text.json',
      `${JSON.stringify({ texts: texts.length, worstMs: figures }, null, 2)}\n`,
    );
  });

  it('are the longest a message may be, thousands of them', () => {
    expect(texts.length).toBeGreaterThan(5_000);
    expect(texts.every((t) => t.length === MAX_TEXT)).toBe(true);
  });

  it.each([
    ['sanitizeText', (t: string) => sanitizeText(t)],
    ['extractEntities', (t: string) => extractEntities(t, 'zh', vocabulary)],
    ['detectEmotion zh', (t: string) => detectEmotion(t, 'zh')],
    ['detectEmotion en', (t: string) => detectEmotion(t, 'en')],
    ['detectEmotion es', (t: string) => detectEmotion(t, 'es')],
    ['checkOutbound', (t: string) => checkOutbound(t, ['shop.example.com'])],
  ])('%s reads each in milliseconds, not seconds', { timeout: 120_000 }, async (name, run) => {
    const worst = await worstTime(texts, run);
    figures[name] = Math.round(worst.ms * 10) / 10;
    expect(worst.ms, shown(worst)).toBeLessThan(BOUND_MS.text);
  });

  it(
    'the whole reading of a message (language, intent, emotion, entities, policy) stays quick on them',
    { timeout: 120_000 },
    async () => {
      // Every seventh text: the classifier costs more per call than the patterns alone.
      const worst = await worstTime(
        texts.filter((_, i) => i % 7 === 0),
        classify,
      );
      figures.classify = Math.round(worst.ms * 10) / 10;
      expect(worst.ms, shown(worst)).toBeLessThan(BOUND_MS.classify);
    },
  );
});
