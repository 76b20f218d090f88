import { containerBootstrap, type Container } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangEs } from '@nlpjs/lang-es';
import { Nlp, type NlpProcessResult } from '@nlpjs/nlp';
import { LANGUAGES, type Language } from '../shared/language.ts';
import type { Classifier, NluResult } from './classifier.ts';
import { detectEmotion, detectEmotionWith } from './detect-emotion.ts';
import { trainEmotionModel, type EmotionModel } from './emotion-model.ts';
import { createLanguageDetector } from './detect-language.ts';
import { extractEntities, type EntityVocabulary } from './extract-entities.ts';
import { INTENT_IDS, type IntentId } from './intent-ids.ts';
import {
  loadIntentModel,
  trainIntentModel,
  type IntentModel,
  type SavedIntentModel,
} from './intent-model.ts';
import { utterancesOf, type Corpora, type EmotionCorpus } from './load-corpora.ts';
import { modelKey, readModel, writeModel } from './model-cache.ts';
import { isOnlyDecoration, prepareForIntent, withoutLinks } from './prepare-text.ts';
import { withoutNegatedComplaints } from './without-negated-complaints.ts';

const HAS_FEATURES = /[\p{L}\p{N}\p{Extended_Pictographic}]/u;
/** How many texts nlp.js may remember between two emptyings of its caches (see forgetTextsEvery). */
const TEXTS_REMEMBERED = 2_000;

/**
 * NLP.js's share of the vote; our own model (intent-model.ts) has the rest. In en and es NLP.js
 * reads stemmed words, a view our model lacks: 0.25 was best on corpora/heldout (of 0, 0.25, 0.5,
 * 0.75, 1) and on real buyers. In zh it read our own tokens (characters and pairs, tokenize-zh.ts),
 * the features our model reads, and added only its over-confidence: on real buyers (eval-dev) our
 * model alone answered 84.8 % right against 83.8 % with it, with 3.0 % wrong answers against 5.1 %
 * (held-out: 94.8 % against 95.7 %). So Chinese is read by our model alone.
 */
const NLPJS_WEIGHT: Record<Language, number> = { zh: 0, en: 0.25, es: 0.25 };
const NLPJS_LANGUAGES = LANGUAGES.filter((lang) => NLPJS_WEIGHT[lang] > 0);
/**
 * The upset model's weight decay. With 1e-5 it was sure of a mood
 * from one or two words ("am kind of busy now": 0.96 upset, from "now").
 */
const UPSET_L2 = 1e-3;
/**
 * Below this combined probability the message is not understood (a clarifying question, then a
 * person) rather than answered: on corpora/heldout it keeps wrong answers near 3 % in each language.
 * Our model alone (zh) is better calibrated than the vote: on held-out its answers between 0.45
 * and 0.5 were right 12 times in 14, those between 0.3 and 0.45 9 in 22.
 */
const ANSWER_FROM: Record<Language, number> = { zh: 0.45, en: 0.5, es: 0.5 };

export interface NlpjsClassifierOptions {
  corpora: Corpora;
  /** Upset and calm examples per language for the emotion model. */
  emotion: Record<Language, EmotionCorpus>;
  vocabulary: EntityVocabulary;
  /** Below this combined probability the intent is None, in every language (tests lower it to see raw guesses). */
  threshold?: number;
  /** Where trained models are kept between starts (model-cache.ts); none: always train. */
  cacheDir?: string;
}

/** What training produces, as the model cache keeps it. */
interface SavedModels {
  nlp: string;
  intents: Record<Language, SavedIntentModel>;
  upset: Record<Language, SavedIntentModel>;
}

/**
 * Trains NLP.js and our own models on corpora/ (about ten seconds), or reads them back from the
 * model cache (about a second), and classifies through them.
 */
export async function createNlpjsClassifier(options: NlpjsClassifierOptions): Promise<Classifier> {
  const thresholdOf = (lang: Language) => options.threshold ?? ANSWER_FROM[lang];
  const container = await containerBootstrap();
  container.use(LangEn);
  container.use(LangEs);
  const newNlp = () => {
    const nlp = new Nlp({
      container,
      autoSave: false,
      autoLoad: false,
      calculateSentiment: false,
      forceNER: false,
      threshold: 0,
      nlu: { log: false },
    });
    for (const lang of NLPJS_LANGUAGES) nlp.addLanguage(lang);
    return nlp;
  };
  const key = modelKey({ corpora: options.corpora, emotion: options.emotion });
  let nlp = newNlp();
  const cached = loadModels(nlp, readModel(options.cacheDir, key) as SavedModels | undefined);
  // A cache entry that could not be read may have left part of itself in nlp.js: train a fresh one.
  if (!cached) nlp = newNlp();
  // The calm examples of both emotion models: the calm lines and the routine questions.
  // The emotion models learn from what they will read: the text without negated complaint words.
  const calm = mapLanguages((lang) =>
    [...options.emotion[lang].calm, ...routineUtterances(options.corpora, lang)].map((t) =>
      withoutNegatedComplaints(t, lang),
    ),
  );
  const upset = mapLanguages((lang) =>
    options.emotion[lang].upset.map((t) => withoutNegatedComplaints(t, lang)),
  );
  const { intentModels, upsetModels } = cached ?? (await trainModels(nlp, options, calm, upset));
  if (!cached) {
    writeModel(options.cacheDir, key, {
      nlp: nlp.export(true),
      intents: mapLanguages((lang) => intentModels[lang].export()),
      upset: mapLanguages((lang) => upsetModels[lang].export()),
    } satisfies SavedModels);
  }
  const emotionModels: Record<Language, EmotionModel> = mapLanguages((lang) =>
    trainEmotionModel({ upset: upset[lang], calm: calm[lang] }, lang),
  );
  const readOneMore = forgetTextsEvery(TEXTS_REMEMBERED, container, nlp);
  const detectLanguage = createLanguageDetector({
    en: utterancesOf(options.corpora.en).map((u) => u.text),
    es: utterancesOf(options.corpora.es).map((u) => u.text),
  });

  return {
    async classify(text: string, previousLanguage?: Language): Promise<NluResult> {
      const unlinked = withoutLinks(text);
      const language = detectLanguage(unlinked, previousLanguage);
      readOneMore();
      // A bare product link (or sticker) asks nothing yet: it is answered as a hello that asks what they want to know.
      const ranked = isOnlyDecoration(text)
        ? [{ intent: 'greeting' as const, score: 1 }]
        : await rankIntents(nlp, intentModels[language], language, prepareForIntent(text, language));
      // A thanks is only a thanks when it asks nothing ("蚂蚁花呗可以嘛" is no thanks, whatever its words).
      const [best] = QUESTION[language].test(unlinked) ? ranked.filter((c) => c.intent !== 'thanks') : ranked;
      const intent: IntentId = best && best.score >= thresholdOf(language) ? best.intent : 'None';
      const confidence = best?.score ?? 0;
      const emotion = detectEmotionWith(
        emotionModels[language],
        text,
        language,
        (t) => upsetModels[language].predict(t)[0]!,
      );
      return {
        text,
        language,
        intent,
        confidence: Math.round(Math.max(0, Math.min(1, confidence)) * 1000) / 1000,
        emotional: emotion.emotional,
        emotionScore: emotion.score,
        entities: extractEntities(text, language, options.vocabulary),
        alternatives: ranked
          .filter((c) => c.intent !== 'None' && c.intent !== intent && c.score > 0.05)
          .slice(0, 3)
          .map((c) => c.intent),
      };
    },
  };
}

/** A question mark, or 吗 / 嘛 asking (not the 嘛 of "好嘛", "谢谢嘛", "行嘛"). */
const QUESTION: Record<Language, RegExp> = { zh: /[?？吗]|(?<![好行谢得])嘛/, en: /\?/, es: /[?¿]/ };

/**
 * Every intent with its combined probability, most likely first: our model's and, where it has a
 * share (en, es), NLP.js's scores (its NLU manager alone, without the rest of nlp.process, which
 * we don't use).
 */
async function rankIntents(
  nlp: Nlp,
  model: IntentModel,
  language: Language,
  text: string,
): Promise<{ intent: IntentId; score: number }[]> {
  const weight = NLPJS_WEIGHT[language];
  const combined = model.predict(text).map((p) => (1 - weight) * p);
  if (weight > 0) {
    const result: NlpProcessResult = await nlp.nluManager.process({
      locale: language,
      utterance: text,
      settings: { log: false },
    });
    for (const c of result.classifications) {
      const i = INTENT_IDS.indexOf(c.intent as IntentId);
      if (i >= 0) combined[i]! += weight * c.score;
    }
  }
  return INTENT_IDS.map((intent, i) => ({ intent, score: combined[i]! })).sort((a, b) => b.score - a.score);
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
    for (const lang of NLPJS_LANGUAGES) {
      const tokenizer = container.get(`tokenizer-${lang}`) as { cache?: unknown } | undefined;
      if (tokenizer) tokenizer.cache = undefined;
      for (const nlu of Object.values(nlp.nluManager.domainManagers[lang]?.domains ?? {}))
        if (nlu.cache) nlu.cache.results = {};
    }
  };
}

const mapLanguages = <T>(f: (lang: Language) => T) =>
  Object.fromEntries(LANGUAGES.map((lang) => [lang, f(lang)])) as Record<Language, T>;

type Models = { intentModels: Record<Language, IntentModel>; upsetModels: Record<Language, IntentModel> };

async function trainModels(
  nlp: Nlp,
  options: NlpjsClassifierOptions,
  calm: Record<Language, string[]>,
  upsetLines: Record<Language, string[]>,
): Promise<Models> {
  // Both intent models read the same prepared text.
  const samples = mapLanguages((lang) =>
    utterancesOf(options.corpora[lang])
      .filter((u) => trainable(u.text))
      .map((u) => ({ ...u, text: prepareForIntent(u.text, lang) })),
  );
  for (const lang of NLPJS_LANGUAGES)
    for (const { text, intent } of samples[lang]) nlp.addDocument(lang, text, intent);
  await nlp.train();
  const intentModels = mapLanguages((lang) => trainIntentModel(samples[lang], INTENT_IDS, lang));
  // P(upset): the upset examples and the complaints against the calm examples and routine
  // questions, on the intent model's features; better calibrated than the naive Bayes.
  const upsetModels = mapLanguages((lang) => {
    const upset = [
      ...upsetLines[lang],
      ...complaintUtterances(options.corpora, lang).map((t) => withoutNegatedComplaints(t, lang)),
    ];
    return trainIntentModel(
      [
        ...upset.map((text) => ({ text, intent: 'upset' })),
        ...calm[lang].map((text) => ({ text, intent: 'calm' })),
      ],
      ['upset', 'calm'],
      lang,
      { l2: UPSET_L2 },
    );
  });
  return { intentModels, upsetModels };
}

/** The models of a cache entry, or undefined when there is none or it does not fit. */
function loadModels(nlp: Nlp, saved: SavedModels | undefined): Models | undefined {
  if (!saved) return undefined;
  try {
    const intentModels = mapLanguages((lang) => loadIntentModel(saved.intents[lang], lang));
    const upsetModels = mapLanguages((lang) => loadIntentModel(saved.upset[lang], lang));
    if (LANGUAGES.some((lang) => !intentModels[lang] || !upsetModels[lang])) return undefined;
    nlp.import(saved.nlp);
    return { intentModels, upsetModels } as Models;
  } catch {
    return undefined;
  }
}

/** A bare link is never classified (it is answered as a hello), nor is a text of punctuation only (nlp.js warns on stdout). */
function trainable(utterance: string): boolean {
  return HAS_FEATURES.test(utterance) && !isOnlyDecoration(utterance);
}

/** Complaints are upset examples for the logistic model: most are written in anger. */
function complaintUtterances(corpora: Corpora, lang: Language): string[] {
  return utterancesOf(corpora[lang])
    .filter((u) => u.intent === 'complaint')
    .map((u) => u.text);
}

/** Training messages of routine intents are calm examples too (chasers and complaints are not). */
function routineUtterances(corpora: Corpora, lang: Language): string[] {
  const notCalm = new Set(['complaint', 'order.change', 'order.logistics']);
  // An angry buyer with a clear ask ("third time I ask: cancel it!") keeps that ask's intent: not a calm example.
  return utterancesOf(corpora[lang])
    .filter((u) => !notCalm.has(u.intent) && detectEmotion(u.text, lang).score === 0)
    .map((u) => u.text);
}
