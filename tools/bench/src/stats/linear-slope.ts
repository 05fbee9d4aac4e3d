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
