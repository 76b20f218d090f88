import { createPhraseIndex, type PhraseIndex } from '../shared/phrase-index.ts';
import type { Destination, Shop } from './product-schema.ts';

/**
 * Countries and regions buyers name when they ask about shipping abroad, in zh, en and es (and
 * common short forms), by ISO code. A shop's own destinations are matched to these; a named
 * country the shop does not list is one it does not ship to.
 */
export const COUNTRIES: Readonly<Record<string, readonly string[]>> = {
  US: ['美国', 'united states', 'usa', 'the us', 'the states', 'estados unidos', 'eeuu', 'ee.uu', 'ee uu'],
  CA: ['加拿大', 'canada', 'canadá'],
  MX: ['墨西哥', 'mexico', 'méxico'],
  GB: ['英国', 'united kingdom', 'the uk', 'uk', 'england', 'britain', 'reino unido', 'inglaterra'],
  IE: ['爱尔兰', 'ireland', 'irlanda'],
  FR: ['法国', 'france', 'francia'],
  DE: ['德国', 'germany', 'alemania'],
  IT: ['意大利', 'italy', 'italia'],
  ES: ['西班牙', 'spain', 'españa', 'espana'],
  PT: ['葡萄牙', 'portugal'],
  NL: ['荷兰', 'netherlands', 'holland', 'países bajos', 'paises bajos', 'holanda'],
  BE: ['比利时', 'belgium', 'bélgica', 'belgica'],
  CH: ['瑞士', 'switzerland', 'suiza'],
  SE: ['瑞典', 'sweden', 'suecia'],
  PL: ['波兰', 'poland', 'polonia'],
  RU: ['俄罗斯', 'russia', 'rusia'],
  TR: ['土耳其', 'turkey', 'türkiye', 'turquía', 'turquia'],
  AE: ['阿联酋', '迪拜', 'uae', 'dubai', 'emiratos'],
  SA: ['沙特', 'saudi arabia', 'saudi', 'arabia saudita'],
  IN: ['印度', 'india'],
  JP: ['日本', 'japan', 'japón', 'japon'],
  KR: ['韩国', 'south korea', 'korea', 'corea del sur', 'corea'],
  SG: ['新加坡', 'singapore', 'singapur'],
  MY: ['马来西亚', 'malaysia', 'malasia'],
  TH: ['泰国', 'thailand', 'tailandia'],
  VN: ['越南', 'vietnam', 'viet nam'],
  PH: ['菲律宾', 'philippines', 'filipinas'],
  ID: ['印尼', '印度尼西亚', 'indonesia'],
  AU: ['澳大利亚', '澳洲', 'australia'],
  NZ: ['新西兰', 'new zealand', 'nueva zelanda'],
  BR: ['巴西', 'brazil', 'brasil'],
  AR: ['阿根廷', 'argentina'],
  CL: ['智利', 'chile'],
  CO: ['哥伦比亚', 'colombia'],
  PE: ['秘鲁', 'peru', 'perú'],
  NG: ['尼日利亚', 'nigeria'],
  ZA: ['南非', 'south africa', 'sudáfrica', 'sudafrica'],
  HK: ['香港', 'hong kong', 'hongkong'],
  MO: ['澳门', 'macau', 'macao'],
  TW: ['台湾', '臺灣', 'taiwan', 'taiwán'],
};

const CODE_OF = new Map<string, string>(
  Object.entries(COUNTRIES).flatMap(([code, words]) =>
    words.map((w) => [w.toLowerCase(), code] as [string, string]),
  ),
);

/** A destination's key: the country code its name or an alias is known by, else its own zh name. */
export function destinationKey(destination: Destination): string {
  for (const word of [...Object.values(destination.name), ...destination.aliases]) {
    const code = typeof word === 'string' ? CODE_OF.get(word.toLowerCase()) : undefined;
    if (code) return code;
  }
  return `shop:${destination.name.zh}`;
}

/** Every word that names a country or one of the shop's destinations, found in a text (built once per catalog). */
export function placeIndex(shop: Shop): PhraseIndex<string> {
  const words = new Map(CODE_OF);
  for (const d of shop.destinations) {
    const key = destinationKey(d);
    for (const word of [...Object.values(d.name), ...d.aliases])
      if (typeof word === 'string' && word.length >= 2) words.set(word.toLowerCase(), key);
  }
  return createPhraseIndex(words);
}

/** The shop's destination for a place the buyer named, or undefined: the shop does not ship there. */
export function destinationFor(shop: Shop, key: string): Destination | undefined {
  return shop.destinations.find((d) => destinationKey(d) === key);
}
