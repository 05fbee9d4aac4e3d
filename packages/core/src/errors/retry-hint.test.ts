import { describe, expect, it, vi } from 'vitest';
import { toRetryAfterMs, toShouldRetry } from './retry-hint.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

describe('toRetryAfterMs', () => {
  it('reads retry-after-ms as float milliseconds, including 0', () => {
    expect(toRetryAfterMs({ 'retry-after-ms': '250' }, null, now)).toBe(250);
    expect(toRetryAfterMs({ 'retry-after-ms': '0' }, null, now)).toBe(0);
    expect(toRetryAfterMs({ 'retry-after-ms': '12.5' }, null, now)).toBe(12.5);
  });

  it('reads retry-after as seconds', () => {
    expect(toRetryAfterMs({ 'retry-after': '20' }, null, now)).toBe(20_000);
    expect(toRetryAfterMs({ 'retry-after': '0.5' }, null, now)).toBe(500);
  });

  it('reads retry-after as an HTTP date against the injected clock', () => {
    expect(toRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, null, now)).toBe(30_000);
  });

  it('gives 0 for an HTTP date in the past', () => {
    expect(toRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, null, now)).toBe(0);
  });

  it.each([
    ['Rate limit reached. Please try again in 174ms.', 174],
    ['Please try again in 20s.', 20_000],
    ['Please try again in 1m30s.', 90_000],
    ['Please try again in 7.2s. Visit https://platform.openai.com/account/rate-limits', 7_200],
    ['try again in 1h2m3s', 3_723_000],
  ])('reads "%s" from the message', (message, expected) => {
    expect(toRetryAfterMs(undefined, message, now)).toBe(expected);
  });

  it('prefers retry-after-ms over retry-after over the message', () => {
    const message = 'Please try again in 20s.';
    expect(toRetryAfterMs({ 'retry-after-ms': '0', 'retry-after': '5' }, message, now)).toBe(0);
    expect(toRetryAfterMs({ 'retry-after': '5' }, message, now)).toBe(5_000);
    expect(toRetryAfterMs({}, message, now)).toBe(20_000);
  });

  it('falls through garbage to the next source', () => {
    expect(toRetryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '3' }, null, now)).toBe(3_000);
    expect(toRetryAfterMs({ 'retry-after-ms': '-5', 'retry-after': 'not a date' }, 'try again in 2s', now)).toBe(2_000);
    expect(toRetryAfterMs({ 'retry-after-ms': '', 'retry-after': '' }, null, now)).toBeNull();
  });

  it('returns null when there is no hint at all', () => {
    expect(toRetryAfterMs(undefined, null, now)).toBeNull();
    expect(toRetryAfterMs({ 'retry-after': 'later' }, 'Please slow down', now)).toBeNull();
    expect(toRetryAfterMs(undefined, 'try again in a while', now)).toBeNull();
  });

  it('uses the system clock when none is given', () => {
    vi.useFakeTimers({ now });
    try {
      expect(toRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' }, null)).toBe(60_000);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('toShouldRetry', () => {
  it('reads true and false case-insensitively and ignores anything else', () => {
    expect(toShouldRetry({ 'x-should-retry': 'true' })).toBe(true);
    expect(toShouldRetry({ 'x-should-retry': ' FALSE ' })).toBe(false);
    expect(toShouldRetry({ 'x-should-retry': 'yes' })).toBeNull();
    expect(toShouldRetry({})).toBeNull();
    expect(toShouldRetry(undefined)).toBeNull();
  });
});
