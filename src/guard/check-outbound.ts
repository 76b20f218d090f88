import { addressRule } from './address-rule.ts';
import { ibanRule, idRule, inviteRule, numberRule } from './contact-rules.ts';
import { prepare, type Finding, type GuardRule, type GuardText } from './guard-text.ts';
import { linkRule } from './link-rule.ts';
import { lureRule } from './lure-rule.ts';
import { profanityRule } from './profanity-rule.ts';
import { originalOf } from './skeleton.ts';

export type { GuardRule } from './guard-text.ts';

/** `match` quotes the original text that broke the rule (as written: spaced, full-width, 一三八…). */
export type GuardVerdict = { ok: true } | { ok: false; rule: GuardRule; match: string };

/** In this order: the most specific reading of a text names the rule (加微信转账 is a lure first). */
const RULES: readonly ((t: GuardText, ownDomains: readonly string[]) => Finding | undefined)[] = [
  numberRule,
  ibanRule,
  idRule,
  lureRule,
  inviteRule,
  addressRule,
  linkRule,
  profanityRule,
];

/**
 * The shop's rules of conduct, on every message that leaves: no phone numbers, bank accounts,
 * QQ or WeChat ids or invitations, street addresses, links to other sites, lures off the
 * platform, or rude words, in zh, en or es, however they are written. `ownDomains`: the shop's
 * own sites (SHOP_DOMAINS), whose links are allowed. `knownIds`: ids the bot itself put in the text
 * (the buyer's order number), which may look like a phone or a card.
 *
 * Every step is a linear scan (no backtracking regex): it runs on the HTTP thread.
 */
export function checkOutbound(
  text: string,
  ownDomains: readonly string[] = [],
  knownIds: readonly string[] = [],
): GuardVerdict {
  const t = prepare(text, knownIds);
  for (const rule of RULES) {
    const found = rule(t, ownDomains);
    if (found)
      return {
        ok: false,
        rule: found.rule,
        match: originalOf(t.sk, text, found.start, found.end).trim() || t.s.slice(found.start, found.end),
      };
  }
  return { ok: true };
}
