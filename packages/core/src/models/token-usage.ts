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

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const optionalCount = (value: unknown): boolean => value === undefined || value === null || isCount(value);
type Details = { readonly cached_tokens?: unknown; readonly reasoning_tokens?: unknown } | null | undefined;
const detailsOf = (value: unknown): Details | false =>
  value === undefined || value === null ? value : typeof value === 'object' && !Array.isArray(value) ? value : false;

/**
 * The usage of a chat completion read without the schema, for the shape every call
 * returns; undefined for anything else, which the schema then reads (and explains).
 */
export function plainChatUsage(raw: unknown): TokenUsage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const usage = raw as {
    readonly prompt_tokens?: unknown;
    readonly completion_tokens?: unknown;
    readonly total_tokens?: unknown;
    readonly prompt_tokens_details?: unknown;
    readonly completion_tokens_details?: unknown;
  };
  const input = usage.prompt_tokens;
  const output = usage.completion_tokens;
  const total = usage.total_tokens;
  if (!isCount(input) || !isCount(output) || !(total === undefined || isCount(total))) return undefined;
  const cached = detailsOf(usage.prompt_tokens_details);
  const reasoning = detailsOf(usage.completion_tokens_details);
  if (
    cached === false ||
    reasoning === false ||
    !optionalCount(cached?.cached_tokens) ||
    !optionalCount(reasoning?.reasoning_tokens)
  )
    return undefined;
  return {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: (cached?.cached_tokens as number | null | undefined) ?? 0,
    reasoningTokens: (reasoning?.reasoning_tokens as number | null | undefined) ?? 0,
    totalTokens: total ?? input + output,
  };
}

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
  const quick = plainChatUsage(raw);
  return quick === undefined ? usageFromSchema(raw) : ok(quick);
}

/** {@link toTokenUsage} by the schema alone (every shape, and the errors). */
export function usageFromSchema(raw: unknown): Result<TokenUsage, ErrorOf<'ValidationError'>> {
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
  return ok({
    inputTokens: usage.prompt_tokens,
    outputTokens: 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    totalTokens: usage.total_tokens,
  });
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
