import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyOptions } from '../../test/support/property-options.ts';
import { createBackoff, defaultBackoffOptions } from './create-backoff.ts';

describe('createBackoff', () => {
  it('has nominal delays of 1, 2, 4, 8, 16 and 32 seconds by default', () => {
    const backoff = createBackoff();
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoff.nominal(retry))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000,
    ]);
  });

  it('uses equal jitter by default', () => {
    expect(defaultBackoffOptions.jitter).toBe('equal');
    const backoff = createBackoff();
    expect(backoff.delay(3, 2_000, 0)).toBe(2_000);
    expect(backoff.delay(3, 2_000, 0.5)).toBe(3_000);
  });

  it('caps nominal delays at maxDelayMs', () => {
    const backoff = createBackoff({ baseDelayMs: 500, factor: 3, maxDelayMs: 10_000 });
    expect([1, 2, 3, 4, 5].map((retry) => backoff.nominal(retry))).toEqual([500, 1_500, 4_500, 10_000, 10_000]);
  });

  it('accepts a custom jitter function and clamps what it returns to [0, maxDelayMs]', () => {
    expect(createBackoff({ jitter: () => -5 }).delay(1, 0, 0.3)).toBe(0);
    expect(createBackoff({ jitter: () => 1e9 }).delay(1, 0, 0.3)).toBe(32_000);
    expect(createBackoff({ jitter: () => Number.NaN }).delay(1, 0, 0.3)).toBe(32_000);
    expect(createBackoff({ jitter: (nominal) => nominal + 1 }).delay(2, 0, 0)).toBe(2_001);
  });

  it('never returns a delay outside [0, maxDelayMs] nor, with jitter off, anything but the nominal delay', () => {
    fc.assert(
      fc.property(
        fc.record({
          baseDelayMs: fc.integer({ min: 0, max: 10_000 }),
          factor: fc.double({ min: 1, max: 4, noNaN: true }),
          maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
        }),
        fc.constantFrom('none', 'full', 'equal', 'decorrelated' as const),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (options, jitter, retry, previous, random) => {
          const backoff = createBackoff({ ...options, jitter });
          const delay = backoff.delay(retry, previous, random);
          const nominal = backoff.nominal(retry);
          expect(nominal).toBeLessThanOrEqual(options.maxDelayMs);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(options.maxDelayMs);
          if (jitter === 'none') expect(delay).toBe(nominal);
          if (jitter === 'full' || jitter === 'equal') expect(delay).toBeLessThanOrEqual(nominal);
          if (jitter === 'equal') expect(delay).toBeGreaterThanOrEqual(nominal / 2);
          if (jitter === 'decorrelated') expect(delay).toBeGreaterThanOrEqual(nominal);
        },
      ),
      propertyOptions,
    );
  });

  it('never shrinks the nominal delay from one retry to the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 30 }),
        (baseDelayMs, factor, retry) => {
          const backoff = createBackoff({ baseDelayMs, factor, maxDelayMs: 60_000 });
          expect(backoff.nominal(retry + 1)).toBeGreaterThanOrEqual(backoff.nominal(retry));
        },
      ),
      propertyOptions,
    );
  });
});
