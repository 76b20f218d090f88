/**
 * Text as people can read it: control characters and invisible format characters (zero-width,
 * bidirectional marks, soft hyphens) are
 * dropped: they hide words from rules and NLU, and "RTL override" tricks spoof what agents see.
 * Line breaks and tabs stay.
 */
export function sanitizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
    .replace(/\p{Cf}/gu, '')
    .trim();
}
