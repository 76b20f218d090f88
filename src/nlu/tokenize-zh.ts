const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Character unigrams and bigrams for Chinese, whole words for Latin text, and one NUM token for
 * any number. lang-zh's own stemmer turns words into pinyin and did worse on held-out messages.
 */
export function tokenizeZh(text: string): string[] {
  const tokens: string[] = [];
  let run: string[] = [];
  const flushRun = () => {
    for (let i = 0; i < run.length; i++) {
      tokens.push(run[i]!);
      if (i + 1 < run.length) tokens.push(run[i]! + run[i + 1]!);
    }
    run = [];
  };
  for (const piece of text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\u3400-\u9fff\uf900-\ufaff]|\d+(?:\.\d+)?|[a-z]+|\p{Extended_Pictographic}/gu) ?? []) {
    if (HAN.test(piece)) {
      run.push(piece);
      continue;
    }
    flushRun();
    tokens.push(/^\d/.test(piece) ? 'NUM' : piece);
  }
  flushRun();
  return tokens;
}
