import { jitterStrategies, type JitterName, type JitterStrategy } from './jitter-strategies.ts';

/** How the delay before each retry grows. */
export interface BackoffOptions {
  /** Nominal delay before the first retry, in ms. Default 1000. */
  readonly baseDelayMs?: number;
  /** Each retry's nominal delay is the previous one times this. Default 2. */
  readonly factor?: number;
  /** Upper bound of any computed delay (nominal and jittered), in ms. Default 32000. */
  readonly maxDelayMs?: number;
  /** A built-in strategy by name, or your own function. Default `'equal'`. */
  readonly jitter?: JitterName | JitterStrategy;
}

/** Computes retry delays; see {@link createBackoff}. */
export interface Backoff {
  /** The nominal delay before retry number `retry` (1 for the first retry). */
  nominal(retry: number): number;
  /**
   * The delay to wait before retry number `retry`: the jittered nominal delay,
   * clamped to [0, maxDelayMs]. `previousMs` is the delay waited before the previous
   * retry (0 before the first); `random` is a number in [0, 1).
   */
  delay(retry: number, previousMs: number, random: number): number;
}

/** The default backoff: 1 s, doubling, at most 32 s, equal jitter. */
export const defaultBackoffOptions = {
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 32_000,
  jitter: 'equal',
} as const satisfies BackoffOptions;

const nonNegative = (name: string, value: number): number => {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
};

/**
 * Creates an exponential backoff: the nominal delay before retry `n` is
 * `min(maxDelayMs, baseDelayMs × factor^(n-1))`, and the jitter strategy turns it into
 * the delay actually waited.
 *
 * With the defaults the nominal delays are 1, 2, 4, 8, 16 and 32 seconds. Throws a
 * `TypeError` for a negative or non-finite number, or a factor below 1 (a programming
 * error, caught when the policy is built).
 *
 * @example
 * const backoff = createBackoff({ jitter: 'none' });
 * backoff.delay(3, 2_000, Math.random()); // 4000
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const baseDelayMs = nonNegative('baseDelayMs', options.baseDelayMs ?? defaultBackoffOptions.baseDelayMs);
  const factor = nonNegative('factor', options.factor ?? defaultBackoffOptions.factor);
  if (factor < 1) throw new TypeError(`factor must be >= 1, got ${factor}`);
  const maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs ?? defaultBackoffOptions.maxDelayMs);
  const jitter = options.jitter ?? defaultBackoffOptions.jitter;
  const strategy = typeof jitter === 'function' ? jitter : jitterStrategies[jitter];

  const nominal = (retry: number): number => Math.min(maxDelayMs, baseDelayMs * factor ** Math.max(0, retry - 1));
  return {
    nominal,
    delay: (retry, previousMs, random) => {
      const value = strategy(nominal(retry), previousMs, random);
      return Number.isFinite(value) ? Math.min(maxDelayMs, Math.max(0, value)) : maxDelayMs;
    },
  };
}
