import { collapseSpaces } from '../shared/collapse-spaces.ts';

/**
 * Text as people can read it: control characters and invisible format characters (zero-width,
 * bidirectional marks, soft hyphens) are dropped: they hide words from rules and NLU, and "RTL
 * override" tricks spoof what agents see. Runs of spaces become one space, and at most one empty
 * line stands between two lines: nobody reads 800 spaces, and a run of them is what an attacker
 * pumps to make a pattern backtrack.
 */
export function sanitizeText(text: string): string {
  const visible = text
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/\p{Cf}/gu, '');
  return collapseSpaces(visible);
}
