import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { rateLimitSnapshotSchema, toRateLimitSnapshot } from './rate-limit-snapshot.ts';

const full = {
  'x-ratelimit-limit-requests': '60',
  'x-ratelimit-limit-tokens': '150000',
  'x-ratelimit-remaining-requests': '59',
  'x-ratelimit-remaining-tokens': '149984',
  'x-ratelimit-reset-requests': '1s',
  'x-ratelimit-reset-tokens': '6m0s',
};

describe('toRateLimitSnapshot', () => {
  it('reads a count exactly when it is digits with at most one decimal part, whatever else a proxy sends', () => {
    const countLike = fc.stringMatching(/^[\d.\-+eE x]{0,8}$/);
    fc.assert(
      fc.property(fc.oneof(countLike, fc.string()), (value) => {
        const expected = /^\d+(?:\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : null;
        expect(
          toRateLimitSnapshot({ 'x-ratelimit-limit-requests': value, 'x-ratelimit-reset-tokens': '1s' }, 0)?.requests
            .limit,
        ).toBe(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it('reads all six headers into a typed snapshot', () => {
    const snapshot = toRateLimitSnapshot(full, 5_000);
    expect(snapshot).toEqual({
      requests: { limit: 60, remaining: 59, resetMs: 1_000, resetAt: 6_000 },
      tokens: { limit: 150_000, remaining: 149_984, resetMs: 360_000, resetAt: 365_000 },
      observedAt: 5_000,
    });
    expect(rateLimitSnapshotSchema.safeParse(snapshot).success).toBe(true);
  });

  it('reads fractional resets such as 18.642s and 12ms', () => {
    const snapshot = toRateLimitSnapshot(
      { 'x-ratelimit-reset-requests': '12ms', 'x-ratelimit-reset-tokens': '18.642s' },
      0,
    );
    expect(snapshot?.requests.resetMs).toBe(12);
    expect(snapshot?.tokens.resetMs).toBe(18_642);
  });

  it('returns undefined when the headers are absent (Azure, some proxies)', () => {
    expect(toRateLimitSnapshot({}, 0)).toBeUndefined();
    expect(toRateLimitSnapshot({ 'content-type': 'application/json' }, 0)).toBeUndefined();
    expect(toRateLimitSnapshot(undefined, 0)).toBeUndefined();
  });

  it.each([
    ['-1', null],
    ['', null],
    ['   ', null],
    ['garbage', null],
    ['0x10', null],
    ['1e3', null],
    ['0', 0],
  ])('reads a count of %j as %j', (value, expected) => {
    const snapshot = toRateLimitSnapshot(
      { 'x-ratelimit-remaining-tokens': value, 'x-ratelimit-limit-tokens': '10' },
      0,
    );
    expect(snapshot?.tokens.remaining).toBe(expected);
  });

  it('turns unreadable resets into null without failing', () => {
    const snapshot = toRateLimitSnapshot(
      { 'x-ratelimit-reset-tokens': 'soon', 'x-ratelimit-reset-requests': '-1', 'x-ratelimit-limit-requests': '5' },
      0,
    );
    expect(snapshot?.tokens).toEqual({ limit: null, remaining: null, resetMs: null, resetAt: null });
    expect(snapshot?.requests).toEqual({ limit: 5, remaining: null, resetMs: null, resetAt: null });
  });

  it('returns undefined when every header is unreadable', () => {
    expect(
      toRateLimitSnapshot({ 'x-ratelimit-limit-requests': '-1', 'x-ratelimit-remaining-tokens': '' }, 0),
    ).toBeUndefined();
  });

  it('reads a fetch Headers object and uses the system clock by default', () => {
    vi.useFakeTimers({ now: 42_000 });
    try {
      const snapshot = toRateLimitSnapshot(new Headers({ 'x-ratelimit-reset-requests': '1s' }));
      expect(snapshot).toMatchObject({ observedAt: 42_000, requests: { resetAt: 43_000 } });
    } finally {
      vi.useRealTimers();
    }
  });
});
