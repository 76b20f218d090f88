import type { HeldOut } from './load-corpora.ts';

interface Classified {
  language: string;
  intent: string;
  handoff: boolean;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  languageAccuracy: number;
  perIntent: { intent: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: Record<string, Record<string, number>>;
  emotionalHandoffRecall: number;
  routineFalseHandoffRate: number;
  misses: { text: string; expected: string; got: string }[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Scores a classifier on a held-out set it never trained on. */
export async function evaluate(set: HeldOut, classify: (text: string) => Promise<Classified>, intents: readonly string[]): Promise<EvalReport> {
  const confusion: Record<string, Record<string, number>> = {};
  const misses: EvalReport['misses'] = [];
  let correct = 0;
  let n = 0;
  let languageRight = 0;
  for (const { intent, utterances } of set.data) {
    for (const text of utterances) {
      const got = await classify(text);
      n += 1;
      if (got.language === set.locale) languageRight += 1;
      const row = (confusion[intent] ??= {});
      row[got.intent] = (row[got.intent] ?? 0) + 1;
      if (got.intent === intent) correct += 1;
      else misses.push({ text, expected: intent, got: got.intent });
    }
  }
  const perIntent = intents.map((intent) => {
    const tp = confusion[intent]?.[intent] ?? 0;
    const support = Object.values(confusion[intent] ?? {}).reduce((a, b) => a + b, 0);
    const predicted = Object.values(confusion).reduce((a, row) => a + (row[intent] ?? 0), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision: round(precision), recall: round(recall), f1: round(f1), support };
  });
  const scored = perIntent.filter((p) => p.support > 0);
  let emotionalHanded = 0;
  for (const { text } of set.emotional) if ((await classify(text)).handoff) emotionalHanded += 1;
  let calmHanded = 0;
  const routine = set.calm.filter((c) => c.intent !== 'human.request' && c.intent !== 'complaint' && c.intent !== 'order.change');
  for (const { text } of routine) if ((await classify(text)).handoff) calmHanded += 1;
  return {
    n,
    accuracy: round(correct / n),
    macroF1: round(scored.reduce((a, p) => a + p.f1, 0) / scored.length),
    languageAccuracy: round(languageRight / n),
    perIntent,
    confusion,
    emotionalHandoffRecall: round(set.emotional.length ? emotionalHanded / set.emotional.length : 0),
    routineFalseHandoffRate: round(routine.length ? calmHanded / routine.length : 0),
    misses,
  };
}

export function formatReport(lang: string, r: EvalReport): string {
  const lines = [
    `## ${lang}: accuracy ${r.accuracy} · macro-F1 ${r.macroF1} · n ${r.n} · language detected ${r.languageAccuracy}`,
    `emotional hand-off recall ${r.emotionalHandoffRecall} · routine false hand-off rate ${r.routineFalseHandoffRate}`,
    '',
    '| intent | precision | recall | F1 | n |',
    '|---|---|---|---|---|',
    ...r.perIntent.map((p) => `| ${p.intent} | ${p.precision} | ${p.recall} | ${p.f1} | ${p.support} |`),
    '',
    'confusion (expected → got, off-diagonal only):',
    ...Object.entries(r.confusion).flatMap(([expected, row]) =>
      Object.entries(row).filter(([got]) => got !== expected).map(([got, count]) => `  ${expected} → ${got}: ${count}`),
    ),
  ];
  return lines.join('\n');
}

/** Share of upset messages the service hands to a person, and of calm ones it hands off by mistake. */
export async function handoffRates(set: { emotional: { text: string }[]; calm: { text: string; intent: string }[] }, classify: (text: string) => Promise<Classified>): Promise<{ emotionalHandedOff: number; calmHandedOff: number; n: number }> {
  let upset = 0;
  for (const { text } of set.emotional) if ((await classify(text)).handoff) upset += 1;
  const routine = set.calm.filter((c) => c.intent !== 'human.request' && c.intent !== 'complaint' && c.intent !== 'order.change');
  let calm = 0;
  for (const { text } of routine) if ((await classify(text)).handoff) calm += 1;
  return { emotionalHandedOff: round(upset / set.emotional.length), calmHandedOff: round(calm / routine.length), n: set.emotional.length + routine.length };
}
