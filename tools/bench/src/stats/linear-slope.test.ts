import { describe, expect, it } from 'vitest';
import { linearSlope, robustSlope } from './linear-slope.ts';

describe('linearSlope', () => {
  it('finds the growth per step of a steady leak', () => {
    const points = Array.from({ length: 11 }, (_, index) => ({
      x: index * 10_000,
      y: 40_000_000 + index * 10_000 * 24,
    }));
    expect(linearSlope(points)).toBeCloseTo(24, 10);
  });

  it('is zero for a flat series and negative for a shrinking one', () => {
    expect(
      linearSlope([
        { x: 0, y: 5 },
        { x: 1, y: 5 },
        { x: 2, y: 5 },
      ]),
    ).toBe(0);
    expect(
      linearSlope([
        { x: 0, y: 10 },
        { x: 10, y: 0 },
      ]),
    ).toBe(-1);
  });

  it('fits through noise by least squares', () => {
    expect(
      linearSlope([
        { x: 0, y: 1 },
        { x: 1, y: 1 },
        { x: 2, y: 3 },
        { x: 3, y: 3 },
      ]),
    ).toBeCloseTo(0.8, 10);
  });

  it('is NaN without two distinct x values', () => {
    expect(linearSlope([{ x: 1, y: 1 }])).toBeNaN();
    expect(
      linearSlope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNaN();
  });
});

describe('robustSlope', () => {
  it('finds the growth per step of a steady leak, as least squares does', () => {
    const points = Array.from({ length: 10 }, (_, index) => ({
      x: index * 10_000,
      y: 40_000_000 + index * 10_000 * 24,
    }));
    expect(robustSlope(points)).toBeCloseTo(24, 10);
  });

  it('is not tilted by one sample off the line, where least squares is', () => {
    // A flat heap with one low sample early on, as a collection that freed a little more makes it.
    const heap = [21.8, 19.5, 21.9, 22.0, 22.0, 21.9, 22.2, 21.9, 22.3, 22.0].map((megabytes, index) => ({
      x: (index + 1) * 10_000,
      y: megabytes * 1_000_000,
    }));
    // Under the 10 bytes per call that the report calls flat; least squares says 13.
    expect(linearSlope(heap)).toBeGreaterThan(10);
    expect(robustSlope(heap)).toBeCloseTo(5, 6);
  });

  it('still sees a leak through a noisy series', () => {
    const noise = [0, 300_000, -200_000, 100_000, -300_000, 200_000, 0, -100_000, 300_000, -200_000];
    const leak = noise.map((offset, index) => ({ x: index * 10_000, y: 20_000_000 + index * 10_000 * 32 + offset }));
    expect(robustSlope(leak)).toBeGreaterThan(20);
  });

  it('is the median slope for an even number of pairs, and NaN without two distinct x values', () => {
    expect(
      robustSlope([
        { x: 0, y: 0 },
        { x: 1, y: 1 },
        { x: 2, y: 4 },
        { x: 3, y: 9 },
      ]),
    ).toBeCloseTo(3, 10);
    expect(
      robustSlope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNaN();
  });
});
