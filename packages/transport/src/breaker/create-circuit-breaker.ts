import type { IntegrationError, Logger, Clock } from '@openai-integration/core';
import type { Result, ResultAsync } from 'neverthrow';
import { createBreakerPolicy } from '../internal/breaker-policy.ts';
import type { CooldownStore } from '../store/cooldown-store.ts';
import type { StateStore } from '../store/state-store.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';
import type { BreakerChangeReason, BreakerRecord, CircuitState } from './circuit-state.ts';

/** Where circuit-breaker records live; see {@link StateStore}. */
export type BreakerStore = StateStore<BreakerRecord>;

/** One state change of a circuit breaker. */
export interface BreakerStateChange {
  readonly key: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: BreakerChangeReason;
  /** When it happened (epoch ms of the breaker's clock). */
  readonly at: number;
}

/** The sliding window the failure rate is computed over. */
export type BreakerWindow =
  | { readonly type: 'count'; /** The last `size` calls. */ readonly size: number }
  | {
      readonly type: 'time';
      /** The calls of the last `durationMs`. */
      readonly durationMs: number;
      /** How many buckets the window is kept in (its resolution). Default 10. */
      readonly buckets?: number;
    };

/** How a circuit breaker trips, heals and reports. */
export interface CircuitBreakerOptions {
  /** The key its state is stored under (e.g. `chat:gpt-4o`). Default `'default'`. */
  readonly key?: string;
  /** Failure rate (0..1] over the window that trips the circuit. Default 0.5. */
  readonly failureRateThreshold?: number;
  /** Calls the window must hold before the failure rate counts. Default 50. */
  readonly minimumCalls?: number;
  /** Count- or time-based window. Default `{ type: 'count', size: 100 }`. */
  readonly window?: BreakerWindow;
  /** Failures in a row that trip the circuit whatever the rate (Infinity: off). Default Infinity (off). */
  readonly consecutiveFailures?: number;
  /** A successful call at least this slow (ms) counts as a failure. Default: off. */
  readonly slowCallThresholdMs?: number;
  /** How long the circuit stays open after a trip, in ms. Default 30000. */
  readonly openDurationMs?: number;
  /** Each further trip without closing multiplies the open time by this. Default 1 (no growth). */
  readonly openDurationFactor?: number;
  /** Upper bound of the open time, in ms. Default 300000. */
  readonly maxOpenDurationMs?: number;
  /** Probe calls let through at once when half-open. Default 1. */
  readonly halfOpenMaxProbes?: number;
  /** Successful probes that close the circuit. Default 1. */
  readonly halfOpenSuccessThreshold?: number;
  /** `retryAfterMs` of the `CircuitOpenError` returned while the probes are busy. Default 1000. */
  readonly halfOpenRetryAfterMs?: number;
  /**
   * Where breakers of several transports or processes share that a key is down; see
   * {@link CooldownStore}. When the circuit opens, the key is tripped for the open
   * time; a closed circuit whose key is cooling down fails fast; when the cooldown
   * ends, one probe at a time across all who share the store (claimed with a lease of
   * `probeLeaseMs`). A store that throws or rejects is logged at warn and counts as
   * having no verdict (the local circuit decides). Default: a fresh
   * {@link createMemoryCooldownStore} (a registry shares one among its breakers).
   */
  readonly cooldownStore?: CooldownStore;
  /**
   * How long a claimed probe keeps others out, in ms, should its call never end (a
   * process that dies while probing). Default 30000.
   */
  readonly probeLeaseMs?: number;
  /** Which errors count as failures. Default {@link isServiceFailure}. */
  readonly isFailure?: (error: IntegrationError) => boolean;
  /** Where the state lives. Default: a fresh in-memory store. */
  readonly store?: BreakerStore;
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Trips are logged at warn, other changes at info. Default: silent. */
  readonly logger?: Logger;
  /** Called at every state change. */
  readonly onStateChange?: (change: BreakerStateChange) => void;
  /** Called when the circuit opens. */
  readonly onBreak?: (change: BreakerStateChange) => void;
  /** Called when the circuit closes again. */
  readonly onReset?: (change: BreakerStateChange) => void;
  /** Called when the circuit starts letting probes through. */
  readonly onHalfOpen?: (change: BreakerStateChange) => void;
}

/** What a breaker reports for health pages. */
export interface BreakerSnapshot {
  readonly key: string;
  readonly state: CircuitState;
  /** Calls counted in the window. */
  readonly calls: number;
  /** Failures counted in the window. */
  readonly failures: number;
  /** `failures / calls`, or null with no calls. */
  readonly failureRate: number | null;
  readonly consecutiveFailures: number;
}

/**
 * How a breaker counted a result: as a `success`, as a `failure`, or not at all
 * (`ignored`: an error that says nothing about the service, a retry of a call that
 * was counted already, or a permit given back).
 */
export type BreakerOutcome = 'success' | 'failure' | 'ignored';

/** How an attempt asks a breaker for leave; see {@link CircuitBreaker.acquire}. */
export interface BreakerAcquireOptions {
  /**
   * Whether an earlier attempt of the same call was counted already. Then this
   * attempt's result is not counted again, unless the attempt is a half-open probe
   * (a probe always counts): a call counts once however often it is retried, so that
   * its own retries can never open its circuit. Default false.
   */
  readonly callCounted?: boolean;
}

/** Leave to make one call; tell the breaker how it went with `record`. */
export interface BreakerPermit {
  /** Whether this call is a half-open probe. */
  readonly probe: boolean;
  /**
   * Counts the call's result and duration (only the first `record` or `release` of a
   * permit counts), and resolves to how it was counted.
   */
  record(result: Result<unknown, IntegrationError>, durationMs: number): Promise<BreakerOutcome>;
  /** Gives the permit back without counting anything (e.g. the call was never sent). */
  release(): Promise<void>;
}

/** A circuit breaker for one key; see {@link createCircuitBreaker}. */
export interface CircuitBreaker {
  readonly key: string;
  /**
   * Runs the operation unless the circuit is open, and counts its outcome.
   *
   * Fails with: `CircuitOpenError` (without calling the operation), or the operation's own error.
   */
  execute<T>(operation: () => TransportOutcome<T>): ResultAsync<T, IntegrationError>;
  /**
   * Asks to make one call, for callers that run the call themselves. For a retry of a
   * call that was counted already, pass `{ callCounted: true }`.
   *
   * Fails with: `CircuitOpenError`.
   */
  acquire(options?: BreakerAcquireOptions): ResultAsync<BreakerPermit, IntegrationError>;
  /** The current state (an open circuit whose time is up reports half-open). */
  state(): Promise<CircuitState>;
  /** State and window counts, for health reports. */
  snapshot(): Promise<BreakerSnapshot>;
  /** Closes the circuit and clears its window. */
  reset(): Promise<void>;
}

/**
 * Creates a circuit breaker: after too many failures that say the service is
 * unhealthy, calls fail fast with `CircuitOpenError` for a while, then a few probe
 * calls decide whether the circuit closes again.
 *
 * Closed, it counts outcomes over a sliding window (the last N calls, or the last N
 * ms) and opens when at least `minimumCalls` calls are in the window and the failure
 * rate reaches `failureRateThreshold` (by default half of the last 100 calls, once 50
 * are in the window), or, when set, after `consecutiveFailures` failures in a row.
 * Only errors for which `isFailure` is true count (by default the server and network
 * failures of {@link isServiceFailure}); other errors are not counted at all. A call
 * that is retried counts once: `acquire({ callCounted: true })` for its retries. A slow
 * success can count as a failure (`slowCallThresholdMs`). Open, it rejects every call
 * with `CircuitOpenError` (`retryAfterMs` = time until the first probe) for
 * `openDurationMs` (growing by `openDurationFactor` per trip in a row, up to
 * `maxOpenDurationMs`). Half-open, it lets `halfOpenMaxProbes` calls through at once;
 * `halfOpenSuccessThreshold` successes close it, a failure opens it again. State
 * sits in `store` (in-memory by default) under `key`; reads and writes are serialised
 * within the process. A store that throws makes the call reject. With a shared
 * `cooldownStore`, a trip is shared: every breaker on the store fails fast on the key
 * until its cooldown ends, then one of them at a time probes it (failure counting
 * stays local). Throws a TypeError for out-of-range options.
 *
 * Fails with: `CircuitOpenError`, or the operation's own error.
 *
 * @example
 * const breaker = createCircuitBreaker({ key: 'chat:gpt-4o', minimumCalls: 20 });
 * const result = await breaker.execute(() => callTheApi());
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  return createBreakerPolicy(options);
}
