import fc from 'fast-check';
import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { addTokenUsage, plainChatUsage, tokenUsageSchema, toTokenUsage, usageFromSchema } from './token-usage.ts';

describe('toTokenUsage', () => {
  it('reads the chat completions shape', () => {
    const usage = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 128, accepted_prediction_tokens: 0 },
    };
    expect(toTokenUsage(usage)).toEqual(
      ok({ inputTokens: 2006, outputTokens: 300, cachedInputTokens: 1920, reasoningTokens: 128, totalTokens: 2306 }),
    );
  });

  it('reads the responses shape', () => {
    const usage = {
      input_tokens: 328,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 52,
      output_tokens_details: { reasoning_tokens: 16 },
      total_tokens: 380,
    };
    expect(toTokenUsage(usage)).toEqual(
      ok({ inputTokens: 328, outputTokens: 52, cachedInputTokens: 0, reasoningTokens: 16, totalTokens: 380 }),
    );
  });

  it('reads the embeddings shape', () => {
    expect(toTokenUsage({ prompt_tokens: 8, total_tokens: 8 })).toEqual(
      ok({ inputTokens: 8, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 8 }),
    );
  });

  it('treats missing details as 0 and computes a missing total', () => {
    expect(toTokenUsage({ prompt_tokens: 3, completion_tokens: 4, prompt_tokens_details: null })).toEqual(
      ok({ inputTokens: 3, outputTokens: 4, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 7 }),
    );
    expect(
      toTokenUsage({ input_tokens: 1, output_tokens: 2, output_tokens_details: { reasoning_tokens: null } }),
    ).toEqual(ok({ inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 3 }));
  });

  it('fails with a ValidationError on null usage or bad counts', () => {
    expect(toTokenUsage(null)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      message: 'invalid argument input: expected object, received null',
    });
    expect(toTokenUsage({ prompt_tokens: -1, completion_tokens: 1 })._unsafeUnwrapErr().issues[0]).toMatchObject({
      path: 'prompt_tokens',
      message: 'must be at least 0',
    });
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

describe('plainChatUsage', () => {
  const count = fc.oneof(
    { weight: 6, arbitrary: fc.nat() },
    fc.constantFrom(undefined, null, -1, 1.5, Number.NaN, 2 ** 53, '3'),
  );
  const details = (field: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ [field]: count, audio_tokens: fc.nat() }, { requiredKeys: [] }) },
      fc.constantFrom(undefined, null, [], 'x', 7),
    );
  const usage = fc.record(
    {
      prompt_tokens: count,
      completion_tokens: count,
      total_tokens: count,
      prompt_tokens_details: details('cached_tokens'),
      completion_tokens_details: details('reasoning_tokens'),
      input_tokens: fc.constantFrom(undefined, 5),
    },
    { requiredKeys: [] },
  );

  it('reads the chat shape exactly as the schema does, and leaves anything else to it', () => {
    let quick = 0;
    fc.assert(
      fc.property(usage, (value) => {
        const read = plainChatUsage(value);
        if (read !== undefined) {
          quick += 1;
          expect(usageFromSchema(value)).toEqual(ok(read));
        }
      }),
      { numRuns: 3_000 },
    );
    expect(quick).toBeGreaterThan(100);
  });

  it('is undefined for what is not a chat usage object', () => {
    for (const value of [
      null,
      'usage',
      { input_tokens: 1, output_tokens: 2 },
      { prompt_tokens: 8, total_tokens: 8 },
      { prompt_tokens: 1, completion_tokens: -1 },
    ]) {
      expect(plainChatUsage(value)).toBeUndefined();
    }
  });
});
