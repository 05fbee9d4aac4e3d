import {
  createError,
  retryAfterOf,
  withErrorFields,
  type ErrorOf,
  type IntegrationError,
  type Logger,
} from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { systemClock, type Clock } from '../clock/clock.ts';
import { createBackoff, type Backoff } from '../retry/create-backoff.ts';
import type { GiveUpReason, RetryOptions, RetryPolicyOptions } from '../retry/retry-options.ts';
import { toAbortedError } from './aborted-error.ts';
import { callHook } from './call-hook.ts';
import { guardedRun } from './guarded-run.ts';
import { settledReason } from './settled-reason.ts';
import { silentLogger } from './silent-logger.ts';
import type { OperationResult } from '../transport/operation-result.ts';

/** The operation a retry policy repeats: it gets a per-attempt signal and the attempt number (1-based). */
export type AttemptOperation<T> = (signal: AbortSignal, attempt: number) => OperationResult<T>;

/** Per-call settings of a {@link RetryRunner} run. */
export type RetryRunOptions = Pick<
  RetryOptions,
  'signal' | 'deadlineMs' | 'attemptTimeoutMs' | 'key' | 'clock' | 'random' | 'logger'
> & {
  /**
   * Whether each attempt runs under its own guard (its own signal, settling at once on
   * abort). Default true; the transport turns it off because it guards each attempt
   * itself, inside the bulkhead.
   */
  readonly guardAttempts?: boolean;
  /** When the call started, if before the run (it made attempt 1 itself). Default: now. */
  readonly startedAt?: number;
};

/** A validated retry policy that can run many calls. */
export interface RetryRunner {
  /**
   * Runs attempts until the policy stops. `first` is the result of attempt 1 when the
   * caller already made it (then the runner goes on from there).
   */
  run<T>(
    operation: AttemptOperation<T>,
    options: RetryRunOptions,
    first?: Result<T, IntegrationError>,
  ): Promise<Result<T, IntegrationError>>;
  /** Reports a call that succeeded without the runner (the `onSuccess` hook, when set). */
  succeeded(key: string, attempts: number, elapsedMs: number, logger: Logger): void;
  /** Whether `succeeded` reports anything (an `onSuccess` hook is set). */
  readonly reportsSuccess: boolean;
}

export const defaultMaxRetries = 6;
export const defaultMaxRetryAfterMs = 60_000;

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
 * Validates a retry policy (TypeError for impossible numbers) and returns a runner
 * that applies it: attempts until success, a non-retryable error, the last retry,
 * an over-long server hint, the deadline or an abort.
 */
export function createRetryRunner(policy: RetryPolicyOptions): RetryRunner {
  const backoff: Backoff = createBackoff(policy);
  const maxRetries = policy.maxRetries ?? defaultMaxRetries;
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    throw new TypeError(`maxRetries must be an integer >= 0, got ${maxRetries}`);
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? defaultMaxRetryAfterMs;
  if (!(maxRetryAfterMs >= 0)) throw new TypeError(`maxRetryAfterMs must be a number >= 0, got ${maxRetryAfterMs}`);

  function run<T>(
    operation: AttemptOperation<T>,
    options: RetryRunOptions,
    first?: Result<T, IntegrationError>,
  ): Promise<Result<T, IntegrationError>> {
    checkPositive('deadlineMs', options.deadlineMs);
    checkPositive('attemptTimeoutMs', options.attemptTimeoutMs);
    return runChecked(operation, options, first);
  }

  const succeeded = (key: string, attempts: number, elapsedMs: number, logger: Logger): void => {
    if (policy.onSuccess !== undefined) callHook(policy.onSuccess, { key, attempts, elapsedMs }, logger, 'onSuccess');
  };

  async function runChecked<T>(
    operation: AttemptOperation<T>,
    options: RetryRunOptions,
    first: Result<T, IntegrationError> | undefined,
  ): Promise<Result<T, IntegrationError>> {
    const clock: Clock = options.clock ?? systemClock;
    const random = options.random ?? Math.random;
    const logger: Logger = options.logger ?? silentLogger;
    const key = options.key ?? 'default';
    const { signal, deadlineMs } = options;
    const started = options.startedAt ?? clock.now();
    const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : started + deadlineMs;

    const scope = new AbortController();
    const finished = deadlineMs !== undefined && Number.isFinite(deadlineMs) ? new AbortController() : undefined;
    let deadlinePassed = false;
    const onAbort = (): void => {
      scope.abort(signal?.reason);
    };
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    if (finished !== undefined) {
      void clock.sleep(deadlineMs ?? 0, finished.signal).then(() => {
        if (finished.signal.aborted || scope.signal.aborted) return;
        deadlinePassed = true;
        scope.abort(new Error(`deadline of ${deadlineMs} ms passed`));
      });
    }

    let attempts = 0;
    let lastError: IntegrationError | undefined;

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
    const deadlineError = (next?: { readonly delayMs: number; readonly fromRetryAfter: boolean }): IntegrationError => {
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
    const stopped = (): boolean => scope.signal.aborted;
    const interrupted = (): Result<T, IntegrationError> =>
      deadlinePassed ? giveUp(deadlineError(), 'deadline') : giveUp(toAbortedError(scope.signal), 'aborted');

    try {
      let previousDelay = 0;
      for (;;) {
        if (stopped()) return interrupted();
        attempts += 1;
        const attempt = attempts;
        const result =
          attempt === 1 && first !== undefined
            ? first
            : options.guardAttempts === false
              ? await operation(scope.signal, attempt)
              : await guardedRun((attemptSignal) => operation(attemptSignal, attempt), {
                  signal: scope.signal,
                  timeoutMs: options.attemptTimeoutMs,
                  clock,
                  label: `attempt ${attempt}`,
                });
        if (result.isOk()) {
          succeeded(key, attempts, clock.now() - started, logger);
          return ok(result.value);
        }
        if (stopped()) return interrupted();
        const error =
          result.error._tag === 'CircuitOpenError' && lastError !== undefined
            ? refusedRetry(result.error, attempt, lastError)
            : result.error;
        lastError = error;
        if (!error.retryable) return giveUp(error, 'not-retryable');
        if (attempt > maxRetries) return giveUp(error, 'retries-exhausted');
        const hint = retryAfterOf(error);
        if (hint !== null && hint > maxRetryAfterMs) return giveUp(error, 'retry-after-too-long');
        const delay = hint ?? backoff.delay(attempt, previousDelay, random());
        if (clock.now() + delay >= deadlineAt)
          return giveUp(deadlineError({ delayMs: delay, fromRetryAfter: hint !== null }), 'deadline');
        logger.debug({ key, attempt, delayMs: delay, ...describe(error) }, 'retrying');
        callHook(
          policy.onRetry,
          { key, attempt, delayMs: delay, fromRetryAfter: hint !== null, error },
          logger,
          'onRetry',
        );
        await clock.sleep(delay, scope.signal);
        previousDelay = delay;
      }
    } finally {
      finished?.abort(settledReason);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return { run, succeeded, reportsSuccess: policy.onSuccess !== undefined };
}
