/**
 * Shop words looked for in buyers' text (concepts, countries, kinds of item): many short phrases,
 * one pass over the text. Text and phrases are compared plain (lower case, no accents, full-width
 * folded); a phrase's Latin ends must stand alone ("washer" is not in "dishwasher", "uk" not in
 * "duke"), its Chinese ones need not.
 */
export interface PhraseIndex<T> {
  /** The values of every phrase in the text, in the order they start, each once. */
  all(text: string): T[];
  /** The value of the first phrase in the text. */
  first(text: string): T | undefined;
}

/** Lower case, no accents (é → e, ñ → n), full-width folded: how shop words and buyers' text are compared. */
export function plainText(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Whether `word`, found in `text` at `at`, stands alone where it begins or ends with a letter of `edge`. */
export function standsAlone(text: string, at: number, word: string, edge: RegExp = LATIN): boolean {
  return (
    !(edge.test(word[0]!) && edge.test(text[at - 1] ?? ' ')) &&
    !(edge.test(word.at(-1)!) && edge.test(text[at + word.length] ?? ' '))
  );
}

const LATIN = /[a-z]/;

/** `edge`: what a Latin phrase may not touch; item words also refuse a hyphen ("shirt" is not in "t-shirt"). */
export function createPhraseIndex<T>(
  phrases: Iterable<readonly [phrase: string, value: T]>,
  edge: RegExp = LATIN,
): PhraseIndex<T> {
  // By first character: one look-up per position of the text, not one search per phrase.
  const byFirst = new Map<string, { phrase: string; value: T }[]>();
  for (const [raw, value] of phrases) {
    const phrase = plainText(raw);
    if (!phrase) continue;
    const list = byFirst.get(phrase[0]!) ?? [];
    list.push({ phrase, value });
    byFirst.set(phrase[0]!, list);
  }
  const scan = (text: string, onFound: (value: T) => boolean) => {
    const t = plainText(text);
    for (let at = 0; at < t.length; at++) {
      for (const { phrase, value } of byFirst.get(t[at]!) ?? [])
        if (t.startsWith(phrase, at) && standsAlone(t, at, phrase, edge) && onFound(value)) return;
    }
  };
  return {
    all(text) {
      const found = new Set<T>();
      scan(text, (value) => (found.add(value), false));
      return [...found];
    },
    first(text) {
      let found: T | undefined;
      scan(text, (value) => ((found = value), true));
      return found;
    },
  };
}
