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

/** One space for each run of spaces (tabs, full-width spaces…) within a line; trimmed lines; no more than one empty line in a row. */
function collapseSpaces(text: string): string {
  const lines: string[] = [];
  let blank = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[^\S\n]+/g, ' ').trim();
    blank = line === '' ? blank + 1 : 0;
    if (blank < 2) lines.push(line);
  }
  return lines.join('\n').trim();
}
