import type { Language } from '../shared/language.ts';
import type { Decision } from '../policy/decide-reply.ts';
import type { IntentBook, LocalizedVariants, SystemTextKey } from './load-intents.ts';
import { renderTemplate, type TemplateContext } from './render-template.ts';

export interface Reply {
  text: string;
  kind: 'answer' | 'handoff';
}

/** Turns a decision into the buyer-facing texts, in the buyer's language. */
export function composeReply(
  decision: Decision,
  book: IntentBook,
  language: Language,
  context: TemplateContext,
  seed: string,
  handoffNotice: SystemTextKey = 'handoff',
): Reply[] {
  const pick = (texts: LocalizedVariants) => renderTemplate(pickVariant(texts[language], seed), context);
  switch (decision.kind) {
    case 'silent':
      return [];
    case 'clarify':
      return [{ text: pick(book.system.clarify), kind: 'answer' }];
    case 'ask-product':
      return [{ text: pick(book.system['ask-product']), kind: 'answer' }];
    case 'handoff': {
      // An answer of its own (e.g. "outside the size chart") comes first; the notice always follows,
      // so the buyer knows when a person will answer, or that nobody is at the desk.
      const own = decision.answerCase ? book.spec(decision.intent).answers[decision.answerCase] : undefined;
      // An upset buyer hears an apology first; the notice never tells them not to be anxious.
      const sorry =
        decision.reason === 'emotional' || decision.intent === 'complaint'
          ? book.system['handoff-sorry']
          : undefined;
      const notice = pick(book.system[handoffNotice]);
      const before = [sorry ? pick(sorry) : undefined, own ? pick(own) : undefined].filter(Boolean);
      return [{ text: [...before, notice].join('\n'), kind: 'handoff' }];
    }
    case 'answer': {
      // The shop's own words (its FAQ), not a template: shown as written.
      if (decision.text) return [{ text: decision.text[language] ?? decision.text.zh, kind: 'answer' }];
      const answers = book.spec(decision.intent).answers;
      const texts = answers[decision.answerCase] ?? answers.default;
      if (!texts)
        throw new Error(`intents: ${decision.intent} has no "${decision.answerCase}" or default answer`);
      return [{ text: pick(texts), kind: 'answer' }];
    }
  }
}

/** The same message always gets the same variant, so a retried job renders the same text. */
export function pickVariant(options: readonly string[], seed: string): string {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) >>> 0;
  return options[hash % options.length]!;
}
