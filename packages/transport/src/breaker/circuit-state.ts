/**
 * The state of a circuit breaker, discriminated on `type`.
 *
 * - `closed`: calls pass; outcomes are counted.
 * - `open`: calls fail fast with `CircuitOpenError` until `halfOpenAt`.
 * - `half-open`: up to the configured number of probe calls pass at once; enough
 *   successes close the circuit, one failure opens it again.
 *
 * `trips` counts the times the circuit opened since it was last closed (it grows the
 * open duration when growth is configured).
 */
export type CircuitState =
  | { readonly type: 'closed' }
  | { readonly type: 'open'; readonly openedAt: number; readonly halfOpenAt: number; readonly trips: number }
  | { readonly type: 'half-open'; readonly trips: number; readonly probesInFlight: number; readonly successes: number };

/** Why a circuit changed state. */
export type BreakerChangeReason =
  'failure-rate' | 'consecutive-failures' | 'probe-failed' | 'open-elapsed' | 'probes-succeeded' | 'manual-reset';

/** The outcomes a breaker remembers to compute its failure rate. */
export type BreakerWindowRecord =
  | {
      readonly type: 'count';
      /** The last calls, oldest first: 1 for a failure, 0 for a success. */
      readonly outcomes: readonly (0 | 1)[];
    }
  | {
      readonly type: 'time';
      /** Buckets of calls by start time (epoch ms), oldest first. */
      readonly buckets: readonly { readonly start: number; readonly calls: number; readonly failures: number }[];
    };

/**
 * Everything a circuit breaker stores under its key (plain JSON, so a shared store
 * can hold it).
 */
export interface BreakerRecord {
  readonly state: CircuitState;
  /** Grows at every state change; an outcome from an older generation is not counted. */
  readonly generation: number;
  readonly consecutiveFailures: number;
  readonly window: BreakerWindowRecord;
}
