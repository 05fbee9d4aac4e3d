import { toRateLimitSnapshot, type IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type OpenAI from 'openai';
import { fromSdkError } from '../errors/from-sdk-error.ts';
import type { ApiCall, SdkRequest } from './call-api.ts';
import type { OperationContext } from './operation-context.ts';

/**
 * Makes one attempt of a request inside an operation the transport already runs (for
 * example an item of `transport.runAll`): maps what the SDK throws to the error union
 * and feeds the rate-limit snapshot to the pacer. Never throws.
 */
export async function sendAttempt<T>(
  context: OperationContext,
  attempt: { readonly key: string; readonly signal: AbortSignal; readonly attempt: number },
  send: (client: OpenAI, signal: AbortSignal) => SdkRequest<T>,
): Promise<Result<ApiCall<T>, IntegrationError>> {
  try {
    const { data, response, request_id: requestId } = await send(context.client, attempt.signal).withResponse();
    const rateLimit = toRateLimitSnapshot(response.headers, context.clock.now()) ?? null;
    if (rateLimit !== null) {
      context.observeRateLimit(rateLimit);
      await context.transport.limiter.observe(attempt.key, rateLimit);
    }
    return ok({ data, requestId, rateLimit, attempts: attempt.attempt });
  } catch (thrown) {
    const error = fromSdkError(thrown, {
      knownSecrets: context.knownSecrets(),
      now: context.clock.now(),
      signal: attempt.signal,
    });
    if ('rateLimit' in error && error.rateLimit !== null) {
      context.observeRateLimit(error.rateLimit);
      await context.transport.limiter.observe(attempt.key, error.rateLimit);
    }
    return err(error);
  }
}
