import { toRateLimitSnapshot, type IntegrationError, type RateLimitSnapshot } from '@openai-integration/core';
import type { AttemptInfo, ExecuteOptions, RetryPolicyOptions } from '@openai-integration/transport';
import { err, ok, type Result } from 'neverthrow';
import type OpenAI from 'openai';
import { fromSdkError } from '../errors/from-sdk-error.ts';
import type { OperationContext } from './operation-context.ts';
import { readJsonBody, type JsonShape } from './read-json-body.ts';
import { noopCall, type CallTelemetry } from '../telemetry/create-operations-telemetry.ts';

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

/**
 * The options an SDK request is sent with: the attempt's signal when something can
 * abort it early, and the attempt timeout for the SDK to enforce on the request itself.
 */
export interface SdkRequestOptions {
  readonly signal?: AbortSignal;
  readonly timeout?: number;
}

// setTimeout takes at most a 32-bit delay; a longer one would fire at once.
const maxTimerMs = 2_147_483_647;

/**
 * The options of one attempt's SDK request. The SDK links a caller's signal into its
 * own controller on every request (a composite signal and weak listeners, about a
 * tenth of the SDK's own CPU time per call), so the attempt's signal goes along only
 * when the call can be aborted before its attempt timeout (a caller signal or a
 * deadline). The timeout goes along when it is not the client's own: either way the
 * SDK cancels a request that outlives it, as the transport ends the attempt.
 */
export function sdkRequestOptions(client: OpenAI, signal: AbortSignal, info: AttemptInfo): SdkRequestOptions {
  // The client's own timeout needs no per-request option (which would also add a header).
  const timeout =
    info.timeoutMs !== client.timeout && Number.isFinite(info.timeoutMs) && info.timeoutMs <= maxTimerMs
      ? info.timeoutMs
      : undefined;
  if (info.cancellable) return timeout === undefined ? { signal } : { signal, timeout };
  return timeout === undefined ? {} : { timeout };
}

const keys = new Map<string, Map<string, string>>();

/**
 * The transport key of a call: breakers and pacing are per endpoint and model. Keys
 * are remembered, so that the breaker and pacing maps look up the same flat string on
 * every call instead of hashing a new one.
 */
export function transportKey(endpoint: string, model: string): string {
  let byModel = keys.get(endpoint);
  if (byModel === undefined) {
    byModel = new Map();
    keys.set(endpoint, byModel);
  }
  let key = byModel.get(model);
  if (key === undefined) {
    key = `${endpoint}:${model}`;
    // Model names come from callers; a bounded cache cannot grow without end.
    if (byModel.size < 1_000) byModel.set(model, key);
  }
  return key;
}

/** Where a sent call's value keeps what pacing learns from its response: the rate-limit snapshot and the tokens used. */
export interface PacingReaders<T> {
  readonly rateLimitOf: (value: T) => RateLimitSnapshot | null;
  readonly usageOf: (value: T) => number | null;
}

/** The transport's options for one call. */
export function executeOptions<T>(
  call: { readonly key: string; readonly estimate: number; readonly options: CallOptions },
  readers?: PacingReaders<T>,
): ExecuteOptions<T> {
  const { options } = call;
  // The common call has none of the optional settings: no object spreads for it.
  if (
    options.signal === undefined &&
    options.deadlineMs === undefined &&
    options.attemptTimeoutMs === undefined &&
    options.retry === undefined
  ) {
    return readers === undefined
      ? { key: call.key, estimate: call.estimate }
      : { key: call.key, estimate: call.estimate, rateLimitOf: readers.rateLimitOf, usageOf: readers.usageOf };
  }
  return {
    key: call.key,
    estimate: call.estimate,
    ...(readers === undefined ? {} : { rateLimitOf: readers.rateLimitOf, usageOf: readers.usageOf }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
}

/**
 * The tokens a response's body says the call used (`usage.total_tokens` of a chat
 * completion, a response or an embedding list), or null when it has none.
 */
function totalTokensOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const usage = (data as { readonly usage?: unknown }).usage;
  if (typeof usage !== 'object' || usage === null) return null;
  const total = (usage as { readonly total_tokens?: unknown }).total_tokens;
  return typeof total === 'number' && total >= 0 ? total : null;
}

/** What the transport reads from every sent call for pacing (shared: one object for every call). */
const apiCallReaders: PacingReaders<ApiCall<unknown>> = {
  rateLimitOf: (sent) => sent.rateLimit,
  usageOf: (sent) => totalTokensOf(sent.data),
};

/** A successful attempt: the data with its request id and rate-limit snapshot (fed to the pacer). */
function sentCall<T>(
  context: OperationContext,
  data: T,
  response: Response,
  requestId: string | null,
  attempt: number,
): Result<ApiCall<T>, IntegrationError> {
  const rateLimit = toRateLimitSnapshot(response.headers, context.clock.now()) ?? null;
  if (rateLimit !== null) context.observeRateLimit(rateLimit);
  return ok({ data, requestId, rateLimit, attempts: attempt });
}

/** A failed attempt: what was thrown as the error union. The transport records the error's rate-limit snapshot for pacing. */
function failedCall(context: OperationContext, thrown: unknown, signal: AbortSignal): Result<never, IntegrationError> {
  const error = fromSdkError(thrown, { knownSecrets: context.knownSecrets(), now: context.clock.now(), signal });
  if ('rateLimit' in error && error.rateLimit !== null) context.observeRateLimit(error.rateLimit);
  return err(error);
}

/**
 * Sends one SDK request through the transport (retry, breaker, pacing, timeouts),
 * keeping the request id and the rate-limit snapshot of the response; the transport
 * feeds the snapshot and the usage of the response to the pacer. Never rejects.
 */
export function callApi<T>(
  context: OperationContext,
  call: TelemetryCall,
  send: (client: OpenAI, requestOptions: SdkRequestOptions) => SdkRequest<T>,
): Promise<Result<ApiCall<T>, IntegrationError>> {
  return (call.telemetry ?? noopCall).run(
    context.transport,
    async (signal, attempt, info): Promise<Result<ApiCall<T>, IntegrationError>> => {
      try {
        const {
          data,
          response,
          request_id: requestId,
        } = await send(context.client, sdkRequestOptions(context.client, signal, info)).withResponse();
        return sentCall(context, data, response, requestId, attempt);
      } catch (thrown) {
        return failedCall(context, thrown, signal);
      }
    },
    executeOptions<ApiCall<T>>(call, apiCallReaders),
  );
}

/** One call through the transport, with the telemetry of the operation it belongs to. */
interface TelemetryCall {
  readonly key: string;
  readonly estimate: number;
  readonly options: CallOptions;
  readonly telemetry?: CallTelemetry;
}

/** A request whose raw response is read by the caller (`asResponse()` of the SDK's promise). */
export interface RawSdkRequest {
  asResponse(): Promise<Response>;
}

/**
 * {@link callApi} for an endpoint whose JSON is used as the server sent it: the body
 * is read and checked here (see `readJsonBody`), not by the SDK. The SDK still builds,
 * authenticates and sends the request, and turns an error status into its error.
 */
export function callJsonApi<T>(
  context: OperationContext,
  call: TelemetryCall,
  send: (client: OpenAI, requestOptions: SdkRequestOptions) => RawSdkRequest,
  expected: JsonShape<T>,
): Promise<Result<ApiCall<T>, IntegrationError>> {
  return (call.telemetry ?? noopCall).run(
    context.transport,
    async (signal, attempt, info): Promise<Result<ApiCall<T>, IntegrationError>> => {
      try {
        const response = await send(context.client, sdkRequestOptions(context.client, signal, info)).asResponse();
        const body = await readJsonBody(response, signal, expected);
        if (body.isErr()) return err(body.error);
        return sentCall(context, body.value, response, response.headers.get('x-request-id'), attempt);
      } catch (thrown) {
        return failedCall(context, thrown, signal);
      }
    },
    executeOptions<ApiCall<T>>(call, apiCallReaders),
  );
}
