import { containerBootstrap, type Container } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { Nlp, type NlpProcessResult } from '@nlpjs/nlp';
import { LANGUAGES, type Language } from '../catalog/product-schema.ts';
import type { Classifier, NluResult } from './classifier.ts';
import { detectEmotionWith } from './detect-emotion.ts';
import { trainEmotionModel, type EmotionModel } from './emotion-model.ts';
import { createLanguageDetector } from './detect-language.ts';
import { extractEntities, type EntityVocabulary } from './extract-entities.ts';
import { isIntentId } from './intent-ids.ts';
import { utterancesOf, type Corpora, type EmotionCorpus } from './load-corpora.ts';
import { tokenizeZh } from './tokenize-zh.ts';

const HAS_FEATURES = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;
/** How many texts nlp.js may remember between two emptyings of its caches (see forgetTextsEvery). */
const TEXTS_REMEMBERED = 2_000;

export interface NlpjsClassifierOptions {
  corpora: Corpora;
  /** Upset and calm examples per language for the emotion model. */
  emotion: Record<Language, EmotionCorpus>;
  vocabulary: EntityVocabulary;
  /** Below this score nlp.js answers None. */
  threshold?: number;
}

/** Trains NLP.js on corpora/ (milliseconds per language) and classifies through it. */
export async function createNlpjsClassifier(options: NlpjsClassifierOptions): Promise<Classifier> {
  const threshold = options.threshold ?? 0.5;
  const container = await containerBootstrap();
  container.use(LangEn);
  container.use(LangEs);
  container.register('tokenizer-zh', { tokenize: (text: string) => tokenizeZh(text) }, true);
  container.register('stemmer-zh', { stem: (tokens: string[]) => tokens }, true);
  const nlp = new Nlp({
    container,
    autoSave: false,
    autoLoad: false,
    calculateSentiment: false,
    forceNER: false,
    threshold,
    nlu: { log: false },
  });
  for (const lang of LANGUAGES) {
    nlp.addLanguage(lang);
    for (const { intent, utterances } of options.corpora[lang].data) {
      // an utterance of punctuation only ("???") has no features and nlp.js warns on stdout
      for (const utterance of utterances) if (HAS_FEATURES.test(utterance)) nlp.addDocument(lang, utterance, intent);
    }
  }
  await nlp.train();
  const emotionModels = Object.fromEntries(
    LANGUAGES.map((lang) => [lang, trainEmotionModel({ upset: options.emotion[lang].upset, calm: [...options.emotion[lang].calm, ...routineUtterances(options.corpora, lang)] }, lang)]),
  ) as Record<Language, EmotionModel>;
  const readOneMore = forgetTextsEvery(TEXTS_REMEMBERED, container, nlp);
  const detectLanguage = createLanguageDetector({
    en: utterancesOf(options.corpora.en).map((u) => u.text),
    es: utterancesOf(options.corpora.es).map((u) => u.text),
  });

  return {
    async classify(text: string, previousLanguage?: Language): Promise<NluResult> {
      const language = detectLanguage(text, previousLanguage);
      readOneMore();
      const result = await classifyIntent(nlp, language, text, threshold);
      const intent = isIntentId(result.intent) ? result.intent : 'None';
      const top = result.classifications[0];
      const confidence = intent === 'None' && top && top.intent !== 'None' ? 1 - top.score : result.score;
      const emotion = detectEmotionWith(emotionModels[language], text, language);
      return {
        text,
        language,
        intent,
        confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 1000) / 1000,
        emotional: emotion.emotional,
        emotionScore: emotion.score,
        entities: extractEntities(text, language, options.vocabulary),
        alternatives: result.classifications
          .filter((c) => c.intent !== 'None' && c.intent !== intent && c.score > 0.02)
          .slice(0, 3)
          .map((c) => c.intent)
          .filter(isIntentId),
      };
    },
  };
}

/**
 * What nlp.process gives for the intent, without the rest of its pipeline (contexts, answers,
 * actions, entity extraction, which we don't use): its NLU manager, then its threshold. The same
 * intent, score and runners-up for all 1,637 held-out texts; a whole classify went from a median of
 * 0.277 and 0.268 ms to 0.235 and 0.225 ms (bench-classify, runs in turn on a busy 2-core EPYC).
 */
async function classifyIntent(nlp: Nlp, language: Language, text: string, threshold: number): Promise<NlpProcessResult> {
  const result = await nlp.nluManager.process({ locale: language, utterance: text, settings: { log: false } });
  if (result.score < threshold) return { ...result, intent: 'None', score: 1 };
  return result;
}

/**
 * nlp.js remembers every text it has read, twice (the en/es tokenizers' cache and each language's
 * NLU prepare cache), and empties them only once they are an hour old: 1-3 KB per distinct message,
 * without bound during a sale. Emptying them every `n` texts keeps repeats ("在吗") cheap and memory flat.
 */
function forgetTextsEvery(n: number, container: Container, nlp: Nlp): () => void {
  let read = 0;
  return () => {
    if (++read < n) return;
    read = 0;
    for (const lang of LANGUAGES) {
      const tokenizer = container.get(`tokenizer-${lang}`) as { cache?: unknown } | undefined;
      if (tokenizer) tokenizer.cache = undefined;
      for (const nlu of Object.values(nlp.nluManager.domainManagers[lang]?.domains ?? {})) if (nlu.cache) nlu.cache.results = {};
    }
  };
}

/** Training messages of routine intents are calm examples too (chasers and complaints are not). */
function routineUtterances(corpora: Corpora, lang: Language): string[] {
  const notCalm = new Set(['complaint', 'human.request', 'order.change', 'order.logistics']);
  return utterancesOf(corpora[lang]).filter((u) => !notCalm.has(u.intent)).map((u) => u.text);
}
