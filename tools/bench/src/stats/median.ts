import { percentile } from './percentile.ts';

/**
 * Returns the middle value of the list (the mean of the two middle values for an even
 * count); NaN for an empty list.
 */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
