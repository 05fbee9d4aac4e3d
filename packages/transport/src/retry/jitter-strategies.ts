/**
 * Turns a nominal backoff delay into the delay actually waited.
 *
 * A pure function of the nominal delay of this retry, the delay actually waited
 * before the previous retry (0 before the first) and a random number in [0, 1).
 */
export type JitterStrategy = (nominalMs: number, previousMs: number, random: number) => number;

/** The names of the built-in {@link JitterStrategy}s. */
export type JitterName = 'none' | 'full' | 'equal' | 'decorrelated';

/**
 * The built-in jitter strategies, by name.
 *
 * - `none`: exactly the nominal delay.
 * - `full`: uniform in [0, nominal).
 * - `equal` (the default of this package): uniform in [nominal / 2, nominal), so a retry
 *   never comes sooner than half the nominal delay.
 * - `decorrelated`: uniform in [nominal, max(nominal, 3 × previous)], so each delay
 *   depends on the one before and clients drift apart (capped by `maxDelayMs`
 *   afterwards, like every strategy).
 *
 * @example
 * jitterStrategies.equal(4_000, 2_000, 0.5); // 3000
 */
export const jitterStrategies: Readonly<Record<JitterName, JitterStrategy>> = {
  none: (nominalMs) => nominalMs,
  full: (nominalMs, _previousMs, random) => random * nominalMs,
  equal: (nominalMs, _previousMs, random) => Math.min(nominalMs, nominalMs / 2 + (random * nominalMs) / 2),
  decorrelated: (nominalMs, previousMs, random) => {
    const upper = Math.max(nominalMs, previousMs * 3);
    return nominalMs + random * (upper - nominalMs);
  },
};
