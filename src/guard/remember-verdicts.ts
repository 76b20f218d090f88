import type { GuardVerdict } from './check-outbound.ts';

export type CheckText = (text: string, knownIds?: readonly string[]) => GuardVerdict;

/**
 * The verdicts of texts checked lately. In a sale the bot sends the same few hundred answers over
 * and over (one product, one template, one size chart), and a full check of a 100-character answer
 * is about 40 µs against the handful the rest of its sending takes. Forgets everything once it
 * holds `capacity` texts: simpler than an LRU, and a sale's answers are back in it within seconds.
 */
export function rememberVerdicts(check: CheckText, capacity = 10_000): CheckText {
  const seen = new Map<string, GuardVerdict>();
  return (text, knownIds = []) => {
    // The ids the bot put in the text change the verdict (an order number may look like a card).
    const key = knownIds.length > 0 ? `${knownIds.join('\u0000')}\u0001${text}` : text;
    const known = seen.get(key);
    if (known) return known;
    const verdict = check(text, knownIds);
    if (seen.size >= capacity) seen.clear();
    seen.set(key, verdict);
    return verdict;
  };
}
