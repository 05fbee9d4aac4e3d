import { describe, expect, it } from 'vitest';
import { formatUsd } from './format-usd.ts';

describe('formatUsd', () => {
  it('shows small costs to the millionth of a dollar, larger ones to the ten-thousandth, unknown ones as such', () => {
    expect(formatUsd(0.000123)).toBe('$0.000123');
    expect(formatUsd(1.23456)).toBe('$1.2346');
    expect(formatUsd(null)).toBe('cost unknown');
  });
});
