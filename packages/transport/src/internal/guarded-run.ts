import { createError, type IntegrationError } from '@openai-integration/core';
import { err, type Result } from 'neverthrow';
import type { Clock } from '../clock/clock.ts';
import { toAbortedError } from './aborted-error.ts';
import { settledReason } from './settled-reason.ts';
import type { OperationResult } from '../transport/operation-result.ts';

/** What {@link guardedRun} needs besides the operation. */
export interface GuardedRunOptions {
  /** Aborting it ends the run at once with `AbortedError`. */
  readonly signal: AbortSignal | undefined;
  /** After this many ms the run's signal is aborted and the run ends with `TimeoutError` kind `attempt`. */
  readonly timeoutMs: number | undefined;
  readonly clock: Clock;
  /** Names the attempt in the timeout message. */
  readonly label: string;
}

/**
 * Runs one operation with its own AbortSignal and settles as soon as the operation
 * settles, the parent signal aborts (`AbortedError`) or the timeout passes
 * (`TimeoutError` kind `attempt`; the operation's signal is aborted). An operation
 * that ignores its signal is abandoned: its late result, or late rejection, is
 * dropped. An operation that throws or rejects before that rejects the run.
 */
export async function guardedRun<T>(
  operation: (signal: AbortSignal) => OperationResult<T>,
  options: GuardedRunOptions,
): Promise<Result<T, IntegrationError>> {
  const { signal: parent, timeoutMs, clock } = options;
  if (parent?.aborted === true) return err(toAbortedError(parent));
  const controller = new AbortController();
  // Only a timeout needs a timer to cancel once the run settles.
  const finished = timeoutMs !== undefined && Number.isFinite(timeoutMs) ? new AbortController() : undefined;
  let timedOut = false;
  const timeoutError = (): IntegrationError =>
    createError('TimeoutError', {
      message: `${options.label} timed out after ${timeoutMs ?? 0} ms`,
      kind: 'attempt',
      timeoutMs: timeoutMs ?? 0,
    });
  const onParentAbort = (): void => {
    controller.abort(parent?.reason);
  };
  parent?.addEventListener('abort', onParentAbort, { once: true });
  if (finished !== undefined) {
    void clock.sleep(timeoutMs ?? 0, finished.signal).then(() => {
      if (finished.signal.aborted) return;
      timedOut = true;
      controller.abort(timeoutError());
    });
  }
  try {
    return await new Promise<Result<T, IntegrationError>>((resolve, reject) => {
      controller.signal.addEventListener(
        'abort',
        () => {
          resolve(err(timedOut ? timeoutError() : toAbortedError(controller.signal)));
        },
        { once: true },
      );
      operation(controller.signal).then(resolve, reject);
    });
  } finally {
    finished?.abort(settledReason);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
