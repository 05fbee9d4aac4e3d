import { describe, expect, it } from 'vitest';
import {
  createError,
  defaultRetryable,
  isApiError,
  isErrorTag,
  isIntegrationError,
  retryAfterOf,
  withErrorFields,
  type IntegrationError,
} from './integration-error.ts';

const timeout = createError('TimeoutError', {
  message: 'attempt timed out after 30000 ms',
  kind: 'attempt',
  timeoutMs: 30_000,
});

describe('createError', () => {
  it('builds a frozen plain object with the default retryable of its tag', () => {
    expect(timeout).toEqual({
      _tag: 'TimeoutError',
      message: 'attempt timed out after 30000 ms',
      kind: 'attempt',
      timeoutMs: 30_000,
      retryable: true,
    });
    expect(Object.isFrozen(timeout)).toBe(true);
  });

  it('lets retryable be overridden', () => {
    expect(createError('ConnectionError', { message: 'x', code: 'ECONNRESET', retryable: false }).retryable).toBe(
      false,
    );
  });

  it('keeps cause but never serialises it', () => {
    const error = createError('ConnectionError', {
      message: 'socket hang up',
      code: 'ECONNRESET',
      cause: new Error('secret body'),
    });
    expect(error.cause).toBeInstanceOf(Error);
    expect(JSON.stringify(error)).not.toContain('secret body');
  });
});

describe('withErrorFields', () => {
  it('returns a copy with changed fields and the same cause', () => {
    const cause = new Error('root');
    const error = createError('AbortedError', { message: 'aborted', reason: null, cause });
    const copy = withErrorFields(error, { attempts: 3 });
    expect(copy).toEqual({ ...error, attempts: 3 });
    expect(copy.cause).toBe(cause);
    expect(error.attempts).toBeUndefined();
  });

  it('copies an error without cause', () => {
    expect(withErrorFields(timeout, { attempts: 2 }).cause).toBeUndefined();
  });
});

describe('isIntegrationError', () => {
  it('recognises variants by tag, not by class', () => {
    expect(isIntegrationError(timeout)).toBe(true);
    expect(isIntegrationError({ ...timeout })).toBe(true);
    expect(isIntegrationError({ _tag: 'NotOurs', message: 'x' })).toBe(false);
    expect(isIntegrationError({ _tag: 'TimeoutError' })).toBe(false);
    expect(isIntegrationError(new Error('x'))).toBe(false);
    expect(isIntegrationError(null)).toBe(false);
    expect(isIntegrationError('TimeoutError')).toBe(false);
  });
});

describe('isErrorTag', () => {
  it('narrows to the listed tags', () => {
    const error: IntegrationError = timeout;
    expect(isErrorTag(error, 'TimeoutError', 'AbortedError')).toBe(true);
    expect(isErrorTag(error, 'ConfigError')).toBe(false);
  });
});

describe('isApiError and retryAfterOf', () => {
  it('tell HTTP variants apart and read their retry hint', () => {
    const limited = createError('RateLimitError', {
      message: 'HTTP 429',
      origin: 'server',
      status: 429,
      code: null,
      type: null,
      param: null,
      requestId: null,
      retryAfterMs: 1_500,
      rateLimit: null,
    });
    expect(isApiError(limited)).toBe(true);
    expect(isApiError(timeout)).toBe(false);
    expect(retryAfterOf(limited)).toBe(1_500);
    expect(retryAfterOf(createError('CircuitOpenError', { message: 'open', key: 'chat', retryAfterMs: 400 }))).toBe(
      400,
    );
    expect(retryAfterOf(timeout)).toBeNull();
  });
});

describe('defaultRetryable', () => {
  it('treats only transient failures as retryable', () => {
    const retryable = Object.entries(defaultRetryable)
      .filter(([, value]) => value)
      .map(([tag]) => tag);
    expect(retryable.sort()).toEqual(
      [
        'BadGatewayError',
        'ConflictError',
        'ConnectionError',
        'GatewayTimeoutError',
        'InternalServerError',
        'MalformedResponseError',
        'RateLimitError',
        'ServiceUnavailableError',
        'StreamInterruptedError',
        'TimeoutError',
      ].sort(),
    );
  });
});
