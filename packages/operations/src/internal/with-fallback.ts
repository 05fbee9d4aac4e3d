import { createError, type IntegrationError } from '@openai-integration/core';
import type { ResultAsync } from 'neverthrow';
import { errAsync } from 'neverthrow';
import type { SkippedModel } from './call-meta.ts';

/** Whether an error means "this model will not answer now; try the next one". */
export function shouldFallBack(error: IntegrationError): boolean {
  switch (error._tag) {
    case 'NotFoundError':
    case 'CircuitOpenError':
    case 'InternalServerError':
    case 'BadGatewayError':
    case 'ServiceUnavailableError':
    case 'GatewayTimeoutError':
      return true;
    case 'UnexpectedStatusError':
      return error.status >= 500;
    case 'BadRequestError':
      return error.code === 'context_length_exceeded';
    default:
      return false;
  }
}

/** The value of a call and the fallback models passed over on the way. */
export interface FallbackOutcome<T> {
  readonly value: T;
  readonly model: string;
  readonly skipped: readonly SkippedModel[];
}

/**
 * Tries each model of a chain in turn. A model that fails the pre-flight check (for
 * example, the prompt does not fit its context window) is skipped without a request;
 * a model whose call fails with an error for which {@link shouldFallBack} holds (404,
 * open circuit, 5xx after retries, context too long) hands over to the next. Any other
 * error, or the last model's error, ends the chain.
 */
export function withFallback<T>(
  chain: readonly string[],
  run: (model: string) => ResultAsync<T, IntegrationError>,
  preflight: (model: string) => string | undefined = () => undefined,
): ResultAsync<FallbackOutcome<T>, IntegrationError> {
  const skipped: SkippedModel[] = [];
  const step = (index: number): ResultAsync<FallbackOutcome<T>, IntegrationError> => {
    const model = chain[index];
    if (model === undefined) {
      const reasons = skipped.map((entry) => `${entry.model}: ${entry.reason}`).join('; ');
      return errAsync(
        createError('ValidationError', {
          message: `no model of the chain could take the call (${reasons}); choose a model that fits, or shorten the prompt`,
          issues: skipped.map((entry) => ({ path: entry.model, message: entry.reason, code: 'model_skipped' })),
        }),
      );
    }
    const unfit = preflight(model);
    if (unfit !== undefined) {
      skipped.push({ model, reason: unfit, errorTag: null });
      return step(index + 1);
    }
    return run(model)
      .map((value) => ({ value, model, skipped: [...skipped] }))
      .orElse((error) => {
        if (index + 1 >= chain.length || !shouldFallBack(error)) return errAsync(error);
        skipped.push({ model, reason: error.message, errorTag: error._tag });
        return step(index + 1);
      });
  };
  return step(0);
}
