import { createError, fromHttpFailure, type IntegrationError } from '@openai-integration/core';
import { describe, expect, it } from 'vitest';
import { shouldFallBack } from './should-fall-back.ts';

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
