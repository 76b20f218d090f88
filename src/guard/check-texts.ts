import type { IntentBook } from '../answers/load-intents.ts';
import { allTemplates } from '../answers/load-intents.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { ConfigError } from '../shared/errors.ts';
import { checkOutbound } from './check-outbound.ts';
import type { Campaign } from '../campaigns/campaign-schema.ts';

/**
 * Templates and catalog texts are checked when they load: a phone number in a template would
 * go to every buyer, so it stops start-up, naming where it is and the rule it breaks.
 */
export function assertWithinShopRules(book: IntentBook, catalog: Catalog, ownDomains: readonly string[], campaigns: readonly Campaign[] = []): void {
  const problems: string[] = [];
  for (const { where, language, template } of allTemplates(book)) {
    const verdict = checkOutbound(template.replace(/\{\{[^{}]*\}\}/g, ' '), ownDomains);
    if (!verdict.ok) problems.push(`intents/ ${where} (${language}): ${verdict.rule} "${verdict.match}"`);
  }
  const shop = catalog.shop();
  const texts: [string, string | undefined][] = [
    ...Object.entries(shop.name).map(([lang, t]) => [`shop.name.${lang}`, t] as [string, string]),
    ...shop.promotions.flatMap((p, i) => Object.entries(p.text).map(([lang, t]) => [`shop.promotions[${i}].text.${lang}`, t] as [string, string])),
    ...catalog.products().flatMap((p) =>
      (['name', 'fabric', 'care', 'category'] as const).flatMap((field) => Object.entries(p[field] ?? {}).map(([lang, t]) => [`products[${p.id}].${field}.${lang}`, t] as [string, string])),
    ),
  ];
  for (const c of campaigns) {
    const add = (where: string, t: Record<string, string | string[] | undefined>) =>
      Object.entries(t).forEach(([lang, v]) => [v].flat().forEach((x) => x && texts.push([`campaigns/${c.id} ${where}.${lang}`, x.replace(/\{\{[^{}]*\}\}/g, ' ')])));
    if (c.greeting) add('greeting', c.greeting);
    c.promotions.forEach((p, i) => add(`promotions[${i}]`, p.text));
    for (const [intent, cases] of Object.entries(c.answers)) for (const [name, v] of Object.entries(cases ?? {})) add(`answers.${intent}.${name}`, v);
  }
  for (const [where, text] of texts) {
    const verdict = text ? checkOutbound(text, ownDomains) : { ok: true as const };
    if (!verdict.ok) problems.push(`CATALOG_FILE ${where}: ${verdict.rule} "${verdict.match}"`);
  }
  if (problems.length > 0) throw new ConfigError(`texts that break the shop's rules of conduct:\n  ${problems.join('\n  ')}`);
}
