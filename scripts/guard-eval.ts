// The outbound guard on its sets: leaks and false refusals per language.
// Run: npx tsx scripts/guard-eval.ts [--misses]
// Our own sets must be clean (the exit code says so); the blind sets are a measurement only.
import {
  BLIND_SETS,
  evaluateGuard,
  OWN_SETS,
  worstLongInputMs,
  type GuardSets,
} from '../test/guard/fixtures/guard-sets.ts';

const showMisses = process.argv.includes('--misses');
const pct = (n: number, of: number) => (of === 0 ? '0.0' : ((100 * n) / of).toFixed(1));
const row = (
  name: string,
  r: { adversarial: number; leaks: number; wrongRule: number; normal: number; falseRefusals: number },
) =>
  `${name.padEnd(8)}  ${String(r.adversarial).padStart(11)}  ${String(r.leaks).padStart(5)}  ${pct(r.leaks, r.adversarial).padStart(6)}%  ${String(r.wrongRule).padStart(10)}  ${String(r.normal).padStart(6)}  ${String(r.falseRefusals).padStart(14)}  ${pct(r.falseRefusals, r.normal).padStart(6)}%\n`;

function report(title: string, sets: GuardSets, misses: boolean): number {
  const result = evaluateGuard(sets);
  process.stdout.write(`${title} (own domains: ${sets.ownDomains.join(', ')})\n`);
  process.stdout.write(
    'language  adversarial  leaks   leak%  wrong-rule  normal  false-refusals  refused%\n',
  );
  for (const [language, r] of Object.entries(result.byLanguage)) process.stdout.write(row(language, r));
  process.stdout.write(row('all', result.total));
  if (misses)
    for (const miss of result.misses)
      process.stdout.write(
        `  ${miss.kind} [${miss.language}] ${JSON.stringify(miss.text)}: expected ${miss.expected}, got ${miss.got}\n`,
      );
  process.stdout.write(
    `worst check time on the set (cold calls included): ${result.worstMs.toFixed(2)} ms\n\n`,
  );
  return result.misses.length;
}

const ownMisses = report('own sets', OWN_SETS, true);
report('blind sets', BLIND_SETS, showMisses);
const long = worstLongInputMs();
process.stdout.write(
  `worst check time on 2,000-character adversarial input (median of 5, warm): ${long.ms.toFixed(2)} ms (${long.name})\n`,
);
process.exitCode = ownMisses > 0 ? 1 : 0;
