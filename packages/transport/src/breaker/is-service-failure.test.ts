import { describe, expect, it } from 'vitest';
import type { ErrorTag } from '@openai-integration/core';
import { allTags, sampleError } from '../../test/support/sample-errors.ts';
import { isServiceFailure, largeRequestBytes } from './is-service-failure.ts';

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
  it.each(allTags.map((tag) => [tag, unhealthy.includes(tag)] as const))(
    'says %s counts against the breaker: %s',
    (tag, expected) => {
      expect(isServiceFailure(sampleError(tag))).toBe(expected);
    },
  );

  it('counts an unexpected status only from 500 up', () => {
    expect(isServiceFailure(sampleError('UnexpectedStatusError', { status: 500 }))).toBe(true);
    expect(isServiceFailure(sampleError('UnexpectedStatusError', { status: 418 }))).toBe(false);
  });

  it('never counts a rate limit, a quota or an abort', () => {
    expect(isServiceFailure(sampleError('RateLimitError', { origin: 'client' }))).toBe(false);
    expect(isServiceFailure(sampleError('QuotaExceededError'))).toBe(false);
    expect(isServiceFailure(sampleError('AbortedError'))).toBe(false);
  });

  it('counts a timeout of an attempt or an idle stream, never the deadline of a call or the total limit of a stream', () => {
    expect(isServiceFailure(sampleError('TimeoutError', { kind: 'attempt' }))).toBe(true);
    expect(isServiceFailure(sampleError('TimeoutError', { kind: 'idle' }))).toBe(true);
    expect(isServiceFailure(sampleError('TimeoutError', { kind: 'deadline' }))).toBe(false);
    expect(isServiceFailure(sampleError('TimeoutError', { kind: 'total' }))).toBe(false);
    expect(isServiceFailure(sampleError('StreamInterruptedError', { reason: 'idle-timeout' }))).toBe(true);
    expect(isServiceFailure(sampleError('StreamInterruptedError', { reason: 'total-timeout' }))).toBe(false);
  });

  it('never counts a failure the request itself caused: too large, or a connection lost while a large body was sent', () => {
    expect(isServiceFailure(sampleError('RequestTooLargeError', { status: 431, part: 'headers' }))).toBe(false);
    expect(isServiceFailure(sampleError('ConnectionError', { requestBytes: largeRequestBytes }))).toBe(false);
    expect(isServiceFailure(sampleError('ConnectionError', { requestBytes: largeRequestBytes - 1 }))).toBe(true);
  });
});
