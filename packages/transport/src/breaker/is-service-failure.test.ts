import { describe, expect, it } from 'vitest';
import type { ErrorTag } from '@openai-integration/core';
import { allTags, sampleError } from '../../test/support/sample-errors.ts';
import { isServiceFailure } from './is-service-failure.ts';

const unhealthy: readonly ErrorTag[] = [
  'InternalServerError',
  'BadGatewayError',
  'ServiceUnavailableError',
  'GatewayTimeoutError',
  'UnexpectedStatusError',
  'TimeoutError',
  'ConnectionError',
  'StreamInterruptedError',
  'MalformedResponseError',
];

describe('isServiceFailure', () => {
  it.each(allTags.map((tag) => [tag, unhealthy.includes(tag)] as const))('says %s counts against the breaker: %s', (tag, expected) => {
    expect(isServiceFailure(sampleError(tag))).toBe(expected);
  });

  it('counts an unexpected status only from 500 up', () => {
    expect(isServiceFailure(sampleError('UnexpectedStatusError', { status: 500 }))).toBe(true);
    expect(isServiceFailure(sampleError('UnexpectedStatusError', { status: 418 }))).toBe(false);
  });

  it('never counts a rate limit, a quota or an abort', () => {
    expect(isServiceFailure(sampleError('RateLimitError', { origin: 'client' }))).toBe(false);
    expect(isServiceFailure(sampleError('QuotaExceededError'))).toBe(false);
    expect(isServiceFailure(sampleError('AbortedError'))).toBe(false);
  });
});
