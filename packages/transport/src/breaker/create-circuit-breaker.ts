import { createError, type IntegrationError, type Logger } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { systemClock, type Clock } from '../clock/clock.ts';
import { createMemoryStore, isMemoryStore } from '../store/create-memory-store.ts';
import type { StateStore } from '../store/state-store.ts';
import {
  admit,
  advance,
  forceClose,
  initialRecord,
  settle,
  unchangedBySuccess,
  windowStats,
  type BreakerSettings,
  type Outcome,
  type Step,
  type TransitionReason,
} from '../internal/breaker-machine.ts';
import { callHook } from '../internal/call-hook.ts';
import { createSerialQueue } from '../internal/serial-queue.ts';
import { silentLogger } from '../internal/silent-logger.ts';
import type { BreakerRecord, CircuitState } from './circuit-state.ts';
import { isServiceFailure } from './is-service-failure.ts';
import type { OperationResult } from '../transport/operation-result.ts';

/** Where circuit-breaker records live; see {@link StateStore}. */
export type BreakerStore = StateStore<BreakerRecord>;

/** Why a circuit changed state. */
export type BreakerChangeReason = TransitionReason;

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

/**
 * What the transport uses to admit and count a call without a promise while the
 * state answers at once (the in-memory store with nothing queued). Not public.
 */
export interface BreakerLane {
  /** The generation of a closed circuit that admits a call now, or undefined (then `acquire` decides). */
  admitNow(): number | undefined;
  /** Counts the outcome of a call `admitNow` let through: at once, or in a promise when the change has to wait its turn. */
  recordNow(
    generation: number,
    result: Result<unknown, IntegrationError>,
    durationMs: number,
  ): Promise<void> | undefined;
  /** How a result would be counted (`isFailure` and the slow-call threshold), without counting it. */
  outcomeOf(result: Result<unknown, IntegrationError>, durationMs: number): Outcome;
  /** Whether no read or write of the state is queued or running. */
  idle(): boolean;
}

const lanes = new WeakMap<CircuitBreaker, BreakerLane>();

const noop = (): void => undefined;

/** The lane of a breaker made by {@link createCircuitBreaker}, or undefined for any other object. */
export function breakerLane(breaker: CircuitBreaker): BreakerLane | undefined {
  return lanes.get(breaker);
}

/** A circuit breaker for one key; see {@link createCircuitBreaker}. */
export interface CircuitBreaker {
  readonly key: string;
  /**
   * Runs the operation unless the circuit is open, and counts its outcome.
   *
   * Fails with: `CircuitOpenError` (without calling the operation), or the operation's own error.
   */
  execute<T>(operation: () => OperationResult<T>): ResultAsync<T, IntegrationError>;
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
 * The defaults of {@link CircuitBreakerOptions}: the circuit opens when at least half
 * of the last 100 calls failed, once 50 calls are in the window (each call counts
 * once, however often it is retried); no trip on failures in a row; 30 s open, then
 * one probe.
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
} as const;

const check = (name: string, value: number, valid: boolean): number => {
  if (!valid) throw new TypeError(`${name} is out of range: ${value}`);
  return value;
};
const positiveInteger = (name: string, value: number): number =>
  check(name, value, Number.isInteger(value) && value > 0);

function toSettings(options: CircuitBreakerOptions): BreakerSettings {
  const window = options.window ?? defaultBreakerOptions.window;
  const rate = options.failureRateThreshold ?? defaultBreakerOptions.failureRateThreshold;
  const consecutive = options.consecutiveFailures ?? defaultBreakerOptions.consecutiveFailures;
  const openDurationMs = options.openDurationMs ?? defaultBreakerOptions.openDurationMs;
  const factor = options.openDurationFactor ?? defaultBreakerOptions.openDurationFactor;
  const maxOpen = options.maxOpenDurationMs ?? Math.max(defaultBreakerOptions.maxOpenDurationMs, openDurationMs);
  const retryAfter = options.halfOpenRetryAfterMs ?? defaultBreakerOptions.halfOpenRetryAfterMs;
  return {
    window:
      window.type === 'count'
        ? { type: 'count', size: positiveInteger('window.size', window.size) }
        : {
            type: 'time',
            durationMs: check(
              'window.durationMs',
              window.durationMs,
              window.durationMs > 0 && Number.isFinite(window.durationMs),
            ),
            buckets: positiveInteger('window.buckets', window.buckets ?? 10),
          },
    failureRateThreshold: check('failureRateThreshold', rate, rate > 0 && rate <= 1),
    minimumCalls: positiveInteger('minimumCalls', options.minimumCalls ?? defaultBreakerOptions.minimumCalls),
    consecutiveFailures: check(
      'consecutiveFailures',
      consecutive,
      consecutive === Number.POSITIVE_INFINITY || (Number.isInteger(consecutive) && consecutive > 0),
    ),
    openDurationMs: check('openDurationMs', openDurationMs, openDurationMs >= 0 && Number.isFinite(openDurationMs)),
    openDurationFactor: check('openDurationFactor', factor, factor >= 1 && Number.isFinite(factor)),
    maxOpenDurationMs: check('maxOpenDurationMs', maxOpen, maxOpen >= openDurationMs && Number.isFinite(maxOpen)),
    halfOpenMaxProbes: positiveInteger(
      'halfOpenMaxProbes',
      options.halfOpenMaxProbes ?? defaultBreakerOptions.halfOpenMaxProbes,
    ),
    halfOpenSuccessThreshold: positiveInteger(
      'halfOpenSuccessThreshold',
      options.halfOpenSuccessThreshold ?? defaultBreakerOptions.halfOpenSuccessThreshold,
    ),
    halfOpenRetryAfterMs: check('halfOpenRetryAfterMs', retryAfter, retryAfter >= 0 && Number.isFinite(retryAfter)),
  };
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
 * within the process. A store that throws makes the call reject. Throws a TypeError
 * for out-of-range options.
 *
 * Fails with: `CircuitOpenError`, or the operation's own error.
 *
 * @example
 * const breaker = createCircuitBreaker({ key: 'chat:gpt-4o', minimumCalls: 20 });
 * const result = await breaker.execute(() => callTheApi());
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const settings = toSettings(options);
  const key = options.key ?? 'default';
  const store: BreakerStore = options.store ?? createMemoryStore<BreakerRecord>();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const isFailure = options.isFailure ?? isServiceFailure;
  const serial = createSerialQueue();

  const emit = (step: Step<unknown>, at: number): void => {
    for (const transition of step.transitions) {
      const change: BreakerStateChange = { key, ...transition, at };
      const fields = { key, from: transition.from.type, to: transition.to.type, reason: transition.reason };
      if (transition.to.type === 'open') logger.warn(fields, 'circuit opened');
      else logger.info(fields, `circuit ${transition.to.type}`);
      callHook(options.onStateChange, change, logger, 'onStateChange');
      if (transition.to.type === 'open') callHook(options.onBreak, change, logger, 'onBreak');
      else if (transition.to.type === 'closed') callHook(options.onReset, change, logger, 'onReset');
      else callHook(options.onHalfOpen, change, logger, 'onHalfOpen');
    }
  };

  /**
   * Reads, changes and writes the record at once when the in-memory store answers and
   * nothing is queued (then no queue is needed), and reports its transitions; undefined
   * when the change has to wait its turn.
   */
  const updateNow = <Extra>(change: (record: BreakerRecord, now: number) => Step<Extra>): Step<Extra> | undefined => {
    if (!isMemoryStore(store) || !serial.idle()) return undefined;
    const record = store.get(key) ?? initialRecord(settings);
    const now = clock.now();
    const step = change(record, now);
    if (step.record !== record) store.set(key, step.record);
    emit(step, now);
    return step;
  };
  /** Reads, changes and writes the record under the queue, then reports its transitions. */
  const update = <Extra>(change: (record: BreakerRecord, now: number) => Step<Extra>): Promise<Step<Extra>> => {
    const step = updateNow(change);
    if (step !== undefined) return Promise.resolve(step);
    return serial(async () => {
      const record = (await store.get(key)) ?? initialRecord(settings);
      const now = clock.now();
      const next = change(record, now);
      if (next.record !== record) await store.set(key, next.record);
      emit(next, now);
      return next;
    });
  };

  const outcomeOf = (result: Result<unknown, IntegrationError>, durationMs: number): Outcome => {
    if (result.isErr()) return isFailure(result.error) ? 'failure' : 'ignored';
    return options.slowCallThresholdMs !== undefined && durationMs >= options.slowCallThresholdMs
      ? 'failure'
      : 'success';
  };

  const acquire = (acquireOptions: BreakerAcquireOptions = {}): ResultAsync<BreakerPermit, IntegrationError> =>
    new ResultAsync(
      update((record, now) => admit(record, settings, now)).then((step): Result<BreakerPermit, IntegrationError> => {
        const admission = step.extra.admission;
        if (admission.type === 'reject') {
          return err(
            createError('CircuitOpenError', {
              message: `circuit ${key} is open; next probe in ${Math.ceil(admission.retryAfterMs)} ms`,
              key,
              retryAfterMs: admission.retryAfterMs,
            }),
          );
        }
        // A retry of a call that was counted already counts only as a probe.
        const counts = admission.probe || acquireOptions.callCounted !== true;
        let settled = false;
        const finish = async (outcome: Outcome): Promise<Outcome> => {
          if (settled) return 'ignored';
          settled = true;
          await update((record, now) => settle(record, settings, now, admission, outcome));
          return outcome;
        };
        return ok({
          probe: admission.probe,
          record: (result, durationMs) => finish(counts ? outcomeOf(result, durationMs) : 'ignored'),
          release: async () => {
            await finish('ignored');
          },
        });
      }),
    );

  const execute = <T>(operation: () => OperationResult<T>): ResultAsync<T, IntegrationError> =>
    acquire().andThen(
      (permit) =>
        new ResultAsync(
          (async (): Promise<Result<T, IntegrationError>> => {
            const started = clock.now();
            let result: Result<T, IntegrationError>;
            try {
              result = await operation();
            } catch (thrown) {
              await permit.release();
              throw thrown;
            }
            await permit.record(result, clock.now() - started);
            return result;
          })(),
        ),
    );

  const read = (): Promise<BreakerRecord> => update((record, now) => advance(record, now)).then((step) => step.record);

  const lane: BreakerLane = {
    admitNow: () => {
      if (!isMemoryStore(store) || !serial.idle()) return undefined;
      const record = store.get(key);
      if (record === undefined) return initialRecord(settings).generation;
      return record.state.type === 'closed' ? record.generation : undefined;
    },
    recordNow: (generation, result, durationMs) => {
      const outcome = outcomeOf(result, durationMs);
      // An ignored outcome of a call admitted while closed changes nothing.
      if (outcome === 'ignored') return undefined;
      // Nor does one more success in a full window of successes (the common case: no allocation).
      if (outcome === 'success' && isMemoryStore(store) && serial.idle()) {
        const record = store.get(key);
        if (record?.generation === generation && unchangedBySuccess(record, settings)) return undefined;
      }
      const change = (record: BreakerRecord, now: number): Step =>
        settle(record, settings, now, { probe: false, generation }, outcome);
      return updateNow(change) === undefined ? update(change).then(noop) : undefined;
    },
    outcomeOf,
    idle: () => serial.idle(),
  };

  const breaker: CircuitBreaker = {
    key,
    execute,
    acquire,
    state: async () => (await read()).state,
    snapshot: async () => {
      const record = await read();
      const stats = windowStats(record.window, settings, clock.now());
      return {
        key,
        state: record.state,
        calls: stats.calls,
        failures: stats.failures,
        failureRate: stats.calls === 0 ? null : stats.failures / stats.calls,
        consecutiveFailures: record.consecutiveFailures,
      };
    },
    reset: async () => {
      await update((record) => forceClose(record, settings));
    },
  };
  lanes.set(breaker, lane);
  return breaker;
}
