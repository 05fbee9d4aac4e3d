import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ErrorOf } from '../errors/integration-error.ts';
import { parseInput } from './parse-input.ts';

const count = z.number().int().nonnegative();

/**
 * Token usage in one shape for every endpoint: `inputTokens` (prompt), `outputTokens`
 * (completion, reasoning included), `cachedInputTokens` (the part of the input served
 * from the prompt cache), `reasoningTokens` (the part of the output spent on
 * reasoning) and `totalTokens`.
 */
export const tokenUsageSchema = z.object({
  inputTokens: count,
  outputTokens: count,
  cachedInputTokens: count,
  reasoningTokens: count,
  totalTokens: count,
});

/** Normalised token usage of one call (or a sum of calls). */
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

const cached = z.object({ cached_tokens: count.nullish() }).nullish();
const reasoning = z.object({ reasoning_tokens: count.nullish() }).nullish();

// Plain (not loose) objects: only these fields are read, and `in` narrows the union.
const chatUsage = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count.optional(),
  prompt_tokens_details: cached,
  completion_tokens_details: reasoning,
});

const responsesUsage = z.object({
  input_tokens: count,
  output_tokens: count,
  total_tokens: count.optional(),
  input_tokens_details: cached,
  output_tokens_details: reasoning,
});

const embeddingsUsage = z.object({ prompt_tokens: count, total_tokens: count });

const rawUsage = z.union([chatUsage, responsesUsage, embeddingsUsage]);

/**
 * Converts the `usage` object of any endpoint into a {@link TokenUsage}.
 *
 * Accepts the Chat Completions shape (`prompt_tokens`, `completion_tokens`,
 * `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`),
 * the Responses shape (`input_tokens`, `output_tokens`,
 * `input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`) and
 * the Embeddings shape (`prompt_tokens`, `total_tokens`; no output). Missing details
 * count as 0; a missing `total_tokens` is the sum of input and output.
 *
 * Fails with: `ValidationError` (null usage, as in a stream without `include_usage`,
 * or counts that are not non-negative integers).
 *
 * @example
 * toTokenUsage(completion.usage); // ok({ inputTokens: 19, outputTokens: 10, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 29 })
 */
export function toTokenUsage(raw: unknown): Result<TokenUsage, ErrorOf<'ValidationError'>> {
  const parsed = parseInput(rawUsage, raw);
  if (parsed.isErr()) return err(parsed.error);
  const usage = parsed.value;
  if ('input_tokens' in usage) {
    return ok({
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
      reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
      totalTokens: usage.total_tokens ?? usage.input_tokens + usage.output_tokens,
    });
  }
  if ('completion_tokens' in usage) {
    return ok({
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
      reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
      totalTokens: usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens,
    });
  }
  return ok({ inputTokens: usage.prompt_tokens, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: usage.total_tokens });
}

/** Adds two usages field by field, e.g. to total the calls of a conversation. */
export function addTokenUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    cachedInputTokens: left.cachedInputTokens + right.cachedInputTokens,
    reasoningTokens: left.reasoningTokens + right.reasoningTokens,
    totalTokens: left.totalTokens + right.totalTokens,
  };
}
