const tokenPattern = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

/**
 * Counts tokens the way the simulator does, so that tests can predict `usage`.
 *
 * The rule is deliberately simple and deterministic (it is not OpenAI's tokenizer):
 * every run of letters, digits and underscores is one token, every other
 * non-space character is one token, and whitespace is free. `"Hello, world!"` is 4
 * tokens. A streamed reply of N tokens arrives as N content chunks.
 *
 * @example
 * countTokens('The answer is 42.'); // 5
 */
export function countTokens(text: string): number {
  return text.match(tokenPattern)?.length ?? 0;
}
