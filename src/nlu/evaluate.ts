import type { HeldOut } from './load-corpora.ts';

interface Classified {
  language: string;
  intent: string;
  confidence: number;
  handoff: boolean;
}

export interface CalibrationRow {
  /** Answers given at a confidence from `from` (inclusive) to `to` (exclusive; the last row includes 1). */
  from: number;
  to: number;
  answered: number;
  right: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  languageAccuracy: number;
  perIntent: { intent: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: Record<string, Record<string, number>>;
  /** Upset buyers (the set's `emotional`) handed to a person. */
  emotionalHandoffRecall: number;
  /** Calm buyers asking what the bot answers itself (the set's `calm`) handed to a person. */
  routineFalseHandoffRate: number;
  /**
   * Messages answered with something the buyer did not ask: not handed off, not None (a
   * clarifying question), and not the right intent. The figure buyers feel.
   */
  wrongAnswerRate: number;
  /** Of the answers given at each confidence, how many were right. */
  calibration: CalibrationRow[];
  misses: { text: string; expected: string; got: string }[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const BINS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

/**
 * Scores a classifier on a held-out set it never trained on. `handedOnPurpose`: intents a person
 * handles by design (a complaint, "a person please"); a calm buyer asking one of them is not
 * handed off by mistake.
 */
export async function evaluate(
  set: HeldOut,
  classify: (text: string) => Promise<Classified>,
  intents: readonly string[],
  handedOnPurpose: readonly string[] = [],
): Promise<EvalReport> {
  const confusion: Record<string, Record<string, number>> = {};
  const misses: EvalReport['misses'] = [];
  const calibration: CalibrationRow[] = BINS.slice(0, -1).map((from, i) => ({
    from,
    to: BINS[i + 1]!,
    answered: 0,
    right: 0,
  }));
  let correct = 0;
  let wrong = 0;
  let n = 0;
  let languageRight = 0;
  for (const { intent, utterances } of set.data) {
    for (const text of utterances) {
      const got = await classify(text);
      n += 1;
      if (got.language === set.locale) languageRight += 1;
      const row = (confusion[intent] ??= {});
      row[got.intent] = (row[got.intent] ?? 0) + 1;
      const right = got.intent === intent;
      if (right) correct += 1;
      else misses.push({ text, expected: intent, got: got.intent });
      if (got.handoff || got.intent === 'None') continue;
      if (!right) wrong += 1;
      const bin = calibration.find((b) => got.confidence >= b.from && (got.confidence < b.to || b.to === 1))!;
      bin.answered += 1;
      if (right) bin.right += 1;
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
  const rates = await handoffRates(set, classify, handedOnPurpose);
  return {
    n,
    accuracy: round(correct / n),
    macroF1: round(scored.reduce((a, p) => a + p.f1, 0) / scored.length),
    languageAccuracy: round(languageRight / n),
    perIntent,
    confusion,
    emotionalHandoffRecall: rates.emotionalHandedOff,
    routineFalseHandoffRate: rates.calmHandedOff,
    wrongAnswerRate: round(wrong / n),
    calibration,
    misses,
  };
}

export function formatReport(lang: string, r: EvalReport): string {
  const lines = [
    `## ${lang}: accuracy ${r.accuracy} · macro-F1 ${r.macroF1} · wrong answers ${r.wrongAnswerRate} · n ${r.n} · language detected ${r.languageAccuracy}`,
    `upset buyers to a person ${r.emotionalHandoffRecall} · calm buyers to a person ${r.routineFalseHandoffRate}`,
    '',
    'calibration (answers given, not handed off, by confidence):',
    '',
    '| confidence | answered | right |',
    '|---|---|---|',
    ...r.calibration.map(
      (b) => `| ${b.from}–${b.to} | ${b.answered} | ${b.answered ? round(b.right / b.answered) : '—'} |`,
    ),
    '',
    '| intent | precision | recall | F1 | n |',
    '|---|---|---|---|---|',
    ...r.perIntent.map((p) => `| ${p.intent} | ${p.precision} | ${p.recall} | ${p.f1} | ${p.support} |`),
    '',
    'confusion (expected → got, off-diagonal only):',
    ...Object.entries(r.confusion).flatMap(([expected, row]) =>
      Object.entries(row)
        .filter(([got]) => got !== expected)
        .map(([got, count]) => `  ${expected} → ${got}: ${count}`),
    ),
  ];
  return lines.join('\n');
}

/** Share of upset messages the service hands to a person, and of calm ones it hands off by mistake. */
export async function handoffRates(
  set: { emotional: { text: string }[]; calm: { text: string; intent: string }[] },
  classify: (text: string) => Promise<Pick<Classified, 'handoff'>>,
  handedOnPurpose: readonly string[] = [],
): Promise<{ emotionalHandedOff: number; calmHandedOff: number; n: number }> {
  let upset = 0;
  for (const { text } of set.emotional) if ((await classify(text)).handoff) upset += 1;
  const routine = set.calm.filter((c) => !handedOnPurpose.includes(c.intent));
  let calm = 0;
  for (const { text } of routine) if ((await classify(text)).handoff) calm += 1;
  return {
    emotionalHandedOff: round(set.emotional.length ? upset / set.emotional.length : 0),
    calmHandedOff: round(routine.length ? calm / routine.length : 0),
    n: set.emotional.length + routine.length,
  };
}
