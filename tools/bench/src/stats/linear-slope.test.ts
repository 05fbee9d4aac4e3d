import { describe, expect, it } from 'vitest';
import { linearSlope } from './linear-slope.ts';

describe('linearSlope', () => {
  it('finds the growth per step of a steady leak', () => {
    const points = Array.from({ length: 11 }, (_, index) => ({ x: index * 10_000, y: 40_000_000 + index * 10_000 * 24 }));
    expect(linearSlope(points)).toBeCloseTo(24, 10);
  });

  it('is zero for a flat series and negative for a shrinking one', () => {
    expect(linearSlope([{ x: 0, y: 5 }, { x: 1, y: 5 }, { x: 2, y: 5 }])).toBe(0);
    expect(linearSlope([{ x: 0, y: 10 }, { x: 10, y: 0 }])).toBe(-1);
  });

  it('fits through noise by least squares', () => {
    expect(linearSlope([{ x: 0, y: 1 }, { x: 1, y: 1 }, { x: 2, y: 3 }, { x: 3, y: 3 }])).toBeCloseTo(0.8, 10);
  });

  it('is NaN without two distinct x values', () => {
    expect(linearSlope([{ x: 1, y: 1 }])).toBeNaN();
    expect(linearSlope([{ x: 1, y: 1 }, { x: 1, y: 2 }])).toBeNaN();
  });
});
