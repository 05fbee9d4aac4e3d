const piecePattern = /\s*(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_])/gu;

/**
 * Splits text into the pieces that are streamed one per chunk: each piece holds
 * exactly one token (see `countTokens`) with the whitespace before it, and trailing
 * whitespace stays on the last piece, so that the pieces always join back to the
 * text. Whitespace-only text is one piece.
 */
export function splitTokens(text: string): string[] {
  const pieces = text.match(piecePattern) ?? [];
  const covered = pieces.reduce((length, piece) => length + piece.length, 0);
  if (covered === text.length) return pieces;
  const rest = text.slice(covered);
  const last = pieces.pop();
  return last === undefined ? [rest] : [...pieces, `${last}${rest}`];
}
