import type { Language } from '../shared/language.ts';

/**
 * A complaint word said not to hold is no cue: "just wanted to make sure it wasn't a scam", "no
 * complaints", "nothing to complain about", "no es una estafa". Up to three small words between.
 */
const NEGATED: Partial<Record<Language, RegExp>> = {
  en: /\b(?:not|never|no|nothing to|isn'?t|wasn'?t|aren'?t|weren'?t|ain'?t|don'?t|doesn'?t|didn'?t|won'?t)\s+(?:(?:a|an|to|have|be|been|being|feel|even|really|at|all|any)\s+){0,3}(?:scam|scammed|fraud|fake|complain|complaints?|complaining|angry|upset|mad|worried|disappointed|annoyed)\b/gi,
  es: /\b(?:no|nunca|ni|sin)\s+(?:(?:es|era|fue|me|estoy|estaba|una|un|ninguna|ningun)\s+){0,2}(?:estafa|fraude|falso|falsa|queja|quejas|quejo|enojad[oa]|enfadad[oa]|molest[oa])\b/gi,
};

/** The text without complaint words said not to hold: they are no sign of a complaint or a mood. */
export function withoutNegatedComplaints(text: string, language: Language): string {
  const negated = NEGATED[language];
  return negated ? text.replace(negated, ' ') : text;
}
