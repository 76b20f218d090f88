import type { Language } from '../shared/language.ts';

// A negation, up to three small words, then a word of a mood or of a fraud; not when the negation
// asserts the complaint ("how is this not a scam", "if this isn't a scam"). Literals, so that the
// regex check can read them: the two of a language differ only in the words at the end.
const EN_MOODS =
  /(?<!\bhow (?:is|was|are) (?:this|that|it|these) )(?<!\bif (?:this|that|it) )\b(?:not|never|no|nothing to|(?:is|was|are|were|ai|do|does|did|wo)n[’']?t)\s+(?:(?:a|an|to|have|be|feel|really|at|all|any)\s+){0,3}(?:complain|complaints?|complaining|angry|upset|mad|worried|disappointed|annoyed)\b/giu;
const EN_ALL =
  /(?<!\bhow (?:is|was|are) (?:this|that|it|these) )(?<!\bif (?:this|that|it) )\b(?:not|never|no|nothing to|(?:is|was|are|were|ai|do|does|did|wo)n[’']?t)\s+(?:(?:a|an|to|have|be|feel|really|at|all|any)\s+){0,3}(?:complain|complaints?|complaining|angry|upset|mad|worried|disappointed|annoyed|scam|scammed|fraud|fake)\b/giu;
const ES_MOODS =
  /(?<!\bc[oó]mo (?:que )?)(?<!\bsi )\b(?:no|nunca|sin)\s+(?:(?:es|era|fue|me|estoy|estaba|una|un|ninguna|ning[uú]n)\s+){0,2}(?:queja|quejas|quejo|enojad[oa]|enfadad[oa]|molest[oó]|molesta)\b/giu;
const ES_ALL =
  /(?<!\bc[oó]mo (?:que )?)(?<!\bsi )\b(?:no|nunca|sin)\s+(?:(?:es|era|fue|me|estoy|estaba|una|un|ninguna|ning[uú]n)\s+){0,2}(?:queja|quejas|quejo|enojad[oa]|enfadad[oa]|molest[oó]|molesta|estafa|fraude|falso|falsa)\b/giu;

// A buyer hoping the goods are genuine ("不会是假货吧", "应该不是高仿吧"): 吧 asks, it does not accuse.
const ZH_HOPED = /(?:不会|应该不会|应该不|不)是?(?:假货|假的|高仿|山寨货?)吧/gu;

/**
 * The text without complaint words said not to hold ("just wanted to make sure it wasn't a scam",
 * "no complaints", "nothing to complain about", "no es una estafa", "no me quejo", "不会是假货吧"): they are no sign
 * of a mood. For the intent models (`moodsOnly`) a negated fraud word stays: "how do I know it's
 * not fake" asks whether the item is genuine.
 */
export function withoutNegatedComplaints(text: string, language: Language, moodsOnly = false): string {
  if (language === 'en') return text.replace(moodsOnly ? EN_MOODS : EN_ALL, ' ');
  if (language === 'es') return text.replace(moodsOnly ? ES_MOODS : ES_ALL, ' ');
  return moodsOnly ? text : text.replace(ZH_HOPED, ' ');
}
