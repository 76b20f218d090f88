import type { Classifier } from './classifier.ts';

/**
 * A classifier trained on its first use. For a process that rarely classifies (ROLE=web only
 * answers the admin API's classify route): the model's memory (~60 MB) and training (~1.5 s of
 * CPU, during which that process answers nothing) are spent only if someone asks.
 */
export function lazyClassifier(train: () => Promise<Classifier>): Classifier {
  let trained: Promise<Classifier> | undefined;
  return {
    async classify(text, previousLanguage) {
      trained ??= train().catch((err: unknown) => {
        trained = undefined; // the next call tries again
        throw err;
      });
      return (await trained).classify(text, previousLanguage);
    },
  };
}
