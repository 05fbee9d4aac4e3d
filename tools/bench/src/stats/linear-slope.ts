/** A point of a series: `x` (e.g. calls made) and `y` (e.g. heap bytes). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Returns the least-squares slope of y over x (e.g. heap bytes per call). Fewer than
 * two points, or points that all share one x, have no slope: the result is NaN.
 */
export function linearSlope(points: readonly Point[]): number {
  if (points.length < 2) return Number.NaN;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.x - meanX) * (point.y - meanY);
    variance += (point.x - meanX) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}

/**
 * Returns the Theil-Sen slope of y over x: the median of the slopes between every two
 * points with different x. Unlike least squares, one sample thrown off (a collection
 * that happened to free or keep a few hundred KB more) cannot tilt it, while a steady
 * growth still shows in full. Without two distinct x values the result is NaN.
 */
export function robustSlope(points: readonly Point[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i += 1) {
    for (let j = i + 1; j < points.length; j += 1) {
      const a = points[i];
      const b = points[j];
      if (a !== undefined && b !== undefined && a.x !== b.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  if (slopes.length === 0) return Number.NaN;
  slopes.sort((left, right) => left - right);
  const middle = slopes.length >> 1;
  return slopes.length % 2 === 1
    ? (slopes[middle] ?? Number.NaN)
    : ((slopes[middle - 1] ?? Number.NaN) + (slopes[middle] ?? Number.NaN)) / 2;
}
