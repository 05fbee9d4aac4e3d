import { createError, type IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type { SkippedModel } from './call-meta.ts';

/**
 * Whether an error means "this model will not answer now; try the next one": unknown
 * model, open circuit, a call that client-side pacing (or a full bulkhead) refused
 * without sending it (`RateLimitError` origin `client`), 5xx after retries, context
 * too long. A server 429 is not among them: it ends the call with its retry hint.
 */
export function shouldFallBack(error: IntegrationError): boolean {
  switch (error._tag) {
    case 'RateLimitError':
      return error.origin === 'client';
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

/** No model passed over (shared: the list is frozen). */
export const noneSkipped: readonly SkippedModel[] = Object.freeze([]);

/**
 * Tries each model of a chain in turn. A model that fails the pre-flight check (for
 * example, the prompt does not fit its context window) is skipped without a request;
 * a model whose call fails with an error for which {@link shouldFallBack} holds (404,
 * open circuit, refused by pacing, 5xx after retries, context too long) hands over to
 * the next. Any other
 * error, or the last model's error, ends the chain.
 */
export async function withFallback<T>(
  chain: readonly string[],
  run: (model: string) => PromiseLike<Result<T, IntegrationError>>,
  preflight: (model: string) => string | undefined = () => undefined,
): Promise<Result<FallbackOutcome<T>, IntegrationError>> {
  const skipped: SkippedModel[] = [];
  for (const [index, model] of chain.entries()) {
    const unfit = preflight(model);
    if (unfit !== undefined) {
      skipped.push({ model, reason: unfit, errorTag: null });
      continue;
    }
    const result = await run(model);
    if (result.isOk()) return ok({ value: result.value, model, skipped: [...skipped] });
    if (index + 1 >= chain.length || !shouldFallBack(result.error)) return err(result.error);
    skipped.push({ model, reason: result.error.message, errorTag: result.error._tag });
  }
  const reasons = skipped.map((entry) => `${entry.model}: ${entry.reason}`).join('; ');
  return err(
    createError('ValidationError', {
      message: `no model of the chain could take the call (${reasons}); choose a model that fits, or shorten the prompt`,
      issues: skipped.map((entry) => ({ path: entry.model, message: entry.reason, code: 'model_skipped' })),
    }),
  );
}
