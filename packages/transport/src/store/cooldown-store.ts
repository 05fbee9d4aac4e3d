/**
 * Where circuit breakers share that a key is down, so that every process that uses the
 * store treats it as down until its cooldown ends, and exactly one of them probes it.
 * Failure counting stays in each process: only the verdict is shared.
 *
 * Durations are relative: the store measures them on its own clock (a shared store on
 * its server's time), never on the callers' clocks, so skewed instances agree.
 */
export interface CooldownStore {
  /**
   * Records that `key` is down for `durationMs` from now (the store's time). A cooldown
   * that already ends later is kept: a trip extends, never shortens.
   */
  trip(key: string, durationMs: number): void | Promise<void>;
  /** How many milliseconds `key` is still down; 0 when it is not. */
  remaining(key: string): number | Promise<number>;
  /**
   * Tries to become the one probe of `key` for `leaseMs`: true for exactly one `owner`
   * until that owner releases the probe or the lease ends (an owner that dies loses it).
   */
  claimProbe(key: string, owner: string, leaseMs: number): boolean | Promise<boolean>;
  /**
   * Ends `owner`'s probe of `key` (a no-op for anyone else): `{ recovered: true }` clears
   * the cooldown; `{ recovered: false, durationMs }` trips it again for `durationMs`.
   */
  releaseProbe(key: string, owner: string, outcome: ProbeOutcome): void | Promise<void>;
}

/** How a probe ended. */
export type ProbeOutcome = { readonly recovered: true } | { readonly recovered: false; readonly durationMs: number };
