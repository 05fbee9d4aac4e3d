import type { IntegrationError, Logger, RateLimitSnapshot } from '@openai-integration/core';
import { err, ResultAsync, type Result } from 'neverthrow';
import {
  createBreakerRegistry,
  type BreakerRegistry,
  type BreakerRegistryOptions,
} from '../breaker/create-breaker-registry.ts';
import { breakerLane, type BreakerLane, type BreakerPermit } from '../breaker/create-circuit-breaker.ts';
import { bulkheadLane, createBulkhead, type Bulkhead, type BulkheadOptions } from '../bulkhead/create-bulkhead.ts';
import { systemClock, type Clock } from '../clock/clock.ts';
import { checkConcurrency, collectResults } from '../internal/collect-results.ts';
import { guardedRun } from '../internal/guarded-run.ts';
import { checkPositive, createRetryRunner, type RetryRunner, type RetryRunOptions } from '../internal/retry-runner.ts';
import { silentLogger } from '../internal/silent-logger.ts';
import {
  createRateLimiter,
  pacingLane,
  type PacingOutcome,
  type PacingPermit,
  type RateLimiter,
  type RateLimiterOptions,
} from '../pacing/create-rate-limiter.ts';
import type { RunAllContext, RunAllReport } from '../partial/run-all-report.ts';
import type { RetryPolicyOptions } from '../retry/retry-options.ts';
import type { OperationResult } from './operation-result.ts';

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
export type TransportOperation<T> = (signal: AbortSignal, attempt: number, info: AttemptInfo) => OperationResult<T>;

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

/** One call as every attempt of it sees it. */
interface CallPlan<T> {
  readonly key: string;
  readonly estimate: number;
  readonly info: AttemptInfo;
  readonly rateLimitOf: ((value: T) => RateLimitSnapshot | null | undefined) | undefined;
  /** Whether the breaker counted an attempt of this call already (a call counts once, however often it is retried). */
  breakerCounted: boolean;
  readonly usageOf: ((value: T) => number | null | undefined) | undefined;
  /** When the call's deadline passes (clock time), if it has one: pacing waits only if the call can go before. */
  readonly deadlineAt: number | undefined;
}

/** What pacing learns from an attempt's result. */
function pacingOutcome<T>(result: Result<T, IntegrationError>, call: CallPlan<T>): PacingOutcome {
  if (result.isErr()) return { error: result.error };
  const { rateLimitOf, usageOf } = call;
  if (rateLimitOf === undefined && usageOf === undefined) return {};
  return { snapshot: rateLimitOf?.(result.value) ?? null, usedTokens: usageOf?.(result.value) ?? null };
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
  /** `execute` as a plain promise of the Result (never rejects unless the operation throws), for callers that await it at once. */
  run<T>(operation: TransportOperation<T>, options?: ExecuteOptions<T>): Promise<Result<T, IntegrationError>>;
  /**
   * Runs `execute` for every item with a concurrency limit; one result per item, in
   * input order, plus a summary (see {@link runAll}).
   */
  runAll<Item, Value>(
    items: readonly Item[],
    operation: (item: Item, context: RunAllContext) => OperationResult<Value>,
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
  const breakers = createBreakerRegistry({ clock, logger, ...breakerOptions });
  const limiter = createRateLimiter({ clock, logger, ...pacingOptions });
  const bulkhead = createBulkhead(options.bulkhead);

  const attemptOnce = async <T>(
    operation: TransportOperation<T>,
    signal: AbortSignal,
    attempt: number,
    call: CallPlan<T>,
  ): Promise<Result<T, IntegrationError>> => {
    let permit: BreakerPermit | undefined;
    if (breakerOptions !== undefined) {
      const admission = await breakers.get(call.key).acquire({ callCounted: call.breakerCounted });
      if (admission.isErr()) return err(admission.error);
      permit = admission.value;
    }
    let paced: PacingPermit | undefined;
    try {
      if (pacingOptions !== undefined) {
        const admitted = await limiter.acquire({
          key: call.key,
          estimate: call.estimate,
          signal,
          ...(call.deadlineAt === undefined ? {} : { deadlineAt: call.deadlineAt }),
        });
        if (admitted.isErr()) {
          await permit?.release();
          return err(admitted.error);
        }
        paced = admitted.value;
      }
      let started = clock.now();
      const attempted = { sent: false };
      const result = await bulkhead.execute(() => {
        attempted.sent = true;
        started = clock.now();
        // Without a caller signal or deadline the call's signal never aborts: no listener on it per attempt.
        return guardedRun((attemptSignal) => operation(attemptSignal, attempt, call.info), {
          signal: call.info.cancellable ? signal : undefined,
          timeoutMs: call.info.timeoutMs,
          clock,
          label: `attempt ${attempt}`,
        });
      }, signal);
      const durationMs = clock.now() - started;
      await paced?.settle(pacingOutcome(result, call));
      // Only what the service did counts: not a full bulkhead queue, nor an attempt cut short by the caller's abort or the deadline.
      if (!attempted.sent || signal.aborted) await permit?.release();
      else if (permit !== undefined && (await permit.record(result, durationMs)) !== 'ignored')
        call.breakerCounted = true;
      return result;
    } catch (thrown) {
      await paced?.settle();
      await permit?.release();
      throw thrown;
    }
  };

  // What most attempts are told (frozen: every call shares it).
  const defaultInfo: AttemptInfo = Object.freeze({ timeoutMs: attemptTimeoutMs, cancellable: false });
  // The registry forgets idle keys, so a key's lane is looked up afresh for every call.
  const laneOf = (key: string): BreakerLane | undefined => breakerLane(breakers.get(key));
  const pacing = pacingLane(limiter);
  // Whether a breaker may count a slow success as a failure (then every success is timed).
  const timesSuccesses =
    breakerOptions !== undefined &&
    (breakerOptions.slowCallThresholdMs !== undefined || breakerOptions.optionsFor !== undefined);
  const slots = bulkheadLane(bulkhead);

  /**
   * Attempt 1 of a call that nothing but its timeout can abort, when the breaker, the
   * pacer and the bulkhead all say yes at once (in-memory state, circuit closed, budget
   * left, a free slot): the same steps as `attemptOnce` without a promise per step. A
   * failed attempt goes on in the retry runner. Undefined (nothing taken) when any of
   * them has to wait or decide in a promise.
   */
  const firstAttempt = <T>(
    operation: TransportOperation<T>,
    call: CallPlan<T>,
    runner: RetryRunner,
  ): Promise<Result<T, IntegrationError>> | undefined => {
    if (slots === undefined || pacing === undefined) return undefined;
    let lane: BreakerLane | undefined;
    let generation: number | undefined;
    if (breakerOptions !== undefined) {
      lane = laneOf(call.key);
      generation = lane?.admitNow();
      if (generation === undefined) return undefined;
    }
    if (!slots.enterNow()) return undefined;
    const ticket = pacingOptions === undefined ? undefined : pacing.takeNow(call.key, call.estimate);
    if (pacingOptions !== undefined && ticket === undefined) {
      slots.leave();
      return undefined;
    }
    const startedAt = clock.now();
    return guardedRun(
      (attemptSignal) => operation(attemptSignal, 1, call.info),
      { signal: undefined, timeoutMs: call.info.timeoutMs, clock, label: 'attempt 1' },
      {
        settled: (result) => {
          slots.leave();
          if (ticket !== undefined) pacing.settleNow(ticket, pacingOutcome(result, call));
          if (result.isErr()) return afterFirstFailure(operation, call, runner, result, lane, generation, startedAt);
          // The duration is only read by a slow-call threshold or an onSuccess hook.
          const now = timesSuccesses || runner.reportsSuccess ? clock.now() : startedAt;
          const recorded = generation === undefined ? undefined : lane?.recordNow(generation, result, now - startedAt);
          runner.succeeded(call.key, 1, now - startedAt, logger);
          if (recorded === undefined) return result;
          return recorded.then(() => result);
        },
        threw: () => {
          slots.leave();
          if (ticket !== undefined) pacing.settleNow(ticket, {});
        },
      },
    );
  };

  /** Counts a failed first attempt as `attemptOnce` would, then lets the retry runner go on from it. */
  const afterFirstFailure = async <T>(
    operation: TransportOperation<T>,
    call: CallPlan<T>,
    runner: RetryRunner,
    result: Result<T, IntegrationError>,
    lane: BreakerLane | undefined,
    generation: number | undefined,
    startedAt: number,
  ): Promise<Result<T, IntegrationError>> => {
    const durationMs = clock.now() - startedAt;
    if (generation !== undefined && lane !== undefined) {
      await lane.recordNow(generation, result, durationMs);
      call.breakerCounted = lane.outcomeOf(result, durationMs) !== 'ignored';
    }
    return runner.run(
      (signal, attempt) => attemptOnce(operation, signal, attempt, call),
      runOptions(call.key, undefined, undefined, startedAt),
      result,
    );
  };

  const runOptions = (
    key: string,
    signal: AbortSignal | undefined,
    deadlineMs: number | undefined,
    startedAt?: number,
  ): RetryRunOptions => ({
    // attemptOnce guards the attempt itself (inside the bulkhead), so once is enough.
    guardAttempts: false,
    key,
    clock,
    random,
    logger,
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    ...(signal === undefined ? {} : { signal }),
  });

  const run = <T>(
    operation: TransportOperation<T>,
    callOptions: ExecuteOptions<T> = {},
  ): Promise<Result<T, IntegrationError>> => {
    const key = callOptions.key ?? 'default';
    const runner: RetryRunner =
      callOptions.retry === undefined ? defaultRunner : createRetryRunner({ ...retryPolicy, ...callOptions.retry });
    const deadlineMs = callOptions.deadlineMs ?? options.deadlineMs;
    checkPositive('attemptTimeoutMs', callOptions.attemptTimeoutMs);
    const timeoutMs = callOptions.attemptTimeoutMs ?? attemptTimeoutMs;
    const cancellable = callOptions.signal !== undefined || (deadlineMs !== undefined && Number.isFinite(deadlineMs));
    const info = timeoutMs === attemptTimeoutMs && !cancellable ? defaultInfo : { timeoutMs, cancellable };
    const call: CallPlan<T> = {
      key,
      estimate: callOptions.estimate ?? 0,
      info,
      rateLimitOf: callOptions.rateLimitOf,
      usageOf: callOptions.usageOf,
      breakerCounted: false,
      deadlineAt:
        cancellable && deadlineMs !== undefined && Number.isFinite(deadlineMs) ? clock.now() + deadlineMs : undefined,
    };
    // Nothing but the attempt timeout can end this call early: try attempt 1 on the direct path.
    const first = cancellable ? undefined : firstAttempt(operation, call, runner);
    if (first !== undefined) return first;
    return runner.run(
      (signal, attempt) => attemptOnce(operation, signal, attempt, call),
      runOptions(key, callOptions.signal, deadlineMs),
    );
  };

  const execute = <T>(
    operation: TransportOperation<T>,
    callOptions: ExecuteOptions<T> = {},
  ): ResultAsync<T, IntegrationError> => new ResultAsync(run(operation, callOptions));

  const runAllItems = <Item, Value>(
    items: readonly Item[],
    operation: (item: Item, context: RunAllContext) => OperationResult<Value>,
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

  return { execute, run, runAll: runAllItems, breakers, limiter, bulkhead };
}
