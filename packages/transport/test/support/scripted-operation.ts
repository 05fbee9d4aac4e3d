import type { IntegrationError } from '@openai-integration/core';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import type { Clock } from '@openai-integration/core';

/** What one attempt of a scripted operation does. */
export type Step<T> = { readonly ok: T } | { readonly err: IntegrationError } | 'hang';

/** An operation that plays its steps in order (the last one repeats) and records each call. */
export interface ScriptedOperation<T> {
  (signal: AbortSignal, attempt: number): ResultAsync<T, IntegrationError>;
  /** The clock time of each attempt. */
  readonly calls: { readonly at: number; readonly attempt: number; readonly signal: AbortSignal }[];
}

export function scripted<T>(clock: Clock, steps: readonly Step<T>[]): ScriptedOperation<T> {
  const calls: { at: number; attempt: number; signal: AbortSignal }[] = [];
  const operation = (signal: AbortSignal, attempt: number): ResultAsync<T, IntegrationError> => {
    calls.push({ at: clock.now(), attempt, signal });
    const step = steps[Math.min(calls.length, steps.length) - 1];
    if (step === undefined || step === 'hang') return new ResultAsync(new Promise(() => undefined));
    return 'ok' in step ? okAsync(step.ok) : errAsync(step.err);
  };
  return Object.assign(operation, { calls });
}
