/**
 * What the policy reads of an intent's entry in intents/: how it is handled, what it needs, and
 * when a person takes it. The intent books (answers/load-intents.ts) satisfy it.
 */
export interface IntentRules {
  handling: 'answer' | 'handoff' | 'clarify';
  needs: readonly 'product'[];
  /** Extra reasons to hand the intent to a person: a discount beyond the shop's limit, a big order. */
  handoffIf: readonly ('discount-over-limit' | 'order-over-value')[];
  /** Answer cases a person handles: the case's text is said first, then the hand-off notice. */
  handoffCases: readonly string[];
  /** A default answer, said before a hand-off when the intent has one. */
  answers: { default?: unknown };
}
