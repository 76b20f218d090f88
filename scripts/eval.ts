import { mkdirSync, writeFileSync } from 'node:fs';
import { LANGUAGES, type Language } from '../src/shared/language.ts';
import { loadIntents } from '../src/answers/load-intents.ts';
import { loadJsonCatalog } from '../src/catalog/json-catalog.ts';
import { SAMPLE_CATALOG_FILE } from '../src/config.ts';
import { entityVocabulary } from '../src/nlu/entity-vocabulary.ts';
import { INTENT_IDS } from '../src/nlu/intent-ids.ts';
import { loadCorpora, loadEmotionCorpora, loadEmotionCheck, loadHeldOut } from '../src/nlu/load-corpora.ts';
import { defaultModelCacheDir } from '../src/nlu/model-cache.ts';
import { faqMatcherFor } from '../src/nlu/faq-matcher.ts';
import { createNlpjsClassifier } from '../src/nlu/nlpjs-classifier.ts';
import { createClassifyMessage, createFirstDecisions } from '../src/pipeline/classify-message.ts';
import { evaluateFaq, loadFaqCheck } from '../src/nlu/evaluate-faq.ts';
import type { LocalizedText } from '../src/catalog/product-schema.ts';
import { systemClock } from '../src/shared/clock.ts';
import { evaluate, formatReport, handoffRates } from '../src/nlu/evaluate.ts';

/** `npm run eval`: accuracy, macro-F1, per-intent table, confusion and hand-off figures on corpora/heldout. */
const catalog = loadJsonCatalog(SAMPLE_CATALOG_FILE);
const corpora = loadCorpora();
const classifier = await createNlpjsClassifier({
  corpora,
  emotion: loadEmotionCorpora(),
  vocabulary: entityVocabulary(catalog),
  cacheDir: defaultModelCacheDir(),
});
const deps = {
  classifier,
  intents: loadIntents(),
  catalog,
  faq: faqMatcherFor(corpora),
  clock: systemClock,
  limits: { discount: 20, orderValue: 2000 },
};
const classify = createClassifyMessage(deps);
const book = loadIntents();
/** Intents a person handles by design: asking one of them calmly is no mistaken hand-off. */
const handedOnPurpose = INTENT_IDS.filter((id) => book.spec(id).handling === 'handoff');
const sections: string[] = [];
const summary: Record<string, Record<string, number>> = {};
const calibration: string[] = [];
const emotionCheck = loadEmotionCheck();
const boundaryCheck = loadEmotionCheck('emotion-boundary.json');
for (const lang of LANGUAGES as readonly Language[]) {
  const report = await evaluate(loadHeldOut(lang), classify, INTENT_IDS, handedOnPurpose);
  const fresh = await handoffRates(emotionCheck[lang], classify, handedOnPurpose);
  const boundary = await handoffRates(boundaryCheck[lang], classify, handedOnPurpose);
  summary[lang] = {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    wrongAnswers: report.wrongAnswerRate,
    upsetToPerson: report.emotionalHandoffRecall,
    calmToPerson: report.routineFalseHandoffRate,
    freshUpsetToPerson: fresh.emotionalHandedOff,
    freshCalmToPerson: fresh.calmHandedOff,
    boundaryUpsetToPerson: boundary.emotionalHandedOff,
    boundaryCalmToPerson: boundary.calmHandedOff,
    languageAccuracy: report.languageAccuracy,
    n: report.n,
  };
  sections.push(
    `${formatReport(lang, report)}\n\nfresh emotion check (emotion-check.json, never used to write the rules): upset handed off ${fresh.emotionalHandedOff}, calm handed off ${fresh.calmHandedOff}\nboundary check (emotion-boundary.json): upset handed off ${boundary.emotionalHandedOff}, calm handed off ${boundary.calmHandedOff}`,
  );
  calibration.push(
    `${lang}: ${report.calibration.map((b) => `${b.from}–${b.to} ${b.answered ? `${b.right}/${b.answered}` : '—'}`).join(' · ')}`,
  );
}
const pct = (x: number | undefined) => `${((x ?? 0) * 100).toFixed(1)} %`;
const table = [
  '| corpora/heldout | accuracy | macro-F1 | wrong answers | upset to a person | calm to a person | fresh upset / calm to a person | boundary upset / calm to a person |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...Object.entries(summary).map(
    ([lang, s]) =>
      `| ${lang} (n ${s.n}) | ${pct(s.accuracy)} | ${s.macroF1} | ${pct(s.wrongAnswers)} | ${pct(s.upsetToPerson)} | ${pct(s.calmToPerson)} | ${pct(s.freshUpsetToPerson)} / ${pct(s.freshCalmToPerson)} | ${pct(s.boundaryUpsetToPerson)} / ${pct(s.boundaryCalmToPerson)} |`,
  ),
  '',
  'calibration: of the answers given at each confidence, how many were right',
  ...calibration,
].join('\n');
// The FAQ: paraphrases of the sample catalog's entries, and questions it has no entry for.
const decide = createFirstDecisions(deps);
const entryOf = new Map<LocalizedText, string>(
  [...catalog.shop().faq, ...catalog.products().flatMap((p) => p.faq)].map((e) => [e.a, e.id ?? '?']),
);
const faq = await evaluateFaq(loadFaqCheck(), async (c) => {
  const { decisions } = await decide(c.text, c.productId ?? undefined);
  const answered = decisions.find((d) => d.kind === 'answer' && d.text);
  return answered?.kind === 'answer' && answered.text ? entryOf.get(answered.text) : undefined;
});
const faqTable = [
  '| corpora/heldout/faq-check | paraphrase answered with its entry | with another entry | no entry, answered anyway |',
  '|---|---:|---:|---:|',
  ...Object.entries(faq).map(
    ([lang, f]) =>
      `| ${lang} (${f.paraphrases} + ${f.noEntry}) | ${pct(f.right / f.paraphrases)} | ${pct(f.wrongEntry / f.paraphrases)} | ${pct(f.falseAnswer / f.noEntry)} |`,
  ),
].join('\n');
sections.push(
  `FAQ misses (expected -> answered, product, text):\n${Object.values(faq)
    .flatMap((f) => f.misses)
    .join('\n')}`,
);
mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/eval.md',
  `# NLU evaluation on corpora/heldout\n\n${table}\n\n${faqTable}\n\n${sections.join('\n\n')}\n`,
);
writeFileSync(
  'reports/eval.json',
  JSON.stringify(
    { ...summary, faq: Object.fromEntries(Object.entries(faq).map(([l, { misses: _m, ...f }]) => [l, f])) },
    null,
    2,
  ),
);
process.stdout.write(
  `${table}\n\n${faqTable}\n\nper intent, confusions and FAQ misses: reports/eval.md (and reports/eval.json)\n`,
);
