/** One space for each run of spaces (tabs, full-width spaces…) within a line; trimmed lines; no more than one empty line in a row. */
export function collapseSpaces(text: string): string {
  const lines: string[] = [];
  let blank = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[^\S\n]+/g, ' ').trim();
    blank = line === '' ? blank + 1 : 0;
    if (blank < 2) lines.push(line);
  }
  return lines.join('\n').trim();
}
