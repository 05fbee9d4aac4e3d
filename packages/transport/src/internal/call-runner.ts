import {
  createError,
  type Clock,
  type IntegrationError,
  type Logger,
  type RateLimitSnapshot,
} from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type { PacingOutcome, PacingRequest } from '../pacing/create-rate-limiter.ts';
import type { AttemptInfo, TransportOperation } from '../transport/create-transport.ts';
import { andThen, isWaiting, type Answer } from './answer.ts';
import type { BreakerPolicies } from './breaker-policies.ts';
import type { BreakerTicket } from './breaker-policy.ts';
import type { BulkheadPolicy } from './bulkhead-policy.ts';
import { guardedRun } from './guarded-run.ts';
import type { PacingPolicy, PacingTicket } from './pacing-policy.ts';
import type { AttemptEnding, AttemptSteps, RetryRunner, RetryRunOptions } from './retry-runner.ts';

/** One call as every attempt of it sees it. */
export interface CallPlan<T> {
  readonly key: string;
  readonly estimate: number;
  readonly info: AttemptInfo;
  readonly rateLimitOf: ((value: T) => RateLimitSnapshot | null | undefined) | undefined;
  readonly usageOf: ((value: T) => number | null | undefined) | undefined;
  /** Whether the breaker counted an attempt of this call already (a call counts once, however often it is retried). */
  breakerCounted: boolean;
  /** When the call's deadline passes (clock time), if it has one: pacing waits only if the call can go before. */
  readonly deadlineAt: number | undefined;
  /** What each attempt asks the pacer for (with the attempt's signal added when it can abort). */
  readonly pacing: PacingRequest;
}

/** The policies a call goes through, and how the transport runs. */
export interface CallRunnerParts {
  /** The breakers, or undefined when breaking is off. */
  readonly breakers: BreakerPolicies | undefined;
  /** The pacer, or undefined when pacing is off. */
  readonly pacer: PacingPolicy | undefined;
  readonly bulkhead: BulkheadPolicy;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
  /** Whether a breaker may count a slow success as a failure (then every success is timed). */
  readonly timesSuccesses: boolean;
}

/** How one call starts: with its caller's signal and deadline, if any. */
interface CallStart {
  readonly signal: AbortSignal | undefined;
  readonly deadlineMs: number | undefined;
}

/** Runs calls of a transport; see {@link createCallRunner}. */
export interface CallRunner {
  /** Runs every attempt of one call; settles with its Result (rejects only when the operation throws). */
  run<T>(
    operation: TransportOperation<T>,
    call: CallPlan<T>,
    retry: RetryRunner,
    start: CallStart,
  ): Promise<Result<T, IntegrationError>>;
}

/** What an admitted attempt holds until it is over (a bulkhead slot besides). */
interface Permits {
  readonly breaker: BreakerTicket | undefined;
  readonly pacing: PacingTicket | undefined;
}

/** The error pacing learns from an attempt that was cut short. */
const cutShort = createError('AbortedError', { message: 'the attempt was cut short', reason: null });

/** What pacing learns from an attempt's result. */
function pacingOutcome<T>(result: Result<T, IntegrationError>, call: CallPlan<T>): PacingOutcome {
  if (result.isErr()) return { error: result.error };
  const { rateLimitOf, usageOf } = call;
  if (rateLimitOf === undefined && usageOf === undefined) return {};
  return { snapshot: rateLimitOf?.(result.value) ?? null, usedTokens: usageOf?.(result.value) ?? null };
}

/**
 * Creates what runs a transport's calls: each attempt asks the breaker, the pacer and
 * the bulkhead for leave through their one `admit` contract (answered at once while
 * their state is in memory), runs the operation, then gives back what it took.
 *
 * Attempt 1 of a call that only its timeout can end runs directly when every policy
 * admits it at once: no promise per policy, no Effect runtime. Everything else (a
 * retry, a call with a caller signal or a deadline, an admission that has to wait)
 * runs in the retry runner's Effect program, as the same steps: the admission, then
 * the operation raced against its timeout, then the release of the permits, which
 * runs however the attempt ends (interruption included).
 */
export function createCallRunner(parts: CallRunnerParts): CallRunner {
  const { breakers, pacer, bulkhead, clock, logger } = parts;

  /** Asks breaker, pacer and bulkhead, in that order; gives back what was taken when one refuses. */
  const admit = <T>(call: CallPlan<T>, signal: AbortSignal | undefined): Answer<Result<Permits, IntegrationError>> => {
    if (breakers === undefined) return admitPaced(call, signal, undefined);
    const breaking = breakers.get(call.key).admit(call.breakerCounted);
    if (isWaiting(breaking)) return breaking.then((admitted) => admitBreaker(call, signal, admitted));
    return admitBreaker(call, signal, breaking);
  };

  const admitBreaker = <T>(
    call: CallPlan<T>,
    signal: AbortSignal | undefined,
    admitted: Result<BreakerTicket, IntegrationError>,
  ): Answer<Result<Permits, IntegrationError>> =>
    admitted.isErr() ? err(admitted.error) : admitPaced(call, signal, admitted.value);

  const admitPaced = <T>(
    call: CallPlan<T>,
    signal: AbortSignal | undefined,
    breaker: BreakerTicket | undefined,
  ): Answer<Result<Permits, IntegrationError>> => {
    if (pacer === undefined) return admitSlot(signal, { breaker, pacing: undefined });
    const pacing = pacer.admit(signal === undefined ? call.pacing : { ...call.pacing, signal });
    if (isWaiting(pacing)) return pacing.then((paced) => admitSlotAfterPacing(signal, breaker, paced));
    return admitSlotAfterPacing(signal, breaker, pacing);
  };

  const admitSlotAfterPacing = (
    signal: AbortSignal | undefined,
    breaker: BreakerTicket | undefined,
    paced: Result<PacingTicket, IntegrationError>,
  ): Answer<Result<Permits, IntegrationError>> => {
    if (paced.isErr()) return andThen(breaker?.release(), () => err(paced.error));
    return admitSlot(signal, { breaker, pacing: paced.value });
  };

  const admitSlot = (signal: AbortSignal | undefined, permits: Permits): Answer<Result<Permits, IntegrationError>> => {
    const slot = bulkhead.admit(signal);
    if (isWaiting(slot)) return slot.then((entered) => afterSlot(permits, entered));
    return afterSlot(permits, slot);
  };

  const afterSlot = (
    permits: Permits,
    slot: Result<void, IntegrationError>,
  ): Answer<Result<Permits, IntegrationError>> =>
    slot.isOk() ? ok(permits) : andThen(release(permits), () => err(slot.error));

  /** Gives back the permits of an attempt that was not sent. */
  const release = (permits: Permits): Answer<void> =>
    andThen(permits.pacing?.release(), () => permits.breaker?.release());

  /**
   * Tells pacing and the breaker how a sent attempt went. Only what the service did
   * counts with the breaker: not an attempt cut short by the caller's abort or the
   * deadline.
   */
  const conclude = <T>(
    call: CallPlan<T>,
    permits: Permits,
    result: Result<T, IntegrationError>,
    durationMs: number,
    cut: boolean,
  ): Answer<void> =>
    andThen(permits.pacing?.settle(pacingOutcome(result, call)), () => {
      const { breaker } = permits;
      if (breaker === undefined) return undefined;
      if (cut) return breaker.release();
      return andThen(breaker.record(result, durationMs), (outcome) => {
        if (outcome !== 'ignored') call.breakerCounted = true;
      });
    });

  /** Gives back the permits of an attempt whose operation threw (a programming error). */
  const concludeThrown = (permits: Permits): Answer<void> =>
    andThen(permits.pacing?.settle({}), () => permits.breaker?.release());

  /** The steps of one attempt; attempt 1 may come with an admission already asked for. */
  const stepsOf =
    <T>(
      operation: TransportOperation<T>,
      call: CallPlan<T>,
      firstAdmission: Answer<Result<Permits, IntegrationError>> | undefined,
    ) =>
    (attempt: number): AttemptSteps<T, Permits> => ({
      admit: (signal) =>
        attempt === 1 && firstAdmission !== undefined
          ? firstAdmission
          : admit(call, call.info.cancellable ? signal : undefined),
      giveBack: (permits) => {
        bulkhead.leave();
        return release(permits);
      },
      send: (_permits, signal) => operation(signal, attempt, call.info),
      timeoutMs: call.info.timeoutMs,
      conclude: (permits, ending: AttemptEnding<T>, durationMs) => {
        bulkhead.leave();
        if (ending.type === 'settled') return conclude(call, permits, ending.result, durationMs, false);
        if (ending.type === 'threw') return concludeThrown(permits);
        return conclude(call, permits, err(cutShort), durationMs, true);
      },
    });

  const runOptions = (call: { readonly key: string }, start: CallStart, startedAt?: number): RetryRunOptions => ({
    key: call.key,
    clock,
    random: parts.random,
    logger,
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(start.deadlineMs === undefined ? {} : { deadlineMs: start.deadlineMs }),
    ...(start.signal === undefined ? {} : { signal: start.signal }),
  });

  /** Attempt 1 on the direct path: admitted at once, run with a plain timer; a failure goes on in the runner. */
  const direct = <T>(
    operation: TransportOperation<T>,
    call: CallPlan<T>,
    retry: RetryRunner,
    start: CallStart,
  ): Promise<Result<T, IntegrationError>> => {
    const startedAt = clock.now();
    const admitted = admit(call, undefined);
    if (isWaiting(admitted)) return retry.run(stepsOf(operation, call, admitted), runOptions(call, start));
    if (admitted.isErr())
      return retry.run(stepsOf(operation, call, undefined), runOptions(call, start, startedAt), err(admitted.error));
    const permits = admitted.value;
    return guardedRun(
      (signal) => operation(signal, 1, call.info),
      { signal: undefined, timeoutMs: call.info.timeoutMs, clock, label: 'attempt 1' },
      {
        settled: (result) => {
          bulkhead.leave();
          // The duration is only read by a failure, a slow-call threshold or an onSuccess hook.
          const now = result.isErr() || parts.timesSuccesses || retry.reportsSuccess ? clock.now() : startedAt;
          const concluded = conclude(call, permits, result, now - startedAt, false);
          if (result.isErr()) {
            const goOn = (): Promise<Result<T, IntegrationError>> =>
              retry.run(stepsOf(operation, call, undefined), runOptions(call, start, startedAt), result);
            return isWaiting(concluded) ? concluded.then(goOn) : goOn();
          }
          retry.succeeded(call.key, 1, now - startedAt, logger);
          return isWaiting(concluded) ? concluded.then(() => result) : result;
        },
        threw: () => {
          bulkhead.leave();
          const concluded = concludeThrown(permits);
          if (isWaiting(concluded))
            concluded.catch(() => {
              logger.warn({ key: call.key }, 'giving back the permits of an attempt that threw failed');
            });
        },
      },
    );
  };

  return {
    run: (operation, call, retry, start) => {
      // Nothing but the attempt timeout can end this call early: try attempt 1 on the direct path.
      if (!call.info.cancellable) {
        try {
          return direct(operation, call, retry, start);
        } catch (thrown) {
          // A store that threw while admitting: the call rejects, as it would from a promise.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the store threw goes to the caller unchanged
          return Promise.reject(thrown);
        }
      }
      return retry.run(stepsOf(operation, call, undefined), runOptions(call, start));
    },
  };
}
