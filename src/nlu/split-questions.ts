/**
 * Splits "有黑色吗，什么时候发货" into its clauses, so each question can be answered. Pieces too
 * short to be a question on their own ("亲", "ok") stay with their neighbour.
 */
export function splitQuestions(text: string): string[] {
  const pieces = text
    .split(/[，,。.？?！!；;\n]+|(?:还有|另外|顺便问下|顺便问一下|also|también|tambien)/i)
    .map((p) => p.trim())
    .filter(Boolean);
  const clauses: string[] = [];
  for (const piece of pieces) {
    const meaningful = piece.replace(/[^\p{L}\p{N}]/gu, '').length;
    if (meaningful < 3 && clauses.length > 0) clauses[clauses.length - 1] += ` ${piece}`;
    else clauses.push(piece);
  }
  return clauses;
}
