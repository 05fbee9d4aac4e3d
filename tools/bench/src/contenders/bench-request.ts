/** The request every contender sends, so that all of them ask the servers for the same thing. */
export const benchRequest = {
  apiKey: 'sk-bench-00000000000000',
  model: 'gpt-4o-mini',
  prompt: 'Say hello in a few words.',
  /** Output limit of a chat call. */
  chatMaxTokens: 16,
  /** Output limit of a streamed call (the servers stream this many text chunks). */
  streamMaxTokens: 1000,
} as const;
