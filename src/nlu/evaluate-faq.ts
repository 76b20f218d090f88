import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../shared/language.ts';
import { CORPORA_DIR } from './load-corpora.ts';

/** A buyer's question about an item (or none), and the FAQ entry that answers it, or null when none does. */
export const FaqCaseSchema = z.object({
  text: z.string().min(1),
  lang: z.enum(LANGUAGES),
  productId: z.string().nullable(),
  expect: z.string().nullable(),
});
export type FaqCase = z.infer<typeof FaqCaseSchema>;

/** corpora/heldout/faq-check.json: paraphrases of the sample catalog's FAQ and questions it has no entry for. */
export function loadFaqCheck(dir = CORPORA_DIR): FaqCase[] {
  return z.array(FaqCaseSchema).parse(JSON.parse(readFileSync(`${dir}/heldout/faq-check.json`, 'utf8')));
}

export interface FaqFigures {
  /** Paraphrased questions answered with their entry. */
  right: number;
  /** Paraphrased questions answered with another entry. */
  wrongEntry: number;
  /** Questions with no entry that got one anyway. */
  falseAnswer: number;
  paraphrases: number;
  noEntry: number;
  misses: string[];
}

/** How often the FAQ answers a question with the right entry, and how often it answers one it has no entry for. */
export async function evaluateFaq(
  cases: readonly FaqCase[],
  answeredEntry: (c: FaqCase) => Promise<string | undefined>,
): Promise<Record<Language, FaqFigures>> {
  const out = Object.fromEntries(
    LANGUAGES.map((l) => [
      l,
      { right: 0, wrongEntry: 0, falseAnswer: 0, paraphrases: 0, noEntry: 0, misses: [] as string[] },
    ]),
  ) as Record<Language, FaqFigures>;
  for (const c of cases) {
    const f = out[c.lang];
    const got = await answeredEntry(c);
    if (c.expect) {
      f.paraphrases += 1;
      if (got === c.expect) f.right += 1;
      else if (got) f.wrongEntry += 1;
    } else {
      f.noEntry += 1;
      if (got) f.falseAnswer += 1;
    }
    if (got !== (c.expect ?? undefined))
      f.misses.push(`${c.expect ?? '—'} -> ${got ?? '—'}\t${c.productId ?? ''}\t${c.text}`);
  }
  return out;
}
