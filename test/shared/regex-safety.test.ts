import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, type Diagnostics } from 'recheck';
import { describe, expect, it } from 'vitest';
import { regexSites, type RegexSite } from '../helpers/regex-sites.ts';

/**
 * Every pattern in src/ runs on text a buyer or an agent wrote (or could reach it), so each must
 * match in linear time: one pattern that backtracks stalls every buyer's reply. recheck proves it
 * with an automaton where it can and fuzzes where it can't; the seed keeps the fuzzing the same
 * every run.
 */
// No time limits inside the analysis: under load they would change its verdicts; its step limits bound it.
const PARAMS = {
  randomSeed: 20261111,
  timeout: null,
  attackTimeout: null,
  incubationTimeout: null,
  seedingTimeout: null,
} as const;

async function unsafe(sites: readonly RegexSite[]): Promise<string[]> {
  const found: string[] = [];
  // A few at a time: each check runs recheck's own process, and the machine has two cores.
  for (let i = 0; i < sites.length; i += 4) {
    const batch = sites.slice(i, i + 4);
    const verdicts = await Promise.all(batch.map((s) => check(s.source, s.flags, PARAMS)));
    verdicts.forEach((verdict, j) => {
      if (verdict.status !== 'safe') found.push(describeUnsafe(batch[j]!, verdict));
    });
  }
  return found;
}

function describeUnsafe(site: RegexSite, verdict: Diagnostics): string {
  const why =
    verdict.status === 'vulnerable'
      ? `${verdict.complexity.summary}, attack ${verdict.attack.pattern}`
      : verdict.status === 'unknown'
        ? `unknown: ${verdict.error.kind}`
        : 'safe';
  return `${site.where} /${site.source}/${site.flags}: ${why}`;
}

describe('regular expressions on buyer and agent text', () => {
  it('are all linear: no two quantifiers can take the same character', { timeout: 300_000 }, async () => {
    const sites = regexSites('src');
    expect(sites.literal.length).toBeGreaterThan(50);
    expect(sites.computed, 'write these patterns as literals so they can be checked').toEqual([]);
    expect(await unsafe(sites.literal)).toEqual([]);
  });

  it(
    'fails on a planted unsafe pattern, and on a pattern built at run time',
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'xiaoer-regex-'));
      try {
        writeFileSync(
          join(dir, 'planted.ts'),
          [
            'export const taxId = (t: string) => t.match(/(?:税号|vat)\\s*(?:是|is)?\\s*[:：]?\\s*(\\w{8,20})/i);',
            'export const fine = (t: string) => /^\\d{2}:\\d{2}$/.test(t);',
            'export const built = (word: string) => new RegExp(`${word}\\\\s*`);',
          ].join('\n'),
        );
        const sites = regexSites(dir);
        expect(sites.literal).toHaveLength(2);
        expect(sites.computed).toHaveLength(1);
        const found = await unsafe(sites.literal);
        expect(found).toHaveLength(1);
        expect(found[0]).toMatch(/planted\.ts:1 .*polynomial/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
