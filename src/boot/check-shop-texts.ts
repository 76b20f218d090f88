import type { IntentBook } from '../answers/load-intents.ts';
import { allTemplates } from '../answers/load-intents.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { ConfigError } from '../shared/errors.ts';
import { checkOutbound } from '../guard/check-outbound.ts';
import type { Campaign } from '../campaigns/campaign-schema.ts';

/**
 * Templates and catalog texts are checked when they load: a phone number in a template would
 * go to every buyer, so it stops start-up, naming where it is and the rule it breaks.
 */
export function assertWithinShopRules(
  book: IntentBook,
  catalog: Catalog,
  ownDomains: readonly string[],
  campaigns: readonly Campaign[] = [],
): void {
  const problems: string[] = [];
  for (const { where, language, template } of allTemplates(book)) {
    const verdict = checkOutbound(template.replace(/\{\{[^{}]*\}\}/g, ' '), ownDomains);
    if (!verdict.ok) problems.push(`intents/ ${where} (${language}): ${verdict.rule} "${verdict.match}"`);
  }
  const texts = catalogTexts(catalog);
  for (const c of campaigns) {
    const add = (where: string, t: Record<string, string | string[] | undefined>) =>
      Object.entries(t).forEach(([lang, v]) =>
        [v]
          .flat()
          .forEach(
            (x) => x && texts.push([`campaigns/${c.id} ${where}.${lang}`, x.replace(/\{\{[^{}]*\}\}/g, ' ')]),
          ),
      );
    if (c.greeting) add('greeting', c.greeting);
    c.promotions.forEach((p, i) => add(`promotions[${i}]`, p.text));
    for (const [intent, cases] of Object.entries(c.answers))
      for (const [name, v] of Object.entries(cases ?? {})) add(`answers.${intent}.${name}`, v);
  }
  for (const { path, rule, match } of textProblems(texts, ownDomains))
    problems.push(`CATALOG_FILE ${path}: ${rule} "${match}"`);
  if (problems.length > 0)
    throw new ConfigError(`texts that break the shop's rules of conduct:\n  ${problems.join('\n  ')}`);
}

/** A catalog's buyer-facing texts that break the shop's rules, by where they are (a catalog sent to the admin API). */
export function catalogRuleProblems(
  catalog: Catalog,
  ownDomains: readonly string[],
): { path: string; message: string }[] {
  return textProblems(catalogTexts(catalog), ownDomains).map(({ path, rule, match }) => ({
    path,
    message: `breaks the shop rule ${rule}: "${match}"`,
  }));
}

function textProblems(
  texts: readonly [string, string | undefined][],
  ownDomains: readonly string[],
): { path: string; rule: string; match: string }[] {
  const problems: { path: string; rule: string; match: string }[] = [];
  for (const [where, text] of texts) {
    const verdict = text ? checkOutbound(text, ownDomains) : { ok: true as const };
    if (!verdict.ok) problems.push({ path: where, rule: verdict.rule, match: verdict.match });
  }
  return problems;
}

/** Every text of the catalog a buyer may be shown: names, promotions, fabric and care, facts, FAQ answers. */
function catalogTexts(catalog: Catalog): [string, string | undefined][] {
  const shop = catalog.shop();
  const entries = (where: string, t: Record<string, string | undefined> | undefined) =>
    Object.entries(t ?? {}).map(([lang, v]) => [`${where}.${lang}`, v] as [string, string | undefined]);
  return [
    ...entries('shop.name', shop.name),
    ...shop.promotions.flatMap((p, i) => entries(`shop.promotions[${i}].text`, p.text)),
    ...shop.faq.flatMap((e, i) => entries(`shop.faq[${i}].a`, e.a)),
    ...catalog
      .products()
      .flatMap((p) => [
        ...(['name', 'fabric', 'care', 'category'] as const).flatMap((field) =>
          entries(`products[${p.id}].${field}`, p[field]),
        ),
        ...entries(`products[${p.id}].facts.origin`, p.facts.origin),
        ...entries(`products[${p.id}].facts.warranty`, p.facts.warranty),
        ...p.faq.flatMap((e, i) => entries(`products[${p.id}].faq[${i}].a`, e.a)),
      ]),
  ];
}
