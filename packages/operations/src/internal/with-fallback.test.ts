import { createError, fromHttpFailure, type IntegrationError } from '@openai-integration/core';
import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { shouldFallBack, withFallback } from './with-fallback.ts';

const status = (code: number, body: unknown = {}): IntegrationError => fromHttpFailure({ status: code, body });

describe('shouldFallBack', () => {
  it.each([
    [404, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [520, true],
    [418, false],
    [400, false],
    [401, false],
    [429, false],
  ])('moves on after HTTP %i: %s', (code, expected) => {
    expect(shouldFallBack(status(code))).toBe(expected);
  });

  it('moves on when the circuit is open or the context is too long, not on a plain bad request', () => {
    expect(shouldFallBack(createError('CircuitOpenError', { message: 'open', key: 'chat:a', retryAfterMs: 1 }))).toBe(
      true,
    );
    const limited = {
      message: 'limited',
      status: 429,
      code: null,
      type: null,
      param: null,
      requestId: null,
      retryAfterMs: 60_000,
      rateLimit: null,
    } as const;
    expect(shouldFallBack(createError('RateLimitError', { ...limited, origin: 'client', retryable: false }))).toBe(
      true,
    );
    expect(shouldFallBack(createError('RateLimitError', { ...limited, origin: 'server' }))).toBe(false);
    expect(
      shouldFallBack(
        status(400, {
          error: {
            message: 'too long',
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        }),
      ),
    ).toBe(true);
    expect(
      shouldFallBack(
        createError('QuotaExceededError', {
          message: 'quota',
          status: 429,
          code: null,
          type: null,
          param: null,
          requestId: null,
          retryAfterMs: null,
          rateLimit: null,
        }),
      ),
    ).toBe(false);
  });
});

describe('withFallback', () => {
  it('answers with the second model when the first is unknown, and says which was skipped', async () => {
    const tried: string[] = [];
    const result = await withFallback(['gpt-x', 'gpt-4o-mini'], (model) => {
      tried.push(model);
      return model === 'gpt-x' ? errAsync(status(404)) : okAsync(`answer from ${model}`);
    });
    expect(tried).toEqual(['gpt-x', 'gpt-4o-mini']);
    const outcome = result._unsafeUnwrap();
    expect(outcome.value).toBe('answer from gpt-4o-mini');
    expect(outcome.model).toBe('gpt-4o-mini');
    expect(outcome.skipped).toEqual([
      { model: 'gpt-x', reason: expect.stringMatching(/^HTTP 404/) as unknown, errorTag: 'NotFoundError' },
    ]);
  });

  it('skips a model that fails the pre-flight check without calling it', async () => {
    const tried: string[] = [];
    const result = await withFallback(
      ['small', 'large'],
      (model) => {
        tried.push(model);
        return okAsync(model);
      },
      (model) => (model === 'small' ? 'does not fit' : undefined),
    );
    expect(tried).toEqual(['large']);
    expect(result._unsafeUnwrap().skipped).toEqual([{ model: 'small', reason: 'does not fit', errorTag: null }]);
  });

  it('stops at an error that another model would not fix', async () => {
    const tried: string[] = [];
    const result = await withFallback(['a', 'b'], (model) => {
      tried.push(model);
      return errAsync(status(401));
    });
    expect(tried).toEqual(['a']);
    expect(result._unsafeUnwrapErr()._tag).toBe('AuthenticationError');
  });

  it('returns the last model error when every model fails', async () => {
    const result = await withFallback(['a', 'b'], () => errAsync(status(503)));
    expect(result._unsafeUnwrapErr()._tag).toBe('ServiceUnavailableError');
  });

  it('returns a ValidationError naming each model when none can be tried', async () => {
    const result = await withFallback(
      ['a', 'b'],
      (model) => okAsync(model),
      () => 'too small',
    );
    expect(result._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      message: expect.stringMatching(/a: too small; b: too small/) as unknown,
    });
  });
});
