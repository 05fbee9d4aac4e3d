/**
 * The defaults of {@link CircuitBreakerOptions}: the circuit opens when at least half
 * of the last 100 calls failed, once 50 calls are in the window (each call counts
 * once, however often it is retried); no trip on failures in a row; 30 s open, then
 * one probe, whose claim on a shared cooldown store lasts at most 30 s.
 */
export const defaultBreakerOptions = {
  failureRateThreshold: 0.5,
  minimumCalls: 50,
  window: { type: 'count', size: 100 },
  consecutiveFailures: Number.POSITIVE_INFINITY,
  openDurationMs: 30_000,
  openDurationFactor: 1,
  maxOpenDurationMs: 300_000,
  halfOpenMaxProbes: 1,
  halfOpenSuccessThreshold: 1,
  halfOpenRetryAfterMs: 1_000,
  probeLeaseMs: 30_000,
} as const;
