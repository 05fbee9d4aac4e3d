/**
 * Returns the p-th percentile (0 to 100) of the values, interpolating linearly between
 * the two nearest ranks (the method of numpy's default and of spreadsheets' PERCENTILE).
 *
 * The input need not be sorted and is not modified. An empty list has no percentile:
 * the result is NaN. A `p` outside 0 to 100 is a programmer error (RangeError).
 *
 * @example
 * percentile([1, 2, 3, 4], 50); // 2.5
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (rank - lower);
}
