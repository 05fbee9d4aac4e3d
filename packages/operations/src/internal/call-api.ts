import { toRateLimitSnapshot, type IntegrationError, type RateLimitSnapshot } from '@openai-integration/core';
import type { ExecuteOptions, RetryPolicyOptions } from '@openai-integration/transport';
import { err, ok, ResultAsync } from 'neverthrow';
import type OpenAI from 'openai';
import { fromSdkError } from '../errors/from-sdk-error.ts';
import type { OperationContext } from './operation-context.ts';

/** Per-call settings every operation accepts. */
export interface CallOptions {
  /** Aborting it cancels the call, a waiting retry, or a running stream. */
  readonly signal?: AbortSignal;
  /** Total time for the call with all its retries, in ms. */
  readonly deadlineMs?: number;
  /** Time for one attempt, in ms. */
  readonly attemptTimeoutMs?: number;
  /** Overrides parts of the retry policy for this call (e.g. `{ maxRetries: 0 }`). */
  readonly retry?: RetryPolicyOptions;
}

/** What one request through the transport returned. */
export interface ApiCall<T> {
  readonly data: T;
  readonly requestId: string | null;
  readonly rateLimit: RateLimitSnapshot | null;
  readonly attempts: number;
}

/** A request the SDK can send, with access to the raw response. */
export interface SdkRequest<T> {
  withResponse(): Promise<{ readonly data: T; readonly response: Response; readonly request_id: string | null }>;
}

/** The transport key of a call: breakers and pacing are per endpoint and model. */
export const transportKey = (endpoint: string, model: string): string => `${endpoint}:${model}`;

/**
 * Sends one SDK request through the transport (retry, breaker, pacing, timeouts),
 * keeping the request id and the rate-limit snapshot of the response and feeding the
 * snapshot to the pacer. Never throws.
 */
export function callApi<T>(
  context: OperationContext,
  call: { readonly key: string; readonly estimate: number; readonly options: CallOptions },
  send: (client: OpenAI, signal: AbortSignal) => SdkRequest<T>,
): ResultAsync<ApiCall<T>, IntegrationError> {
  let attempts = 0;
  const { options } = call;
  const execute: ExecuteOptions = {
    key: call.key,
    estimate: call.estimate,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
  const sent = context.transport.execute(async (signal, attempt) => {
      attempts = attempt;
      try {
        const { data, response, request_id: requestId } = await send(context.client, signal).withResponse();
        const rateLimit = toRateLimitSnapshot(response.headers, context.clock.now()) ?? null;
        if (rateLimit !== null) {
          context.observeRateLimit(rateLimit);
          await context.transport.limiter.observe(call.key, rateLimit);
        }
        return ok({ data, requestId, rateLimit });
      } catch (thrown) {
        const error = fromSdkError(thrown, { knownSecrets: context.knownSecrets(), now: context.clock.now(), signal });
        if ('rateLimit' in error && error.rateLimit !== null) {
          context.observeRateLimit(error.rateLimit);
          await context.transport.limiter.observe(call.key, error.rateLimit);
        }
        return err(error);
      }
    }, execute);
  // One wrapper, not a `.map` chain: this runs on every call.
  return new ResultAsync((async () => (await sent).map((value) => ({ ...value, attempts })))());
}
