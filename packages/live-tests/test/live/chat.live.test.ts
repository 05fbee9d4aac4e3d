import { defaultPriceTable, findPrice } from '@openai-integration/operations';
import { describe, expect, it } from 'vitest';
import { suite, suiteOperations } from './support/live-suite.ts';

const maxOutput = 16;

describe('chat.create', () => {
  it('answers a short prompt within the output limit, with request id, usage and cost', async () => {
    const operations = suiteOperations();
    const answer = await operations.chat.create({
      model: suite.chatModel,
      messages: [{ role: 'user', content: 'Reply with the single word: pong' }],
      max_completion_tokens: maxOutput,
    });
    expect(answer.isOk()).toBe(true);
    const { value, meta } = answer._unsafeUnwrap();
    expect(value.text).toEqual(expect.any(String));
    expect(value.text?.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(value.finishReason);
    // The API answers with a dated snapshot, e.g. gpt-4.1-nano-2025-04-14.
    expect(meta.model.startsWith(suite.chatModel)).toBe(true);
    expect(meta.requestId).toMatch(/\S+/);
    expect(meta.attempts).toBeGreaterThanOrEqual(1);
    expect(meta.usage?.inputTokens).toBeGreaterThan(0);
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(meta.usage?.outputTokens).toBeLessThanOrEqual(maxOutput);
    // The cost is known for every model of the price table (dated snapshots included).
    expect(meta.costUsd).toEqual(
      findPrice(defaultPriceTable, suite.chatModel) === undefined ? null : expect.any(Number),
    );
  });

  it('reports the rate-limit headers of the response in meta.rateLimit', async ({ skip }) => {
    skip(
      !suite.expectRateLimitHeaders,
      'this endpoint is not api.openai.com: proxies and Azure often send no x-ratelimit-* headers',
    );
    const answer = await suiteOperations().chat.create({
      model: suite.chatModel,
      messages: [{ role: 'user', content: 'Say hi' }],
      max_completion_tokens: maxOutput,
    });
    const { rateLimit } = answer._unsafeUnwrap().meta;
    expect(rateLimit).not.toBeNull();
    expect(rateLimit?.requests.limit).toBeGreaterThan(0);
    expect(rateLimit?.requests.remaining).toEqual(expect.any(Number));
    expect(rateLimit?.tokens.limit).toBeGreaterThan(0);
    expect(rateLimit?.tokens.resetMs).toEqual(expect.any(Number));
  });

  it('gives NotFoundError (404, model_not_found) for a model that does not exist, without retrying', async () => {
    const answer = await suiteOperations().chat.create({
      model: 'gpt-oi-live-no-such-model',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: maxOutput,
    });
    expect(answer.isErr()).toBe(true);
    expect(answer._unsafeUnwrapErr()).toMatchObject({
      _tag: 'NotFoundError',
      status: 404,
      code: 'model_not_found',
      retryable: false,
      attempts: 1,
    });
  });
});
