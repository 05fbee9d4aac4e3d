import { describe, expect, expectTypeOf, it } from 'vitest';
// Only the package's own entry: an app that installed operations alone has nothing else.
import {
  isApiError,
  isErrorTag,
  isIntegrationError,
  retryAfterOf,
  type ErrorTag,
  type IntegrationError,
} from '../src/index.ts';

/** An exhaustive switch over every `_tag`: it compiles only when each variant is named. */
function describeFailure(error: IntegrationError): string {
  switch (error._tag) {
    case 'BadRequestError':
    case 'UnprocessableEntityError':
    case 'ValidationError':
    case 'RequestTooLargeError':
      return `fix the request: ${error.message}`;
    case 'ContentFilterError':
      return `rephrase: ${error.verdicts.map((verdict) => verdict.category).join(', ')}`;
    case 'AuthenticationError':
    case 'PermissionDeniedError':
    case 'ConfigError':
      return 'check the key and settings';
    case 'NotFoundError':
      return 'check the model or id';
    case 'ConflictError':
    case 'RateLimitError':
    case 'InternalServerError':
    case 'BadGatewayError':
    case 'ServiceUnavailableError':
    case 'GatewayTimeoutError':
    case 'ConnectionError':
    case 'TimeoutError':
    case 'MalformedResponseError':
    case 'CircuitOpenError':
      return 'try again later';
    case 'QuotaExceededError':
    case 'BudgetExceededError':
      return 'raise the budget';
    case 'StreamInterruptedError':
      return `partial: ${error.partial.text}`;
    case 'AbortedError':
      return 'aborted';
    case 'UnexpectedStatusError':
      return `HTTP ${error.status}`;
    default: {
      const unhandled: never = error;
      return unhandled;
    }
  }
}

describe('the error types, exported by operations', () => {
  it('name the union and its guards, so an app can switch on every _tag without importing core', async () => {
    const { createError } = await import('@openai-integration/core');
    const error: IntegrationError = createError('RateLimitError', {
      message: 'slow down',
      status: 429,
      code: null,
      type: null,
      param: null,
      requestId: null,
      retryAfterMs: 250,
      rateLimit: null,
      origin: 'server',
    });
    expect(describeFailure(error)).toBe('try again later');
    expect(isIntegrationError(error)).toBe(true);
    expect(isApiError(error)).toBe(true);
    expect(isErrorTag(error, 'RateLimitError')).toBe(true);
    expect(retryAfterOf(error)).toBe(250);
    expectTypeOf<ErrorTag>().toEqualTypeOf<IntegrationError['_tag']>();
  });
});
