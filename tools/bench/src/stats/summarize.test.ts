import { describe, expect, it } from 'vitest';
import { summarize } from './summarize.ts';

describe('summarize', () => {
  it('reports the median, the extremes, the quartiles and the spread around the median', () => {
    expect(summarize([90, 100, 110, 95, 105])).toEqual({
      count: 5,
      median: 100,
      min: 90,
      max: 110,
      q1: 95,
      q3: 105,
      relativeSpread: 0.1,
    });
  });

  it('has no spread for a single measurement', () => {
    expect(summarize([42])).toMatchObject({ median: 42, min: 42, max: 42, relativeSpread: 0 });
  });

  it('copes with lists too long to spread into Math.min', () => {
    const values = Array.from({ length: 200_000 }, (_, index) => index);
    expect(summarize(values)).toMatchObject({ min: 0, max: 199_999, count: 200_000 });
  });

  it('is all NaN for an empty list', () => {
    const summary = summarize([]);
    expect(summary.count).toBe(0);
    expect(summary.median).toBeNaN();
    expect(summary.min).toBeNaN();
  });
});
