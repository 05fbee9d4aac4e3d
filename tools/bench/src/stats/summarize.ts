import { percentile } from './percentile.ts';

/** The centre and spread of repeated measurements of one quantity. */
export interface Summary {
  /** How many measurements. */
  readonly count: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** 25th percentile. */
  readonly q1: number;
  /** 75th percentile. */
  readonly q3: number;
  /** Half the min-max range relative to the median (0.05 means the runs lie within about ±5%). */
  readonly relativeSpread: number;
}

/**
 * Summarizes repeated measurements: their median, min, max, quartiles and relative
 * spread. All fields are NaN for an empty list.
 */
export function summarize(values: readonly number[]): Summary {
  const median = percentile(values, 50);
  const min = percentile(values, 0);
  const max = percentile(values, 100);
  return {
    count: values.length,
    median,
    min,
    max,
    q1: percentile(values, 25),
    q3: percentile(values, 75),
    relativeSpread: median === 0 ? 0 : (max - min) / 2 / Math.abs(median),
  };
}
