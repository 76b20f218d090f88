import type { Finding, GuardText } from './guard-text.ts';

// Written-out dots ("evil dot com", "tienda punto com", "evil点com", "www 点 evil 点 top") and spaced ones
// ("evil . com"): only with a TLD from COMMON_TLDS, or "Hi . Thanks" would be a link.
const ODD_DOTS = ['点', '點', '·', '•'];
// A dot in brackets is written only to hide a link, so any TLD counts after it: "evil(.)store".
const BRACKET_DOTS = [
  '(.)',
  '[.]',
  '{.}',
  '<.>',
  '(dot)',
  '[dot]',
  '{dot}',
  '<dot>',
  '(点)',
  '[点]',
  '(punto)',
  '[punto]',
];
// Not everyday words: "… . Es muy bueno", "… . De nada", "… . Live chat" are sentences.
const COMMON_TLDS = new Set([
  'com',
  'net',
  'org',
  'cn',
  'ru',
  'io',
  'info',
  'biz',
  'xyz',
  'top',
  'vip',
  'cc',
  'tk',
  'tv',
  'mx',
  'ar',
  'cl',
  'pe',
  'uk',
  'fr',
  'jp',
  'kr',
  'hk',
  'tw',
  'ca',
  'au',
  'ws',
  'ly',
  'su',
  'ltd',
  'icu',
  'cyou',
  'xin',
  'ren',
]);
// TLDs that are everyday words: after a written-out dot ("name dot store", "name 点 shop") only, as
// "live chat . Shop hours" is two sentences.
const WORD_TLDS = new Set([
  'store',
  'shop',
  'online',
  'site',
  'club',
  'co',
  'us',
  'app',
  'live',
  'fun',
  'link',
]);
// File names an agent mentions ("size-chart.pdf") are not links.
const FILE_EXTENSIONS = new Set([
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'heic',
  'bmp',
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'txt',
  'csv',
  'mp3',
  'mp4',
  'avi',
  'rar',
  'apk',
]);

// 点 is a dot, not part of a name: "evil点com" is evil.com, and 点 alone (点一下) starts no label.
const isLabelChar = (c: string | undefined) => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
  if (code >= 0x4e00 && code <= 0x9fff) return c !== '点' && c !== '點';
  return /[\p{L}\p{N}]/u.test(c) && c !== '点' && c !== '點';
};

/** How a dot is written, from the plainest: ".", "(.)", "dot" or 点, " . ". */
const DOT_WORDS = ['dot', 'punto'];
const DOT_STARTS = new Set(['.', '(', '[', '{', '<', 'd', 'p', ...ODD_DOTS]);

type Dot = { length: number; odd: 'no' | 'bracketed' | 'worded' | 'spaced' };
const ODDNESS: readonly Dot['odd'][] = ['no', 'bracketed', 'worded', 'spaced'];

/** The dot at `j`, if any: how many characters it takes, and how oddly it is written. */
function dotAt(s: string, j: number): Dot | undefined {
  if (s[j] === '.') return { length: 1, odd: 'no' };
  const c = s[j];
  if (c !== ' ' && c !== '(' && c !== '[' && c !== '{' && c !== '<' && !ODD_DOTS.includes(c ?? ''))
    return undefined;
  let k = j;
  while (s[k] === ' ' && k - j < 2) k += 1;
  // Most labels end in a plain space before a word: no written dot can start there.
  if (!DOT_STARTS.has(s[k] ?? '')) return undefined;
  const bracket = BRACKET_DOTS.find((w) => s.startsWith(w, k));
  const word =
    ODD_DOTS.find((w) => s.startsWith(w, k)) ??
    DOT_WORDS.find((w) => s.startsWith(w, k) && !/[a-z]/.test(s[k + w.length] ?? ''));
  // A bare space is no dot; '.' after spaces is ("evil . com"), 点 and "dot" with or without them.
  const inner = bracket?.length ?? (s[k] === '.' && k > j ? 1 : (word?.length ?? 0));
  if (inner === 0) return undefined;
  let end = k + inner;
  while (s[end] === ' ' && end - (k + inner) < 2) end += 1;
  return { length: end - j, odd: bracket ? 'bracketed' : word ? 'worded' : 'spaced' };
}

interface Host {
  name: string;
  start: number;
  end: number;
  /** The oddest dot in the name. */
  odd: Dot['odd'];
}

function hostAt(s: string, start: number): Host {
  const labels: string[] = [];
  let odd: Dot['odd'] = 'no';
  let i = start;
  let end: number;
  for (;;) {
    const labelStart = i;
    while (i < s.length && isLabelChar(s[i])) i += 1;
    labels.push(s.slice(labelStart, i));
    end = i;
    const dot = dotAt(s, i);
    if (!dot || !isLabelChar(s[i + dot.length])) break;
    if (ODDNESS.indexOf(dot.odd) > ODDNESS.indexOf(odd)) odd = dot.odd;
    i += dot.length;
  }
  // A leading non-ASCII run is the sentence before the host: 请访问evil.com → evil.com.
  const first = labels[0]!;
  let cut = first.length;
  while (labels.length > 1 && cut > 0 && /[a-z0-9-]/.test(first[cut - 1]!)) cut -= 1;
  const ascii = first.slice(cut);
  const trimmed = labels.length > 1 && ascii.length > 0 && ascii.length < first.length;
  if (trimmed) labels[0] = ascii;
  return { name: labels.join('.'), start: trimmed ? start + first.length - ascii.length : start, end, odd };
}

function isIp(labels: readonly string[]): boolean {
  return labels.length === 4 && labels.every((l) => /^\d{1,3}$/.test(l) && Number(l) <= 255);
}

function isLink(host: Host, schemed: boolean): boolean {
  const labels = host.name.split('.');
  if (labels.some((l) => l === '')) return false;
  if (isIp(labels)) return true;
  if (labels.length < 2) return schemed && labels[0]!.length > 0;
  const tld = labels[labels.length - 1]!;
  if (!/^[a-z]{2,24}$/.test(tld) || FILE_EXTENSIONS.has(tld)) return schemed;
  // "1.Wash cold": a numbered list, unless the TLD is a real one (163.com).
  if (/^\d+$/.test(labels[0]!) && labels.length === 2 && !COMMON_TLDS.has(tld)) return schemed;
  if (schemed || host.odd === 'no' || host.odd === 'bracketed' || COMMON_TLDS.has(tld)) return true;
  return host.odd === 'worded' && WORD_TLDS.has(tld);
}

/** `ownDomains` lower-case (linkRule makes them so once). */
function own(name: string, ownDomains: readonly string[]): boolean {
  return ownDomains.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

/** Links to any site but the shop's own: any TLD, with or without a scheme, dots written any way, or an IP. */
export function linkRule(t: GuardText, shopDomains: readonly string[]): Finding | undefined {
  const ownDomains = shopDomains.map((d) => d.toLowerCase());
  const s = t.s;
  let i = 0;
  while (i < s.length) {
    if (!isLabelChar(s[i])) {
      i += 1;
      continue;
    }
    const host = hostAt(s, i);
    // One label is a link only after a scheme ("http://localhost"): most words end here.
    if (!host.name.includes('.') && s[i - 1] !== '/') {
      i = Math.max(host.end, i + 1);
      continue;
    }
    const schemed =
      (s[i - 1] === '/' && /(?:^|[^a-z])(?:https?|ftp):\/\/$/.test(s.slice(Math.max(0, i - 9), i))) ||
      host.name.startsWith('www.');
    if (isLink(host, schemed) && !own(host.name, ownDomains))
      return { rule: 'outside-link', start: host.start, end: host.end };
    i = Math.max(host.end, i + 1);
  }
  return bracketedHost(s) ?? spelledHost(t, ownDomains);
}

/** "http://[2001:db8::1]/shop": an IPv6 address is a host, and never one of the shop's own names. */
function bracketedHost(s: string): Finding | undefined {
  for (let at = s.indexOf('://['); at !== -1; at = s.indexOf('://[', at + 4)) {
    const close = s.indexOf(']', at + 4);
    if (close !== -1 && close - at <= 4 + 45 && s.slice(at + 4, close).includes(':')) {
      let start = at;
      while (start > 0 && s[start - 1]! >= 'a' && s[start - 1]! <= 'z') start -= 1;
      return { rule: 'outside-link', start, end: close + 1 };
    }
  }
  return undefined;
}

/**
 * A host spelt letter by letter, "e v i l . c o m" or "e-v-i-l.c-o-m": written so only to get past
 * us. Only a common ending counts, so a spaced-out "U . S . A" stays a word.
 */
function spelledHost(t: GuardText, ownDomains: readonly string[]): Finding | undefined {
  const { words, s } = t;
  let i = 0;
  while (i < words.length) {
    let name = words[i]!.w;
    let j = i;
    while (words[j]!.w.length === 1 && words[j + 1]?.w.length === 1) {
      const gap = s.slice(words[j]!.end, words[j + 1]!.start);
      if (
        gap.length > 3 ||
        ![...gap].every((c) => c === ' ' || c === '-' || c === '_' || c === '.') ||
        gap.indexOf('.') !== gap.lastIndexOf('.')
      )
        break;
      name += (gap.includes('.') ? '.' : '') + words[j + 1]!.w;
      j += 1;
    }
    const labels = name.split('.');
    const tld = labels[labels.length - 1]!;
    if (
      j - i >= 4 &&
      labels.length >= 2 &&
      labels.every((l) => l.length > 0) &&
      COMMON_TLDS.has(tld) &&
      !own(name, ownDomains)
    ) {
      return { rule: 'outside-link', start: words[i]!.start, end: words[j]!.end };
    }
    i = j + 1;
  }
  return undefined;
}
