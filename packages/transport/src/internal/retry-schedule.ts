import { retryAfterOf, type IntegrationError } from '@openai-integration/core';
import { Duration, Effect, Schedule } from 'effect';
import type { JitterStrategy } from '../retry/jitter-strategies.ts';
import type { GiveUpReason } from '../retry/retry-options.ts';

/** A validated retry policy: what the schedule is built from. */
export interface RetrySettings {
  /** Nominal delay before the first retry, in ms. */
  readonly baseDelayMs: number;
  /** Growth of the nominal delay per retry. */
  readonly factor: number;
  /** Upper bound of any delay the backoff computes, in ms. */
  readonly maxDelayMs: number;
  /** Turns a nominal delay into the one waited. */
  readonly jitter: JitterStrategy;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Largest server hint honoured, in ms. */
  readonly maxRetryAfterMs: number;
}

/** A wait the schedule refused because it would end after the deadline. */
export interface RefusedWait {
  readonly delayMs: number;
  readonly fromRetryAfter: boolean;
}

/** What one run of a retry schedule reads and reports back. */
export interface ScheduleRun {
  /** Random numbers in [0, 1) for jitter. */
  readonly random: () => number;
  /** When the call's deadline passes (clock time; Infinity: none). */
  readonly deadlineAt: number;
  /** Called before each wait: the error, the number of the attempt that failed, the wait and whether it is the server's hint. */
  readonly retrying: (error: IntegrationError, attempt: number, delayMs: number, fromRetryAfter: boolean) => void;
  /** Why the schedule stopped (set when it stops). */
  stop: GiveUpReason | undefined;
  /** The wait that would have passed the deadline, when the schedule stopped for it. */
  refusedWait: RefusedWait | undefined;
}

/**
 * The retry policy as an Effect `Schedule` over the errors of failed attempts: an
 * exponential backoff (`baseDelayMs × factor^(n-1)`), capped at `maxDelayMs`, jittered
 * by the configured strategy (which sees the delay waited before the previous retry),
 * limited to `maxRetries` recurrences, continuing only while the error is retryable
 * and its server hint (`retryAfterMs`) is within `maxRetryAfterMs`, with the delay
 * replaced by that hint when there is one, and stopping when the wait would end at or
 * after the deadline. It records in `run` why it stopped.
 *
 * One schedule serves one call (its jitter remembers the previous delay).
 *
 * @internal Its type names effect: kept out of the published declarations.
 */
export function retrySchedule(settings: RetrySettings, run: ScheduleRun): Schedule.Schedule<unknown, IntegrationError> {
  // The exact delay of the current step in ms (a Duration keeps nanoseconds; events report this number).
  let delayMs = 0;
  let previousDelayMs = 0;
  const stopUnless = (goOn: boolean, reason: GiveUpReason): boolean => {
    if (!goOn) run.stop = reason;
    return goOn;
  };
  return Schedule.exponential(Duration.millis(settings.baseDelayMs), settings.factor).pipe(
    Schedule.setInputType<IntegrationError>(),
    Schedule.while(({ input }) => stopUnless(input.retryable, 'not-retryable')),
    Schedule.while(({ attempt }) => stopUnless(attempt <= settings.maxRetries, 'retries-exhausted')),
    Schedule.while(({ input }) => {
      const hint = retryAfterOf(input);
      return stopUnless(hint === null || hint <= settings.maxRetryAfterMs, 'retry-after-too-long');
    }),
    // Capped and jittered; a delay the server asked for replaces it (and needs no random number).
    Schedule.modifyDelay(({ input, duration }) =>
      Effect.sync(() => {
        const hint = retryAfterOf(input);
        if (hint !== null) delayMs = hint;
        else {
          const nominal = Math.min(settings.maxDelayMs, Duration.toMillis(duration));
          const jittered = settings.jitter(nominal, previousDelayMs, run.random());
          delayMs = Number.isFinite(jittered)
            ? Math.min(settings.maxDelayMs, Math.max(0, jittered))
            : settings.maxDelayMs;
        }
        return Duration.millis(delayMs);
      }),
    ),
    Schedule.while(({ input, now }) => {
      if (now + delayMs < run.deadlineAt) return true;
      run.refusedWait = { delayMs, fromRetryAfter: retryAfterOf(input) !== null };
      return stopUnless(false, 'deadline');
    }),
    Schedule.tap(({ input, attempt }) =>
      Effect.sync(() => {
        previousDelayMs = delayMs;
        run.retrying(input, attempt, delayMs, retryAfterOf(input) !== null);
      }),
    ),
  );
}
