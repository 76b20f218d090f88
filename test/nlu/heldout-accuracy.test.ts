import { beforeAll, describe, expect, it } from 'vitest';
import { loadIntents } from '../../src/answers/load-intents.ts';
import { loadJsonCatalog } from '../../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../../src/config.ts';
import { entityVocabulary } from '../../src/nlu/entity-vocabulary.ts';
import { evaluate, handoffRates } from '../../src/nlu/evaluate.ts';
import { INTENT_IDS } from '../../src/nlu/intent-ids.ts';
import { loadCorpora, loadEmotionCheck, loadEmotionCorpora, loadHeldOut, utterancesOf } from '../../src/nlu/load-corpora.ts';
import { createNlpjsClassifier } from '../../src/nlu/nlpjs-classifier.ts';
import { createClassifyMessage } from '../../src/pipeline/classify-message.ts';
import { systemClock } from '../../src/shared/clock.ts';

/** Floors a little under what `npm run eval` measures, so a corpus change that hurts is caught. */
const FLOORS = { zh: 0.92, en: 0.84, es: 0.79 } as const;

describe('NLU on held-out messages it never trained on', () => {
  let classify: ReturnType<typeof createClassifyMessage>;
  beforeAll(async () => {
    const catalog = loadJsonCatalog(SAMPLE_CATALOG_FILE);
    const classifier = await createNlpjsClassifier({ corpora: loadCorpora(), emotion: loadEmotionCorpora(), vocabulary: entityVocabulary(catalog) });
    classify = createClassifyMessage({ classifier, intents: loadIntents(), catalog, clock: systemClock, limits: { discount: 20, orderValue: 2000 } });
  });

  it('never trains on a held-out message', () => {
    const corpora = loadCorpora();
    for (const lang of ['zh', 'en', 'es'] as const) {
      const training = new Set(utterancesOf(corpora[lang]).map((u) => u.text.trim().toLowerCase()));
      const leaked = utterancesOf(loadHeldOut(lang)).filter((u) => training.has(u.text.trim().toLowerCase()));
      expect(leaked.length / utterancesOf(loadHeldOut(lang)).length).toBeLessThan(0.03);
    }
  });

  it.each(Object.entries(FLOORS))('keeps %s intent accuracy above its floor', async (lang, floor) => {
    const report = await evaluate(loadHeldOut(lang as 'zh'), classify, INTENT_IDS);
    expect(report.accuracy).toBeGreaterThanOrEqual(floor);
    expect(report.languageAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it.each(['zh', 'en', 'es'] as const)('hands most upset %s buyers to a person and almost no calm ones', async (lang) => {
    const heldOut = await evaluate(loadHeldOut(lang), classify, INTENT_IDS);
    expect(heldOut.emotionalHandoffRecall).toBeGreaterThanOrEqual(0.88);
    expect(heldOut.routineFalseHandoffRate).toBeLessThanOrEqual(0.05);
    const fresh = await handoffRates(loadEmotionCheck()[lang], classify);
    expect(fresh.emotionalHandedOff).toBeGreaterThanOrEqual(0.75);
    expect(fresh.calmHandedOff).toBeLessThanOrEqual(0.05);
  });
});
