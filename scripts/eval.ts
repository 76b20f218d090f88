import { mkdirSync, writeFileSync } from 'node:fs';
import { LANGUAGES, type Language } from '../src/catalog/product-schema.ts';
import { loadIntents } from '../src/answers/load-intents.ts';
import { loadJsonCatalog } from '../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../src/config.ts';
import { entityVocabulary } from '../src/nlu/entity-vocabulary.ts';
import { INTENT_IDS } from '../src/nlu/intent-ids.ts';
import { loadCorpora, loadEmotionCorpora, loadEmotionCheck, loadHeldOut } from '../src/nlu/load-corpora.ts';
import { createNlpjsClassifier } from '../src/nlu/nlpjs-classifier.ts';
import { createClassifyMessage } from '../src/pipeline/classify-message.ts';
import { systemClock } from '../src/shared/clock.ts';
import { evaluate, formatReport, handoffRates } from '../src/nlu/evaluate.ts';

/** `npm run eval`: accuracy, macro-F1, per-intent table, confusion and hand-off figures on corpora/heldout. */
const catalog = loadJsonCatalog(SAMPLE_CATALOG_FILE);
const classifier = await createNlpjsClassifier({ corpora: loadCorpora(), emotion: loadEmotionCorpora(), vocabulary: entityVocabulary(catalog) });
const classify = createClassifyMessage({ classifier, intents: loadIntents(), catalog, clock: systemClock, limits: { discount: 20, orderValue: 2000 } });
const sections: string[] = [];
const summary: Record<string, unknown> = {};
for (const lang of LANGUAGES as readonly Language[]) {
  const report = await evaluate(loadHeldOut(lang), classify, INTENT_IDS);
  summary[lang] = { accuracy: report.accuracy, macroF1: report.macroF1, emotionalHandoffRecall: report.emotionalHandoffRecall, routineFalseHandoffRate: report.routineFalseHandoffRate, languageAccuracy: report.languageAccuracy, n: report.n };
  const fresh = await handoffRates(loadEmotionCheck()[lang], classify);
  Object.assign(summary[lang] as object, { freshEmotionalHandedOff: fresh.emotionalHandedOff, freshCalmHandedOff: fresh.calmHandedOff });
  sections.push(`${formatReport(lang, report)}\n\nfresh emotion check (emotion-check.json, never used to write the rules): upset handed off ${fresh.emotionalHandedOff}, calm handed off ${fresh.calmHandedOff}`);
}
const text = sections.join('\n\n');
mkdirSync('reports', { recursive: true });
writeFileSync('reports/eval.md', `# NLU evaluation on corpora/heldout\n\n${text}\n`);
writeFileSync('reports/eval.json', JSON.stringify(summary, null, 2));
process.stdout.write(`${text}\n\nsummary: ${JSON.stringify(summary)}\nwritten: reports/eval.md, reports/eval.json\n`);
