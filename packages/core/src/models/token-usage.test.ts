import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { addTokenUsage, tokenUsageSchema, toTokenUsage } from './token-usage.ts';

describe('toTokenUsage', () => {
  it('reads the chat completions shape', () => {
    const usage = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 128, accepted_prediction_tokens: 0 },
    };
    expect(toTokenUsage(usage)).toEqual(ok({ inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920, reasoningTokens: 128, totalTokens: 2306 }));
  });

  it('reads the responses shape', () => {
    const usage = { input_tokens: 328, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 }, output_tokens: 52, output_tokens_details: { reasoning_tokens: 16 }, total_tokens: 380 };
    expect(toTokenUsage(usage)).toEqual(ok({ inputTokens: 328, outputTokens: 52, cachedInputTokens: 0, reasoningTokens: 16, totalTokens: 380 }));
  });

  it('reads the embeddings shape', () => {
    expect(toTokenUsage({ prompt_tokens: 8, total_tokens: 8 })).toEqual(ok({ inputTokens: 8, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 8 }));
  });

  it('treats missing details as 0 and computes a missing total', () => {
    expect(toTokenUsage({ prompt_tokens: 3, completion_tokens: 4, prompt_tokens_details: null })).toEqual(ok({ inputTokens: 3, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 7 }));
    expect(toTokenUsage({ input_tokens: 1, output_tokens: 2, output_tokens_details: { reasoning_tokens: null } })).toEqual(ok({ inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 3 }));
  });

  it('fails with a ValidationError on null usage or bad counts', () => {
    expect(toTokenUsage(null)._unsafeUnwrapErr()).toMatchObject({ _tag: 'ValidationError', message: 'invalid argument input: expected object, received null' });
    expect(toTokenUsage({ prompt_tokens: -1, completion_tokens: 1 })._unsafeUnwrapErr().issues[0]).toMatchObject({ path: 'prompt_tokens', message: 'must be at least 0' });
    expect(toTokenUsage({ input_tokens: 1.5, output_tokens: 1 }).isErr()).toBe(true);
  });
});

describe('addTokenUsage', () => {
  it('adds field by field and stays a valid usage', () => {
    const one = { inputTokens: 1, outputTokens: 2, cachedInputTokens: 3, reasoningTokens: 4, totalTokens: 5 };
    const sum = addTokenUsage(one, one);
    expect(sum).toEqual({ inputTokens: 2, outputTokens: 4, cachedInputTokens: 6, reasoningTokens: 8, totalTokens: 10 });
    expect(tokenUsageSchema.parse(sum)).toEqual(sum);
  });
});
