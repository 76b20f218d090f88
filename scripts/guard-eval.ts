// The outbound guard on its adversarial and normal sets: leaks and false refusals per language.
// Run: npx tsx scripts/guard-eval.ts
import { evaluateGuard, GUARD_OWN_DOMAINS, worstLongInputMs } from '../test/guard/fixtures/guard-sets.ts';

const result = evaluateGuard();
const pct = (n: number, of: number) => (of === 0 ? '0.0' : ((100 * n) / of).toFixed(1));
process.stdout.write(`own domains: ${GUARD_OWN_DOMAINS.join(', ')}\n\n`);
process.stdout.write('language  adversarial  leaks  wrong-rule  normal  false-refusals  false-refusal-rate\n');
for (const [language, r] of Object.entries(result.byLanguage)) {
  process.stdout.write(
    `${language.padEnd(8)}  ${String(r.adversarial).padStart(11)}  ${String(r.leaks).padStart(5)}  ${String(r.wrongRule).padStart(10)}  ${String(r.normal).padStart(6)}  ${String(r.falseRefusals).padStart(14)}  ${pct(r.falseRefusals, r.normal).padStart(17)}%\n`,
  );
}
const t = result.total;
process.stdout.write(`${'all'.padEnd(8)}  ${String(t.adversarial).padStart(11)}  ${String(t.leaks).padStart(5)}  ${String(t.wrongRule).padStart(10)}  ${String(t.normal).padStart(6)}  ${String(t.falseRefusals).padStart(14)}  ${pct(t.falseRefusals, t.normal).padStart(17)}%\n`);
for (const miss of result.misses) process.stdout.write(`\n${miss.kind} [${miss.language}] ${JSON.stringify(miss.text)}: expected ${miss.expected}, got ${miss.got}`);
const long = worstLongInputMs();
process.stdout.write(`\nworst check time on the sets (first, cold calls included): ${result.worstMs.toFixed(2)} ms\n`);
process.stdout.write(`worst check time on 2,000-character adversarial input (median of 5, warm): ${long.ms.toFixed(2)} ms (${long.name})\n`);
process.exitCode = result.misses.length > 0 ? 1 : 0;
