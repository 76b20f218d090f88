import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../shared/language.ts';
import { ConfigError } from '../shared/errors.ts';
import { INTENT_IDS, type IntentId } from './intent-ids.ts';

const intentId = z.enum(INTENT_IDS);

export const CorpusSchema = z.object({
  name: z.string(),
  locale: z.string(),
  data: z.array(z.object({ intent: intentId, utterances: z.array(z.string().min(1)).min(1) })),
});
export type Corpus = z.infer<typeof CorpusSchema>;

export const HeldOutSchema = CorpusSchema.extend({
  emotional: z.array(z.object({ text: z.string().min(1), intent: intentId })).default([]),
  calm: z.array(z.object({ text: z.string().min(1), intent: intentId })).default([]),
});
export type HeldOut = z.infer<typeof HeldOutSchema>;

export const CORPORA_DIR = fileURLToPath(new URL('../../corpora/', import.meta.url));

export type Corpora = Record<Language, Corpus>;

/** corpora/<lang>.json for zh, en and es, validated; every contract intent must be present. */
export function loadCorpora(dir = CORPORA_DIR): Corpora {
  const entries = LANGUAGES.map((lang) => [lang, readCorpus(`${dir}/${lang}.json`, CorpusSchema)] as const);
  for (const [lang, corpus] of entries) {
    const missing = INTENT_IDS.filter((id) => !corpus.data.some((d) => d.intent === id));
    if (missing.length > 0)
      throw new ConfigError(`corpora/${lang}.json has no utterances for: ${missing.join(', ')}`);
  }
  return Object.fromEntries(entries) as Corpora;
}

const LabelledSchema = z.array(z.object({ text: z.string().min(1), intent: intentId }));
export const EmotionCheckSchema = z.record(
  z.enum(LANGUAGES),
  z.object({ emotional: LabelledSchema, calm: LabelledSchema }),
);
export type EmotionCheck = z.infer<typeof EmotionCheckSchema>;

/**
 * corpora/heldout/emotion-check.json: upset and calm messages written apart from the emotion rules;
 * emotion-boundary.json: calm buyers who report a problem in the words upset ones use, and upset
 * ones who write without a single angry word.
 */
export function loadEmotionCheck(
  file: 'emotion-check.json' | 'emotion-boundary.json' = 'emotion-check.json',
  dir = CORPORA_DIR,
): EmotionCheck {
  return readCorpus(`${dir}/heldout/${file}`, EmotionCheckSchema);
}

export const EmotionCorpusSchema = z.object({
  locale: z.string(),
  upset: z.array(z.string().min(1)).min(1),
  calm: z.array(z.string().min(1)).min(1),
});
export type EmotionCorpus = z.infer<typeof EmotionCorpusSchema>;

/** corpora/emotion/<lang>.json: upset and calm buyer messages the emotion model trains on. */
export function loadEmotionCorpora(dir = CORPORA_DIR): Record<Language, EmotionCorpus> {
  return Object.fromEntries(
    LANGUAGES.map((lang) => [lang, readCorpus(`${dir}/emotion/${lang}.json`, EmotionCorpusSchema)]),
  ) as Record<Language, EmotionCorpus>;
}

export function loadHeldOut(lang: Language, dir = CORPORA_DIR): HeldOut {
  return readCorpus(`${dir}/heldout/${lang}.json`, HeldOutSchema);
}

function readCorpus<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new ConfigError(`${file} is invalid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function utterancesOf(corpus: Corpus): { text: string; intent: IntentId }[] {
  return corpus.data.flatMap((d) => d.utterances.map((text) => ({ text, intent: d.intent })));
}

const ConceptsSchema = z.object({
  concepts: z.array(
    z.object({
      id: z.string().min(1),
      /** A thing asked about (a part, a material), not what is asked of it: "hood" in "does the hood come off?". */
      topic: z.boolean().optional(),
      zh: z.array(z.string().min(1)).optional(),
      en: z.array(z.string().min(1)).optional(),
      es: z.array(z.string().min(1)).optional(),
    }),
  ),
});

/** corpora/concepts.json: the words shoppers use for one thing ("机洗", "洗衣机洗"), for matching the shop's FAQ. */
export function loadConcepts(dir = CORPORA_DIR): z.infer<typeof ConceptsSchema>['concepts'] {
  return ConceptsSchema.parse(JSON.parse(readFileSync(`${dir}/concepts.json`, 'utf8'))).concepts;
}
