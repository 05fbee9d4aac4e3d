/** One input to embed, with its token count. */
export interface PlannedInput {
  /** Its position in the caller's list. */
  readonly index: number;
  readonly text: string;
  readonly tokens: number;
}

/** Inputs sent together in one request. */
export interface EmbeddingRequestGroup {
  readonly inputs: readonly PlannedInput[];
  /** The sum of the inputs' tokens. */
  readonly tokens: number;
}

/** Limits of one embeddings request. */
export interface EmbeddingRequestLimits {
  /** At most this many inputs per request (the API takes 2048). */
  readonly maxInputs: number;
  /** At most this many tokens per request (the API takes 300000); an input above it goes alone. */
  readonly maxTokens: number;
}

/**
 * Splits inputs into requests, keeping their order: a request is closed when one more
 * input would pass the count or the token limit. An input that alone passes the token
 * limit gets a request of its own (its size against the model is checked before).
 *
 * @example
 * planEmbeddingRequests(inputs, { maxInputs: 2048, maxTokens: 300_000 }).length;
 */
export function planEmbeddingRequests(
  inputs: readonly PlannedInput[],
  limits: EmbeddingRequestLimits,
): readonly EmbeddingRequestGroup[] {
  const groups: EmbeddingRequestGroup[] = [];
  let current: PlannedInput[] = [];
  let tokens = 0;
  for (const input of inputs) {
    if (current.length > 0 && (current.length >= limits.maxInputs || tokens + input.tokens > limits.maxTokens)) {
      groups.push({ inputs: current, tokens });
      current = [];
      tokens = 0;
    }
    current.push(input);
    tokens += input.tokens;
  }
  if (current.length > 0) groups.push({ inputs: current, tokens });
  return groups;
}
