import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';

/**
 * On every answer that is not a page (the JSON API, /healthz, /metrics): no MIME sniffing, and
 * nothing in it may load, run or be framed.
 */
export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
} as const;

/**
 * nosniff on every answer, and a Content-Security-Policy: each page's own, the strict one elsewhere.
 * `pages` maps a path to its HTML file, read once here.
 */
export function securityHeaders(pages: Record<string, string>): RequestHandler {
  const policies = new Map(
    Object.entries(pages).map(([path, file]) => [path, pagePolicy(readFileSync(file, 'utf8'))]),
  );
  return (req, res, next) => {
    // Express matches /Chat/ to the /chat route too: the page must get its policy under any spelling.
    const policy = policies.get(withoutTrailingSlashes(req.path.toLowerCase()));
    res.setHeader('x-content-type-options', SECURITY_HEADERS['x-content-type-options']);
    res.setHeader('content-security-policy', policy ?? SECURITY_HEADERS['content-security-policy']);
    next();
  };
}

/**
 * A page's policy: scripts and styles only from this origin or the page's own inline blocks (by
 * their sha256, computed from the file, so editing a page needs no policy edit), fetches to this
 * origin only, and no framing (clickjacking a desk or dashboard). An inline style="" attribute
 * is allowed by its hash too ('unsafe-hashes'); an inline event handler (onclick=) would be blocked.
 */
export function pagePolicy(html: string): string {
  // The browser hashes the text after the HTML parser turned CR LF into LF.
  const text = html.replace(/\r\n?/g, '\n');
  const scripts = hashes(inlineBlocks(text, 'script'));
  const styles = hashes(inlineBlocks(text, 'style'));
  const styleAttributes = hashes([...text.matchAll(/\sstyle="([^"]*)"/gi)].map((m) => m[1] ?? ''));
  return [
    "default-src 'self'",
    `script-src 'self'${scripts}`,
    `style-src 'self'${styles}${styleAttributes ? ` 'unsafe-hashes'${styleAttributes}` : ''}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function hashes(blocks: readonly string[]): string {
  const unique = new Set(
    blocks.map((block) => `'sha256-${createHash('sha256').update(block).digest('base64')}'`),
  );
  return [...unique].map((h) => ` ${h}`).join('');
}

/** The text inside each `<tag …>…</tag>`, found by scanning rather than by a pattern that could backtrack. */
function inlineBlocks(html: string, tag: string): string[] {
  const lower = html.toLowerCase();
  const blocks: string[] = [];
  for (let at = lower.indexOf(`<${tag}`); at !== -1; at = lower.indexOf(`<${tag}`, at + 1)) {
    const after = lower[at + tag.length + 1] ?? '';
    if (!/[\s>]/.test(after)) continue;
    const open = lower.indexOf('>', at);
    const close = lower.indexOf(`</${tag}>`, open);
    if (open === -1 || close === -1) break;
    blocks.push(html.slice(open + 1, close));
    at = close;
  }
  return blocks;
}

/** The path less its trailing slashes, in one pass: a path is the client's, and /+$ backtracks on a long run of slashes. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end -= 1;
  return path.slice(0, end);
}
