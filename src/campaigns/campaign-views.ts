import type { Catalog } from '../catalog/catalog.ts';
import type { Shop } from '../catalog/product-schema.ts';
import type { IntentBook, IntentSpec, LocalizedVariants } from '../answers/load-intents.ts';
import type { Clock } from '../shared/clock.ts';
import { activeCampaign } from './load-campaigns.ts';
import type { Campaign } from './campaign-schema.ts';

/**
 * The catalog as buyers see it right now: during a sale its dispatch promise and promotions
 * apply. The window decides, so a sale switches on and off with no restart.
 */
export function campaignAwareCatalog(base: Catalog, campaigns: readonly Campaign[], clock: Clock): Catalog {
  // Per campaign, and per shop data: a catalog replaced while running (catalog-sync.ts) is merged anew.
  const cache = new Map<string, { own: Shop; shop: Shop }>();
  return {
    ...base,
    shop() {
      const campaign = activeCampaign(campaigns, clock.now());
      if (!campaign) return base.shop();
      const own = base.shop();
      let shop = cache.get(campaign.id)?.own === own ? cache.get(campaign.id)!.shop : undefined;
      if (!shop) {
        shop = {
          ...own,
          dispatchDays: campaign.dispatchDays ?? own.dispatchDays,
          promotions: [
            ...campaign.promotions.map((p) => ({ text: p.text, from: campaign.from, to: campaign.to })),
            ...own.promotions,
          ],
        };
        cache.set(campaign.id, { own, shop });
      }
      return shop;
    },
    product: (id) => base.product(id),
    products: () => base.products(),
  };
}

/** The intent book during a sale: the campaign's answers replace the normal ones, and greetings gain its line. */
export function campaignAwareBook(
  base: IntentBook,
  campaigns: readonly Campaign[],
  clock: Clock,
): IntentBook {
  const cache = new Map<string, Map<string, IntentSpec>>();
  return {
    ...base,
    spec(intent) {
      const campaign = activeCampaign(campaigns, clock.now());
      if (!campaign) return base.spec(intent);
      let specs = cache.get(campaign.id);
      if (!specs) cache.set(campaign.id, (specs = new Map()));
      let spec = specs.get(intent);
      if (!spec) {
        const own = base.spec(intent);
        const answers = { ...own.answers, ...(campaign.answers[intent] ?? {}) };
        if (intent === 'greeting' && campaign.greeting && answers.default)
          answers.default = withLine(answers.default, campaign.greeting);
        spec = { ...own, answers };
        specs.set(intent, spec);
      }
      return spec;
    },
  };
}

function withLine(texts: LocalizedVariants, line: Campaign['greeting'] & object): LocalizedVariants {
  const add = (lang: 'zh' | 'en' | 'es') => texts[lang].map((t) => `${t}\n${line[lang] ?? line.zh}`);
  return { zh: add('zh'), en: add('en'), es: add('es') };
}
