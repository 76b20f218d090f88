import type { Finding, GuardText } from './guard-text.ts';

// Written-out dots ("evil(.)com", "evil dot com", "tienda punto com", "evil点com") and spaced ones ("evil . com"):
// only with a TLD from COMMON_TLDS, or "Hi . Thanks" would be a link.
const ODD_DOTS = ['(.)', '[.]', '{.}', '(dot)', '[dot]', '{dot}', '<dot>', '点', '點', '·', '•'];
// Not everyday words: "… . Es muy bueno", "… . De nada", "… . Live chat" are sentences.
const COMMON_TLDS = new Set([
  'com', 'net', 'org', 'cn', 'ru', 'io', 'info', 'biz', 'xyz', 'top', 'vip', 'cc', 'tk', 'tv', 'mx', 'ar', 'cl', 'pe', 'uk', 'fr', 'jp', 'kr',
  'hk', 'tw', 'ca', 'au', 'ws', 'ly', 'su', 'ltd', 'icu', 'cyou', 'xin', 'ren',
]);
// File names an agent mentions ("size-chart.pdf") are not links.
const FILE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic', 'bmp', 'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv', 'mp3', 'mp4', 'avi', 'rar', 'apk']);

const isLabelChar = (c: string | undefined) => c !== undefined && (/[\p{L}\p{N}]/u.test(c) || c === '-') && c !== '.';

/** The dot at `j`, if any: how many characters it takes, and whether it is written oddly. */
function dotAt(s: string, j: number): { length: number; odd: boolean } | undefined {
  if (s[j] === '.') return { length: 1, odd: false };
  for (const dot of ODD_DOTS) if (s.startsWith(dot, j)) return { length: dot.length, odd: true };
  let k = j;
  while (s[k] === ' ' && k - j < 2) k += 1;
  if (k === j) return undefined;
  const word = ['dot', 'punto'].find((w) => s.startsWith(w, k) && !/[a-z]/.test(s[k + w.length] ?? ''));
  const inner = s[k] === '.' ? 1 : (word?.length ?? 0);
  if (inner === 0) return undefined;
  let end = k + inner;
  while (s[end] === ' ' && end - (k + inner) < 2) end += 1;
  return { length: end - j, odd: true };
}

interface Host {
  name: string;
  start: number;
  end: number;
  odd: boolean;
}

function hostAt(s: string, start: number): Host {
  const labels: string[] = [];
  let odd = false;
  let i = start;
  let end = start;
  for (;;) {
    const labelStart = i;
    while (i < s.length && isLabelChar(s[i])) i += 1;
    labels.push(s.slice(labelStart, i));
    end = i;
    const dot = dotAt(s, i);
    if (!dot || !isLabelChar(s[i + dot.length])) break;
    odd ||= dot.odd;
    i += dot.length;
  }
  // A leading non-ASCII run is the sentence before the host: 请访问evil.com → evil.com.
  const first = labels[0]!;
  let cut = first.length;
  while (cut > 0 && /[a-z0-9-]/.test(first[cut - 1]!)) cut -= 1;
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
  return schemed || !host.odd || COMMON_TLDS.has(tld);
}

function own(name: string, ownDomains: readonly string[]): boolean {
  return ownDomains.some((d) => {
    const domain = d.toLowerCase();
    return name === domain || name.endsWith(`.${domain}`);
  });
}

/** Links to any site but the shop's own: any TLD, with or without a scheme, dots written any way, or an IP. */
export function linkRule(t: GuardText, ownDomains: readonly string[]): Finding | undefined {
  const s = t.s;
  let i = 0;
  while (i < s.length) {
    if (!isLabelChar(s[i])) {
      i += 1;
      continue;
    }
    const host = hostAt(s, i);
    const schemed = /(?:^|[^a-z])(?:https?|ftp):\/\/$/.test(s.slice(Math.max(0, i - 9), i)) || host.name.startsWith('www.');
    if (isLink(host, schemed) && !own(host.name, ownDomains)) return { rule: 'outside-link', start: host.start, end: host.end };
    i = Math.max(host.end, i + 1);
  }
  return undefined;
}
