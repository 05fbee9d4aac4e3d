import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.ts';

describe('percentile', () => {
  it('interpolates between the two nearest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([0, 10], 99)).toBeCloseTo(9.9, 10);
  });

  it('gives the smallest and the largest value at 0 and 100, whatever the input order', () => {
    expect(percentile([5, 1, 9, 3], 0)).toBe(1);
    expect(percentile([5, 1, 9, 3], 100)).toBe(9);
  });

  it('leaves the input as it was', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('is NaN for an empty list', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('refuses a percentile outside 0 to 100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('stays between the smallest and the largest value and grows with p', () => {
    const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(
        values,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (list, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          const atLow = percentile(list, low);
          expect(atLow).toBeGreaterThanOrEqual(Math.min(...list));
          expect(percentile(list, high)).toBeLessThanOrEqual(Math.max(...list));
          expect(percentile(list, high)).toBeGreaterThanOrEqual(atLow - 1e-6);
        },
      ),
      { seed: 42 },
    );
  });
});
