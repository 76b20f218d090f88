import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../src/config.ts';
import { keys } from '../src/shared/keys.ts';
import { configuredTarget, createProducerConnection, waitUntilReady } from '../src/boot/redis-connection.ts';

/**
 * `npm run export-labels`: the buyer messages agents labelled when resolving hand-offs, written to
 * corpora/labels/<date>.json in the corpus format, per language, for a person to review before
 * moving them into corpora/<lang>.json.
 */
const LabelSchema = z.object({
  text: z.string(),
  intent: z.string(),
  language: z.enum(['zh', 'en', 'es']),
  guessed: z.string().optional(),
  at: z.string(),
});

const config = loadConfig();
const redis = createProducerConnection(configuredTarget(config), 'export-labels');
await waitUntilReady(redis, 5_000);
const raw = await redis.lrange(keys(config.KEY_PREFIX).labels(), 0, -1);
redis.disconnect();
const labels = raw.flatMap((line) => {
  const parsed = LabelSchema.safeParse(JSON.parse(line));
  return parsed.success ? [parsed.data] : [];
});
const out: Record<
  string,
  { name: string; locale: string; data: { intent: string; utterances: string[]; botGuessed: string[] }[] }
> = {};
for (const label of labels) {
  const corpus = (out[label.language] ??= {
    name: `labels-${label.language}`,
    locale: label.language,
    data: [],
  });
  let entry = corpus.data.find((d) => d.intent === label.intent);
  if (!entry) corpus.data.push((entry = { intent: label.intent, utterances: [], botGuessed: [] }));
  if (!entry.utterances.includes(label.text)) {
    entry.utterances.push(label.text);
    entry.botGuessed.push(label.guessed ?? '');
  }
}
const dir = process.env.LABELS_DIR ?? 'corpora/labels';
mkdirSync(dir, { recursive: true });
const file = `${dir}/${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`${labels.length} labelled messages written to ${file}\n`);
