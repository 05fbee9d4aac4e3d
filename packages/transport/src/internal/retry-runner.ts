import {
  createError,
  systemClock,
  withErrorFields,
  type Clock,
  type ErrorOf,
  type IntegrationError,
  type Logger,
} from '@openai-integration/core';
import { Cause, Clock as EffectClock, Duration, Effect, Exit, Scheduler } from 'effect';
import { err, ok, type Result } from 'neverthrow';
import type { Answer } from './answer.ts';
import { fromAnswer } from './answer-effect.ts';
import { createBackoff, defaultBackoffOptions } from '../retry/create-backoff.ts';
import { jitterStrategies } from '../retry/jitter-strategies.ts';
import type { GiveUpReason, RetryOptions, RetryPolicyOptions } from '../retry/retry-options.ts';
import type { TransportOutcome } from '../transport/transport-outcome.ts';
import { toAbortedError } from './aborted-error.ts';
import { callHook } from './call-hook.ts';
import { toEffectClock } from './effect-clock.ts';
import { guardedAttempt } from './guarded-attempt.ts';
import { retrySchedule, type RefusedWait, type RetrySettings, type ScheduleRun } from './retry-schedule.ts';
import { silentLogger } from './silent-logger.ts';

/** The operation a retry policy repeats: it gets a per-attempt signal and the attempt number (1-based). */
export type AttemptOperation<T> = (signal: AbortSignal, attempt: number) => TransportOutcome<T>;

/** How an attempt's operation ended, for {@link AttemptSteps.conclude}. */
export type AttemptEnding<T> =
  | { readonly type: 'settled'; readonly result: Result<T, IntegrationError> }
  /** Interrupted by the caller's abort or the deadline: the attempt was cut short. */
  | { readonly type: 'cut' }
  /** The operation threw or rejected (a programming error; the call rejects). */
  | { readonly type: 'threw' };

/**
 * One attempt in plain steps, which the runner runs as an Effect program: `admit`,
 * then `send` raced against `timeoutMs`, then `conclude`, which runs however the
 * attempt ends (interrupted by an abort or the deadline included).
 */
export interface AttemptSteps<T, Permit> {
  /**
   * Asks for leave to send, at once or waiting; `signal` aborts when the attempt is
   * interrupted while it waits.
   */
  admit(signal: AbortSignal): Answer<Result<Permit, IntegrationError>>;
  /** Gives back what an admission granted after its attempt was interrupted. */
  giveBack(permit: Permit): Answer<void>;
  /** Starts the operation with the attempt's own signal. */
  send(permit: Permit, signal: AbortSignal): TransportOutcome<T>;
  /** The attempt's timeout in ms (undefined or Infinity: none). */
  readonly timeoutMs: number | undefined;
  /** Gives back the permit, telling how the operation ended and how long it ran. */
  conclude(permit: Permit, ending: AttemptEnding<T>, durationMs: number): Answer<void>;
}

/** Per-call settings of a {@link RetryRunner} run. */
export type RetryRunOptions = Pick<RetryOptions, 'signal' | 'deadlineMs' | 'key' | 'clock' | 'random' | 'logger'> & {
  /** When the call started, if before the run (it made attempt 1 itself). Default: now. */
  readonly startedAt?: number;
};

/** A validated retry policy that can run many calls. */
export interface RetryRunner {
  /**
   * Runs attempts until the policy stops. `first` is the result of attempt 1 when the
   * caller already made it (then the runner goes on from there).
   */
  run<T, Permit>(
    stepsOf: (attempt: number) => AttemptSteps<T, Permit>,
    options: RetryRunOptions,
    first?: Result<T, IntegrationError>,
  ): Promise<Result<T, IntegrationError>>;
  /** Reports a call that succeeded without the runner (the `onSuccess` hook, when set). */
  succeeded(key: string, attempts: number, elapsedMs: number, logger: Logger): void;
  /** Whether `succeeded` reports anything (an `onSuccess` hook is set). */
  readonly reportsSuccess: boolean;
}

const defaultMaxRetries = 6;
const defaultMaxRetryAfterMs = 60_000;

/** Throws a TypeError unless `value` is undefined or a number > 0 (Infinity allowed). */
export function checkPositive(name: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0)) throw new TypeError(`${name} must be a number > 0, got ${value}`);
}

/** `1 attempt`, `3 attempts`. */
const attemptsText = (count: number): string => `${count} attempt${count === 1 ? '' : 's'}`;

/** How a message names an earlier error: its tag and its own (safe) message. */
const named = (error: IntegrationError): string => `${error._tag}: ${error.message}`;

/**
 * The open circuit a retry ran into, carrying the call's last real error as `cause`
 * and naming it, so that the reason the call failed is not lost behind the refusal.
 */
function refusedRetry(
  refusal: ErrorOf<'CircuitOpenError'>,
  attempt: number,
  previous: IntegrationError,
): ErrorOf<'CircuitOpenError'> {
  return createError('CircuitOpenError', {
    message: `${refusal.message}; retry ${attempt - 1} of the call was refused after ${attemptsText(attempt - 1)} that failed; last error: ${named(previous)}`,
    key: refusal.key,
    retryAfterMs: refusal.retryAfterMs,
    retryable: refusal.retryable,
    cause: previous,
  });
}

const describe = (error: IntegrationError): Record<string, unknown> => ({
  tag: error._tag,
  retryable: error.retryable,
  ...('status' in error && typeof error.status === 'number' ? { status: error.status } : {}),
  ...('requestId' in error && typeof error.requestId === 'string' ? { requestId: error.requestId } : {}),
});

/**
 * The runtime's scheduler for these programs: it resumes on microtasks, never on a
 * macrotask, so a program moves on as promise code would (and as tests driving a
 * manual clock expect).
 */
const microtaskScheduler = new Scheduler.MixedScheduler('sync');

/** The defect an exit died with, if it died (a programming error of an operation). */
function defectOf(cause: Cause.Cause<unknown>): { readonly defect: unknown } | undefined {
  for (const reason of cause.reasons) if (Cause.isDieReason(reason)) return { defect: reason.defect };
  return undefined;
}

/** How an attempt's Effect ended, as its steps are told. */
function endingOf<T>(exit: Exit.Exit<Result<T, IntegrationError>>): AttemptEnding<T> {
  if (Exit.isSuccess(exit)) return { type: 'settled', result: exit.value };
  return defectOf(exit.cause) === undefined ? { type: 'cut' } : { type: 'threw' };
}

/** The validated settings of a policy (TypeError for impossible numbers). */
function toRetrySettings(policy: RetryPolicyOptions): RetrySettings {
  createBackoff(policy);
  const maxRetries = policy.maxRetries ?? defaultMaxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    throw new TypeError(`maxRetries must be an integer >= 0, got ${maxRetries}`);
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? defaultMaxRetryAfterMs;
  if (!(maxRetryAfterMs >= 0)) throw new TypeError(`maxRetryAfterMs must be a number >= 0, got ${maxRetryAfterMs}`);
  const jitter = policy.jitter ?? defaultBackoffOptions.jitter;
  return {
    baseDelayMs: policy.baseDelayMs ?? defaultBackoffOptions.baseDelayMs,
    factor: policy.factor ?? defaultBackoffOptions.factor,
    maxDelayMs: policy.maxDelayMs ?? defaultBackoffOptions.maxDelayMs,
    jitter: typeof jitter === 'function' ? jitter : jitterStrategies[jitter],
    maxRetries,
    maxRetryAfterMs,
  };
}

/**
 * Validates a retry policy (TypeError for impossible numbers) and returns a runner
 * that applies it as an Effect program: attempts retried on the policy's `Schedule`
 * until success, a non-retryable error, the last retry, an over-long server hint, the
 * deadline (a race with a timer on the clock) or an abort (the caller's signal
 * interrupts the program's fiber, which aborts the running attempt).
 */
export function createRetryRunner(policy: RetryPolicyOptions): RetryRunner {
  const settings = toRetrySettings(policy);

  const succeeded = (key: string, attempts: number, elapsedMs: number, logger: Logger): void => {
    if (policy.onSuccess !== undefined) callHook(policy.onSuccess, { key, attempts, elapsedMs }, logger, 'onSuccess');
  };

  function run<T, Permit>(
    stepsOf: (attempt: number) => AttemptSteps<T, Permit>,
    options: RetryRunOptions,
    first?: Result<T, IntegrationError>,
  ): Promise<Result<T, IntegrationError>> {
    const clock: Clock = options.clock ?? systemClock;
    const logger: Logger = options.logger ?? silentLogger;
    const key = options.key ?? 'default';
    const { signal, deadlineMs } = options;
    checkPositive('deadlineMs', deadlineMs);
    const started = options.startedAt ?? clock.now();
    const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : started + deadlineMs;

    let attempts = 0;
    let lastError: IntegrationError | undefined;
    let deadlineReason: Error | undefined;
    // Why the attempt in progress is interrupted: the deadline, or the caller's abort.
    const reason = (): unknown => deadlineReason ?? signal?.reason;

    const giveUp = (error: IntegrationError, reason: GiveUpReason): Result<T, IntegrationError> => {
      const final = withErrorFields(error, { attempts });
      if (reason === 'aborted') logger.debug({ key, attempts, reason, ...describe(final) }, 'call aborted');
      else logger.warn({ key, attempts, reason, ...describe(final) }, 'giving up');
      callHook(policy.onGiveUp, { key, attempts, reason, error: final }, logger, 'onGiveUp');
      return err(final);
    };
    /**
     * The deadline's error: it passed during an attempt (the deadline's timer never
     * fires before the first one starts), or (with `next`) the next wait would pass it.
     */
    const deadlineError = (next?: RefusedWait): IntegrationError => {
      const limitMs = deadlineMs ?? 0;
      const last = lastError === undefined ? '' : `; last error: ${named(lastError)}`;
      const what =
        next === undefined
          ? `deadline of ${limitMs} ms passed during attempt ${attempts}`
          : `stopped after ${attemptsText(attempts)} in ${Math.round(clock.now() - started)} ms: the next retry in ${Math.round(next.delayMs)} ms${next.fromRetryAfter ? ' (as the server asked)' : ''} would pass the ${limitMs} ms deadline`;
      return createError('TimeoutError', {
        message: `${what}${last}`,
        kind: 'deadline',
        timeoutMs: limitMs,
        retryable: false,
        ...(lastError === undefined ? {} : { cause: lastError }),
      });
    };

    if (signal?.aborted === true) return Promise.resolve(giveUp(toAbortedError(signal), 'aborted'));

    const schedule: ScheduleRun = {
      random: options.random ?? Math.random,
      deadlineAt,
      stop: undefined,
      refusedWait: undefined,
      retrying: (error, attempt, delayMs, fromRetryAfter) => {
        logger.debug({ key, attempt, delayMs, ...describe(error) }, 'retrying');
        callHook(policy.onRetry, { key, attempt, delayMs, fromRetryAfter, error }, logger, 'onRetry');
      },
    };

    /** One attempt: admitted, sent against its timeout, concluded however it ends. */
    const attemptProgram = (
      steps: AttemptSteps<T, Permit>,
      number: number,
    ): Effect.Effect<Result<T, IntegrationError>> =>
      Effect.flatMap(
        fromAnswer(
          (admitSignal) => steps.admit(admitSignal),
          (late) => (late.isOk() ? steps.giveBack(late.value) : undefined),
        ),
        (admitted) => {
          if (admitted.isErr()) return Effect.succeed(err(admitted.error));
          const permit = admitted.value;
          const sentAt = clock.now();
          const sent = guardedAttempt((attemptSignal) => steps.send(permit, attemptSignal), {
            timeoutMs: steps.timeoutMs,
            label: `attempt ${number}`,
            reason,
          });
          return Effect.onExit(sent, (exit) =>
            fromAnswer(
              () => steps.conclude(permit, endingOf(exit), clock.now() - sentAt),
              () => undefined,
            ),
          );
        },
      );

    const attempt = Effect.suspend(() => {
      attempts += 1;
      const number = attempts;
      const result =
        number === 1 && first !== undefined ? Effect.succeed(first) : attemptProgram(stepsOf(number), number);
      return Effect.flatMap(result, (settled) => {
        if (settled.isOk()) return Effect.succeed(settled.value);
        const error =
          settled.error._tag === 'CircuitOpenError' && lastError !== undefined
            ? refusedRetry(settled.error, number, lastError)
            : settled.error;
        lastError = error;
        return Effect.fail(error);
      });
    });

    const retried = attempt.pipe(
      Effect.retry(retrySchedule(settings, schedule)),
      Effect.match({
        onSuccess: (value): Result<T, IntegrationError> => {
          succeeded(key, attempts, clock.now() - started, logger);
          return ok(value);
        },
        onFailure: (error) => {
          const reason = schedule.stop ?? 'not-retryable';
          return giveUp(reason === 'deadline' ? deadlineError(schedule.refusedWait) : error, reason);
        },
      }),
    );

    // The deadline is a race with a timer started before the first attempt; when it
    // wins, the attempt in progress is interrupted with the deadline as its reason.
    const bounded =
      deadlineMs === undefined || !Number.isFinite(deadlineMs)
        ? retried
        : Effect.raceFirst(
            Effect.sleep(Duration.millis(deadlineMs)).pipe(
              Effect.map((): undefined => {
                deadlineReason = new Error(`deadline of ${deadlineMs} ms passed`);
                return undefined;
              }),
            ),
            retried,
          ).pipe(Effect.map((result) => result ?? giveUp(deadlineError(), 'deadline')));

    const program = Effect.provideService(bounded, EffectClock.Clock, toEffectClock(clock));
    return new Promise((resolve, reject) => {
      // The caller's signal interrupts the fiber; the attempt's cleanup aborts the operation's signal.
      const fiber = Effect.runFork(program, {
        scheduler: microtaskScheduler,
        ...(signal === undefined ? {} : { signal }),
      });
      fiber.addObserver((exit) => {
        if (Exit.isSuccess(exit)) {
          resolve(exit.value);
          return;
        }
        const died = defectOf(exit.cause);
        // An operation that threw broke its contract: the call rejects with what it threw.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what the operation threw goes to the caller unchanged, Error or not
        if (died !== undefined) reject(died.defect);
        else resolve(giveUp(toAbortedError(signal ?? AbortSignal.abort()), 'aborted'));
      });
    });
  }

  return { run, succeeded, reportsSuccess: policy.onSuccess !== undefined };
}

const admittedAtOnce: Result<undefined, IntegrationError> = ok(undefined);
const admitted = (): Result<undefined, IntegrationError> => admittedAtOnce;
const nothing = (): undefined => undefined;

/**
 * Runs an operation under a retry policy with guarded attempts (their own signal,
 * settling at once on abort, timeout or deadline): what `withRetry` does.
 */
export function runWithRetry<T>(
  operation: AttemptOperation<T>,
  options: RetryOptions,
  runner: RetryRunner = createRetryRunner(options),
): Promise<Result<T, IntegrationError>> {
  checkPositive('attemptTimeoutMs', options.attemptTimeoutMs);
  return runner.run(
    (attempt): AttemptSteps<T, undefined> => ({
      admit: admitted,
      giveBack: nothing,
      send: (_permit, signal) => operation(signal, attempt),
      timeoutMs: options.attemptTimeoutMs,
      conclude: nothing,
    }),
    options,
  );
}
