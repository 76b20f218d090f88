import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../shared/language.ts';
import { ConfigError } from '../shared/errors.ts';
import { INTENT_IDS, type IntentId } from '../nlu/intent-ids.ts';

export const INTENTS_DIR = fileURLToPath(new URL('../../intents/', import.meta.url));

const variants = z.array(z.string().min(1)).min(1);
/** Every buyer-facing text exists in all three languages. */
export const LocalizedVariantsSchema = z.object({ zh: variants, en: variants, es: variants });
export type LocalizedVariants = z.infer<typeof LocalizedVariantsSchema>;

export const IntentSpecSchema = z.object({
  intent: z.enum(INTENT_IDS),
  handling: z.enum(['answer', 'handoff', 'clarify']),
  needs: z.array(z.enum(['product'])).default([]),
  /** Extra reasons to hand this intent to a person: a discount beyond the shop's limit, a big order. */
  handoffIf: z.array(z.enum(['discount-over-limit', 'order-over-value'])).default([]),
  answers: z.record(z.string(), LocalizedVariantsSchema).default({}),
  /** Answer cases a person handles: the case's text is said first, then the hand-off notice. */
  handoffCases: z.array(z.string()).default([]),
});
export type IntentSpec = z.infer<typeof IntentSpecSchema>;

const SystemTextsSchema = z.object({
  'ask-product': LocalizedVariantsSchema,
  clarify: LocalizedVariantsSchema,
  flood: LocalizedVariantsSchema,
  handoff: LocalizedVariantsSchema,
  'handoff-wait': LocalizedVariantsSchema,
  'handoff-nobody': LocalizedVariantsSchema,
  'handoff-closed': LocalizedVariantsSchema,
  /** Said first to an upset buyer handed to a person: an apology, never "don't worry". */
  'handoff-sorry': LocalizedVariantsSchema.optional(),
  /** Added to an answer given while the buyer waits for a person: the person is still coming. */
  'waiting-still': LocalizedVariantsSchema,
  /** The same outside working hours, with when people are back. */
  'waiting-closed': LocalizedVariantsSchema,
  /** Asked once after an agent resolved a conversation (SATISFACTION), and the thanks for a score. */
  'satisfaction-ask': LocalizedVariantsSchema,
  'satisfaction-thanks': LocalizedVariantsSchema,
  /** The thanks for a low score (1–2): sorry, and a person picks it up again if asked. */
  'satisfaction-sorry': LocalizedVariantsSchema,
  'reminder-before-cutoff': LocalizedVariantsSchema,
  'reminder-after-cutoff': LocalizedVariantsSchema,
  'warehouse-stopped': LocalizedVariantsSchema,
  'warehouse-too-late': LocalizedVariantsSchema,
  'reminder-before-cutoff-no-product': LocalizedVariantsSchema,
  'reminder-after-cutoff-no-product': LocalizedVariantsSchema,
});
export type SystemTexts = z.infer<typeof SystemTextsSchema>;
export type SystemTextKey = Exclude<keyof SystemTexts, 'handoff-sorry'>;

const TopicsSchema = z.partialRecord(
  z.enum(INTENT_IDS),
  z.object({ zh: z.string(), en: z.string(), es: z.string() }),
);
export type Topics = Partial<Record<IntentId, Record<Language, string>>>;

export interface IntentBook {
  spec(intent: IntentId): IntentSpec;
  system: SystemTexts;
  topics: Topics;
}

/** Reads intents/*.json: one spec per contract intent, with the answers each handling needs. */
export function loadIntents(dir = INTENTS_DIR): IntentBook {
  const specs = new Map<IntentId, IntentSpec>();
  let system: SystemTexts | undefined;
  let topics: Topics = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const raw: unknown = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
    if (file === 'system.json') system = parse(SystemTextsSchema, raw, file);
    else if (file === 'topics.json') topics = parse(TopicsSchema, raw, file);
    else {
      for (const spec of parse(z.array(IntentSpecSchema), raw, file)) {
        if (specs.has(spec.intent)) throw new ConfigError(`intents/${file}: ${spec.intent} is defined twice`);
        if (spec.handling === 'answer' && !spec.answers.default && Object.keys(spec.answers).length === 0) {
          throw new ConfigError(`intents/${file}: ${spec.intent} is answered but has no answers`);
        }
        const unwritten = spec.handoffCases.filter((c) => !spec.answers[c]);
        if (unwritten.length > 0)
          throw new ConfigError(
            `intents/${file}: ${spec.intent} hands off ${unwritten.join(', ')} but has no such answer`,
          );
        specs.set(spec.intent, spec);
      }
    }
  }
  const missing = INTENT_IDS.filter((id) => !specs.has(id));
  if (missing.length > 0) throw new ConfigError(`intents/ has no spec for: ${missing.join(', ')}`);
  if (!system) throw new ConfigError('intents/system.json is missing');
  const book = system;
  return { spec: (intent) => specs.get(intent)!, system: book, topics };
}

function parse<T extends z.ZodType>(schema: T, raw: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ConfigError(`intents/${file} is invalid:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function allTemplates(book: IntentBook): { where: string; language: Language; template: string }[] {
  const out: { where: string; language: Language; template: string }[] = [];
  const add = (where: string, texts: LocalizedVariants) => {
    for (const language of LANGUAGES)
      for (const template of texts[language]) out.push({ where, language, template });
  };
  for (const id of INTENT_IDS)
    for (const [c, texts] of Object.entries(book.spec(id).answers)) add(`${id}/${c}`, texts);
  for (const [key, texts] of Object.entries(book.system)) add(`system/${key}`, texts);
  return out;
}
