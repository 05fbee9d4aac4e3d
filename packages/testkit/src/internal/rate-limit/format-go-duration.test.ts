import { describe, expect, it } from 'vitest';
import { formatGoDuration } from './format-go-duration.ts';

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [0.4, '0s'],
    [12, '12ms'],
    [999.6, '1s'],
    [1000, '1s'],
    [18_642, '18.642s'],
    [1500, '1.5s'],
    [360_000, '6m0s'],
    [61_250, '1m1.25s'],
    [3_723_000, '1h2m3s'],
    [7_200_000, '2h0m0s'],
  ])('formats %d ms as %s', (milliseconds, expected) => {
    expect(formatGoDuration(milliseconds)).toBe(expected);
  });
});
