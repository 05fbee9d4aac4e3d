import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyOptions } from '../../test/support/property-options.ts';
import { jitterStrategies } from './jitter-strategies.ts';

describe('jitterStrategies', () => {
  it('returns the nominal delay unchanged with none', () => {
    expect(jitterStrategies.none(4_000, 9_999, 0.9)).toBe(4_000);
  });

  it('spreads full jitter over [0, nominal)', () => {
    expect(jitterStrategies.full(4_000, 0, 0)).toBe(0);
    expect(jitterStrategies.full(4_000, 0, 0.75)).toBe(3_000);
  });

  it('spreads equal jitter over [nominal / 2, nominal)', () => {
    expect(jitterStrategies.equal(4_000, 0, 0)).toBe(2_000);
    expect(jitterStrategies.equal(4_000, 0, 0.5)).toBe(3_000);
  });

  it('spreads decorrelated jitter over [nominal, 3 × previous] and is the nominal delay before the first retry', () => {
    expect(jitterStrategies.decorrelated(1_000, 0, 0.9)).toBe(1_000);
    expect(jitterStrategies.decorrelated(2_000, 1_000, 0)).toBe(2_000);
    expect(jitterStrategies.decorrelated(2_000, 1_000, 0.5)).toBe(2_500);
  });

  it('keeps every strategy inside its band for any input', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (nominal, previous, random) => {
          expect(jitterStrategies.full(nominal, previous, random)).toBeLessThanOrEqual(nominal);
          expect(jitterStrategies.full(nominal, previous, random)).toBeGreaterThanOrEqual(0);
          expect(jitterStrategies.equal(nominal, previous, random)).toBeGreaterThanOrEqual(nominal / 2);
          expect(jitterStrategies.equal(nominal, previous, random)).toBeLessThanOrEqual(nominal);
          const decorrelated = jitterStrategies.decorrelated(nominal, previous, random);
          expect(decorrelated).toBeGreaterThanOrEqual(nominal);
          expect(decorrelated).toBeLessThanOrEqual(Math.max(nominal, 3 * previous));
        },
      ),
      propertyOptions,
    );
  });
});
