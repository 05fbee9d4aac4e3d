import { createError, type IntegrationError } from '@openai-integration/core';
import { err, ok, ResultAsync, type Result } from 'neverthrow';

/** How {@link pollUntil} waits. */
export interface PollOptions {
  /** What is awaited, for the error message, e.g. `the uploaded file in the list`. */
  readonly what: string;
  /** Checks at most this many times (at least 1). */
  readonly attempts: number;
  /** Waits this long between two checks, in ms. */
  readonly delayMs: number;
  /** How to wait (tests pass an instant one). Default: a timer. */
  readonly sleep?: (milliseconds: number) => Promise<void>;
}

const timerSleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, milliseconds);
  });

/**
 * Checks again and again until `check` gives a value, for what the API makes
 * visible only after a while (a new file in the files list: listing is eventually
 * consistent). `check` returns `ok(undefined)` for "not yet", `ok(value)` when done,
 * or an `err` that ends the polling at once (the transport has already retried what
 * was transient).
 *
 * Fails with: `TimeoutError` (kind `deadline`) when every check said "not yet", or
 * the error of a failed check.
 *
 * @example
 * const listed = await pollUntil(() => findFile(name), { what: 'the new file in the list', attempts: 10, delayMs: 1_000 });
 */
export function pollUntil<T>(
  check: (attempt: number) => Promise<Result<T | undefined, IntegrationError>>,
  options: PollOptions,
): ResultAsync<T, IntegrationError> {
  const sleep = options.sleep ?? timerSleep;
  const attempts = Math.max(1, Math.floor(options.attempts));
  const run = async (): Promise<Result<T, IntegrationError>> => {
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await sleep(options.delayMs);
      const checked = await check(attempt);
      if (checked.isErr()) return err(checked.error);
      if (checked.value !== undefined) return ok(checked.value);
    }
    const waitedMs = (attempts - 1) * options.delayMs;
    return err(
      createError('TimeoutError', {
        message: `${options.what} did not appear after ${attempts} checks over ${waitedMs} ms`,
        kind: 'deadline',
        timeoutMs: waitedMs,
        retryable: false,
      }),
    );
  };
  return new ResultAsync(run());
}
