import {
  systemClock,
  type IntegrationError,
  type Logger,
  type RateLimitSnapshot,
  type Clock,
} from '@openai-integration/core';
import { ResultAsync } from 'neverthrow';
import type { BreakerRegistry, BreakerRegistryOptions } from '../breaker/create-breaker-registry.ts';
import type { Bulkhead, BulkheadOptions } from '../bulkhead/create-bulkhead.ts';
import { createBreakerPolicies } from '../internal/breaker-policies.ts';
import { createBulkheadPolicy } from '../internal/bulkhead-policy.ts';
import { createCallRunner, type CallPlan } from '../internal/call-runner.ts';
import { checkConcurrency, collectResults } from '../internal/collect-results.ts';
import { createPacingPolicy } from '../internal/pacing-policy.ts';
import { checkPositive, createRetryRunner, type RetryRunner } from '../internal/retry-runner.ts';
import { silentLogger } from '../internal/silent-logger.ts';
import type { RateLimiter, RateLimiterOptions } from '../pacing/create-rate-limiter.ts';
import type { RunAllContext, RunAllReport } from '../partial/run-all-report.ts';
import type { RetryPolicyOptions } from '../retry/retry-options.ts';
import type { CooldownStore } from '../store/cooldown-store.ts';
import type { TransportOutcome } from './transport-outcome.ts';

/** Settings of a {@link createTransport} transport; every part has a default. */
export interface TransportOptions {
  /** Retry policy (see {@link withRetry}). Default: 6 retries, 1-2-4-8-16-32 s, equal jitter, hints up to 60 s. */
  readonly retry?: RetryPolicyOptions;
  /** Total time for a call with all its retries, in ms. Default: none. */
  readonly deadlineMs?: number;
  /** Time for one attempt, in ms (not counting pacing and queue waits). Default 600000 (10 min). */
  readonly attemptTimeoutMs?: number;
  /** Circuit-breaker settings for every key, or `false` for none. Default: the breaker defaults. */
  readonly breaker?: BreakerRegistryOptions | false;
  /** Rate-limit pacing settings, or `false` for none. Default: the pacing defaults (30 s maximum wait). */
  readonly pacing?: RateLimiterOptions | false;
  /** Concurrency limit for attempts. Default: no limit. */
  readonly bulkhead?: BulkheadOptions;
  /** Time source for every part (unless a part names its own). Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for jitter. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * Where the breakers share with other transports and processes that a key is down
   * (see {@link CooldownStore}). Default: an in-memory store of this transport's own.
   */
  readonly cooldownStore?: CooldownStore;
  /** Logger for every part (unless a part names its own). Default: silent. */
  readonly logger?: Logger;
}

/** What an operation learns about its attempt besides its signal and number. */
export interface AttemptInfo {
  /** The attempt's timeout in ms (Infinity: none); its signal aborts when it passes. */
  readonly timeoutMs: number;
  /**
   * Whether the signal can abort before `timeoutMs` passes: the call has a caller
   * signal or a deadline. When false, an operation whose own client already enforces
   * `timeoutMs` on its request may leave the signal unused (the transport still ends
   * the attempt when the timeout passes), which spares linking a signal per request.
   */
  readonly cancellable: boolean;
}

/** The operation {@link Transport.execute} runs for each attempt. */
export type TransportOperation<T> = (signal: AbortSignal, attempt: number, info: AttemptInfo) => TransportOutcome<T>;

/** Per-call settings of {@link Transport.execute}. */
export interface ExecuteOptions<T = unknown> {
  /** Aborting it ends the call at once with `AbortedError`. */
  readonly signal?: AbortSignal;
  /** Breaker and rate-limit key, e.g. `chat:gpt-4o`. Default `'default'`. */
  readonly key?: string;
  /** Tokens the call is expected to use, for pacing. Default 0. */
  readonly estimate?: number;
  /** Overrides the transport's `deadlineMs` for this call. */
  readonly deadlineMs?: number;
  /** Overrides the transport's `attemptTimeoutMs` for this call. */
  readonly attemptTimeoutMs?: number;
  /** Overrides parts of the retry policy for this call (e.g. `{ maxRetries: 0 }`). */
  readonly retry?: RetryPolicyOptions;
  /**
   * The rate-limit snapshot a successful attempt's value carries (read from its
   * response headers), for pacing: the transport records it for the call's key.
   * (A failed attempt's snapshot comes with its error and is always recorded.)
   */
  readonly rateLimitOf?: (value: T) => RateLimitSnapshot | null | undefined;
  /**
   * The tokens a successful attempt's value says it used (its response's usage), for
   * pacing: the call's `estimate` is settled against it.
   */
  readonly usageOf?: (value: T) => number | null | undefined;
}

/** Per-run settings of {@link Transport.runAll}. */
export interface TransportRunAllOptions<Item = unknown> {
  /** Items in progress at once. Default 4. */
  readonly concurrency?: number;
  /** Breaker and rate-limit key for every item. Default `'default'`. */
  readonly key?: string;
  /** Token estimate of an item, for pacing. Default 0. */
  readonly estimate?: (item: Item) => number;
  /** Aborting it ends running items and fails the items not started with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** Resilient execution of calls; see {@link createTransport}. */
export interface Transport {
  /**
   * Runs one call through deadline, retry, circuit breaker, pacing, bulkhead and
   * per-attempt timeout, in that order.
   *
   * Fails with: the operation's last error (with `attempts`), `TimeoutError` (kind
   * `attempt` or `deadline`), `AbortedError`, `CircuitOpenError`, `RateLimitError`
   * (origin `client`: pacing refused, or the bulkhead queue is full).
   */
  execute<T>(operation: TransportOperation<T>, options?: ExecuteOptions<T>): ResultAsync<T, IntegrationError>;
  /**
   * Runs `execute` for every item with a concurrency limit; one result per item, in
   * input order, plus a summary (see {@link runAll}).
   */
  runAll<Item, Value>(
    items: readonly Item[],
    operation: (item: Item, context: RunAllContext) => TransportOutcome<Value>,
    options?: TransportRunAllOptions<Item>,
  ): Promise<RunAllReport<Value>>;
  /** The circuit breakers by key (present even when breaking is off; then unused). */
  readonly breakers: BreakerRegistry;
  /** The rate limiter (feed it response snapshots with `observe`; present even when pacing is off). */
  readonly limiter: RateLimiter;
  /** The bulkhead shared by every call. */
  readonly bulkhead: Bulkhead;
}

/**
 * Creates the resilient executor that wraps every call to the API: one entry point
 * (`execute`) that composes a total deadline, retry with backoff, a circuit breaker
 * per key, client-side rate-limit pacing, a bulkhead and a per-attempt timeout.
 *
 * For each call, in order: the deadline bounds everything; the retry policy repeats
 * attempts whose error is `retryable` (so an operation that already delivered part of
 * a stream says `retryable: false` to stop retries); each attempt asks the key's
 * breaker for leave (an open circuit fails fast), then waits for the key's rate-limit
 * budget, then for a bulkhead slot, then runs the operation with its own AbortSignal
 * and timeout. A failed attempt feeds the rate limiter (a server 429 pauses every
 * caller of the key) and the breaker, which counts each call once however often it is
 * retried (so that a call's own retries never open its circuit) and never counts what
 * the caller or the request caused (see {@link isServiceFailure}). Options are checked
 * here (TypeError when out of range); defaults give 7 attempts at most, breakers that
 * open when half of the last 100 calls failed (once 50 are in the window), and pacing
 * that waits at most 30 s.
 *
 * Fails with: see {@link Transport.execute}.
 *
 * @example
 * const transport = createTransport({ deadlineMs: 60_000, breaker: { consecutiveFailures: 3 } });
 * const result = await transport.execute((signal) => callTheApi(signal), { key: 'chat:gpt-4o', estimate: 800 });
 */
/**
 * Creates the resilient executor that wraps every call to the API: one entry point
 * (`execute`) that composes a total deadline, retry with backoff, a circuit breaker
 * per key, client-side rate-limit pacing, a bulkhead and a per-attempt timeout.
 *
 * For each call, in order: the deadline bounds everything; the retry policy repeats
 * attempts whose error is `retryable` (so an operation that already delivered part of
 * a stream says `retryable: false` to stop retries); each attempt asks the key's
 * breaker for leave (an open circuit fails fast), then waits for the key's rate-limit
 * budget, then for a bulkhead slot, then runs the operation with its own AbortSignal
 * and timeout. A failed attempt feeds the rate limiter (a server 429 pauses every
 * caller of the key) and the breaker, which counts each call once however often it is
 * retried (so that a call's own retries never open its circuit) and never counts what
 * the caller or the request caused (see {@link isServiceFailure}). With a shared
 * `cooldownStore`, a circuit one transport opens fails fast in every transport on the
 * store, and one of them at a time probes the key when its cooldown ends. Retries,
 * backoff, deadlines, timeouts and aborts run as an Effect program inside the package;
 * attempt 1 of a call without a signal or deadline runs directly when every policy
 * admits it at once. Options are checked
 * here (TypeError when out of range); defaults give 7 attempts at most, breakers that
 * open when half of the last 100 calls failed (once 50 are in the window), and pacing
 * that waits at most 30 s.
 *
 * Fails with: see {@link Transport.execute}.
 *
 * @example
 * const transport = createTransport({ deadlineMs: 60_000, breaker: { consecutiveFailures: 3 } });
 * const result = await transport.execute((signal) => callTheApi(signal), { key: 'chat:gpt-4o', estimate: 800 });
 */
export function createTransport(options: TransportOptions = {}): Transport {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const retryPolicy = options.retry ?? {};
  const defaultRunner = createRetryRunner(retryPolicy);
  checkPositive('deadlineMs', options.deadlineMs);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 600_000;
  checkPositive('attemptTimeoutMs', attemptTimeoutMs);
  const breakerOptions = options.breaker === false ? undefined : (options.breaker ?? {});
  const pacingOptions = options.pacing === false ? undefined : (options.pacing ?? {});
  const breakers = createBreakerPolicies({
    clock,
    logger,
    ...(options.cooldownStore === undefined ? {} : { cooldownStore: options.cooldownStore }),
    ...breakerOptions,
  });
  const limiter = createPacingPolicy({ clock, logger, ...pacingOptions });
  const bulkhead = createBulkheadPolicy(options.bulkhead);
  const calls = createCallRunner({
    breakers: breakerOptions === undefined ? undefined : breakers,
    pacer: pacingOptions === undefined ? undefined : limiter,
    bulkhead,
    clock,
    random,
    logger,
    // Whether a breaker may count a slow success as a failure (then every success is timed).
    timesSuccesses:
      breakerOptions !== undefined &&
      (breakerOptions.slowCallThresholdMs !== undefined || breakerOptions.optionsFor !== undefined),
  });

  // What most attempts are told (frozen: every call shares it).
  const defaultInfo: AttemptInfo = Object.freeze({ timeoutMs: attemptTimeoutMs, cancellable: false });

  const execute = <T>(
    operation: TransportOperation<T>,
    callOptions: ExecuteOptions<T> = {},
  ): ResultAsync<T, IntegrationError> => {
    const key = callOptions.key ?? 'default';
    const runner: RetryRunner =
      callOptions.retry === undefined ? defaultRunner : createRetryRunner({ ...retryPolicy, ...callOptions.retry });
    const deadlineMs = callOptions.deadlineMs ?? options.deadlineMs;
    checkPositive('deadlineMs', deadlineMs);
    checkPositive('attemptTimeoutMs', callOptions.attemptTimeoutMs);
    const timeoutMs = callOptions.attemptTimeoutMs ?? attemptTimeoutMs;
    const cancellable = callOptions.signal !== undefined || (deadlineMs !== undefined && Number.isFinite(deadlineMs));
    const info = timeoutMs === attemptTimeoutMs && !cancellable ? defaultInfo : { timeoutMs, cancellable };
    const estimate = callOptions.estimate ?? 0;
    const deadlineAt =
      cancellable && deadlineMs !== undefined && Number.isFinite(deadlineMs) ? clock.now() + deadlineMs : undefined;
    const call: CallPlan<T> = {
      key,
      estimate,
      info,
      rateLimitOf: callOptions.rateLimitOf,
      usageOf: callOptions.usageOf,
      breakerCounted: false,
      deadlineAt,
      pacing: deadlineAt === undefined ? { key, estimate } : { key, estimate, deadlineAt },
    };
    return new ResultAsync(calls.run(operation, call, runner, { signal: callOptions.signal, deadlineMs }));
  };

  const runAllItems = <Item, Value>(
    items: readonly Item[],
    operation: (item: Item, context: RunAllContext) => TransportOutcome<Value>,
    runOptions: TransportRunAllOptions<Item> = {},
  ): Promise<RunAllReport<Value>> =>
    collectResults(
      items,
      checkConcurrency(runOptions.concurrency ?? 4),
      async (item, index, countAttempt) =>
        await execute(
          (signal, attempt) => {
            countAttempt();
            return operation(item, { index, attempt, signal });
          },
          {
            ...(runOptions.key === undefined ? {} : { key: runOptions.key }),
            ...(runOptions.estimate === undefined ? {} : { estimate: runOptions.estimate(item) }),
            ...(runOptions.signal === undefined ? {} : { signal: runOptions.signal }),
          },
        ),
    );

  return { execute, runAll: runAllItems, breakers, limiter, bulkhead };
}
