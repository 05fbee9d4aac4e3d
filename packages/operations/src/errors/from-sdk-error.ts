import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import {
  createError,
  fromHttpFailure,
  isIntegrationError,
  redactError,
  redactText,
  type ErrorOf,
  type IntegrationError,
} from '@openai-integration/core';
import { largeRequestBytes } from '@openai-integration/transport';

/** What the mapper may know beyond the exception itself. */
export interface SdkErrorContext {
  /** Exact secret values to scrub from messages (the API key in use). */
  readonly knownSecrets?: readonly string[];
  /** Clock for `retry-after` dates and rate-limit snapshots. */
  readonly now?: number;
  /** The caller's signal: an abort it caused is an `AbortedError`, not a connection failure. */
  readonly signal?: AbortSignal;
  /** The per-attempt timeout, when the attempt's own signal fired. */
  readonly timeoutMs?: number;
  /**
   * The size in bytes of the request body, when known: a connection that fails while
   * a large body is sent is reported with it, since its size is the likely cause.
   */
  readonly requestBytes?: number;
}

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MiB`;

/** A connection failure, with the size of the body being sent when it is known. */
function connectionError(
  message: string,
  code: string | null,
  cause: unknown,
  requestBytes: number | undefined,
): ErrorOf<'ConnectionError'> {
  if (requestBytes === undefined) return createError('ConnectionError', { message, code, cause });
  const large = requestBytes >= largeRequestBytes;
  return createError('ConnectionError', {
    message: large
      ? `the connection failed while a ${megabytes(requestBytes)} request was sent${code === null ? '' : ` (${code})`}: the server or a proxy may refuse a body this large; send less or split the request`
      : message,
    code,
    requestBytes,
    cause,
  });
}

/**
 * Whether the SDK (or the runtime under it) refused to build the request, so nothing
 * was sent: the SDK's own `OpenAIError` outside its API errors, an invalid header, or
 * a body that cannot be serialised.
 */
function isRefusedRequest(error: unknown): error is Error {
  if (error instanceof OpenAIError) return error.constructor === OpenAIError;
  if (error instanceof RangeError) return /invalid string length/i.test(error.message);
  return (
    error instanceof TypeError && /invalid header|header (name|value)|serializ|circular structure/i.test(error.message)
  );
}

interface ShapedApiError {
  readonly status: number;
  readonly headers?: Headers;
  readonly error?: unknown;
  readonly message: string;
}

const connectionCodes = /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_[A-Z_]+)\b/;

function causeCode(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const record = error as { code?: unknown; cause?: unknown; message?: unknown };
  if (typeof record.code === 'string') return record.code;
  if (typeof record.message === 'string') {
    const match = connectionCodes.exec(record.message);
    if (match?.[1] !== undefined) return match[1];
  }
  return causeCode(record.cause, depth + 1);
}

function safeMessage(error: unknown, knownSecrets: readonly string[]): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactText(text, knownSecrets).slice(0, 300);
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** An APIError from another copy of the SDK (a client the caller built) still has this shape. */
function isShapedApiError(error: unknown): error is ShapedApiError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

function fromStatus(error: ShapedApiError, context: SdkErrorContext): IntegrationError {
  return fromHttpFailure({
    status: error.status,
    ...(error.headers === undefined ? {} : { headers: error.headers }),
    // The SDK keeps the parsed `error` object of the body, or the raw text as message.
    body: typeof error.error === 'object' && error.error !== null ? { error: error.error } : error.message,
    cause: error,
    ...(context.knownSecrets === undefined ? {} : { knownSecrets: context.knownSecrets }),
    ...(context.now === undefined ? {} : { now: context.now }),
  });
}

/**
 * Maps anything the `openai` SDK or `fetch` can throw to the error union: status
 * errors through core's `fromHttpFailure` (request id, retry hints and rate-limit
 * snapshot kept), aborts, timeouts, connection failures, error events inside a
 * stream, and malformed JSON. A request the SDK refuses to build (nothing was sent) is
 * the caller's `ValidationError`; a connection that fails while a body of 1 MiB or
 * more is sent (`context.requestBytes`) is a `ConnectionError` that carries
 * `requestBytes` and says its size is the likely cause. The only place in the
 * workspace that uses `instanceof`.
 *
 * Fails with: every variant it returns is the result, never a throw.
 */
export function fromSdkError(error: unknown, context: SdkErrorContext = {}): IntegrationError {
  const mapped = mapSdkError(error, context);
  // Every string the error carries, its cause (the SDK's error) included, loses the known secrets too.
  return context.knownSecrets === undefined || context.knownSecrets.length === 0
    ? mapped
    : redactError(mapped, context.knownSecrets);
}

function mapSdkError(error: unknown, context: SdkErrorContext): IntegrationError {
  const knownSecrets = context.knownSecrets ?? [];
  if (isIntegrationError(error)) return error;
  // Ours, thrown inside the SDK (a credential callback) and wrapped by it: ours is the one that says what to fix.
  if (error instanceof OpenAIError && !(error instanceof APIError) && isIntegrationError(error.cause))
    return error.cause;
  if (error instanceof APIUserAbortError || isAbort(error) || context.signal?.aborted === true) {
    if (context.timeoutMs !== undefined && context.signal?.aborted !== true) {
      return createError('TimeoutError', {
        message: `the attempt timed out after ${context.timeoutMs} ms`,
        kind: 'attempt',
        timeoutMs: context.timeoutMs,
        cause: error,
      });
    }
    return createError('AbortedError', { message: 'the call was aborted by its caller', reason: null, cause: error });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return createError('TimeoutError', {
      message: 'the request timed out before the server answered',
      kind: 'attempt',
      timeoutMs: context.timeoutMs ?? 0,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    const code = causeCode(error.cause) ?? causeCode(error);
    return connectionError(
      `could not reach the API${code === null ? '' : ` (${code})`}: check OPENAI_BASE_URL and the network; retrying may help`,
      code,
      error,
      context.requestBytes,
    );
  }
  if (error instanceof APIError && error.status === undefined) {
    // An `event: error` frame or an `error` object inside a 200 stream.
    const inner = (error.error ?? {}) as { message?: unknown; code?: unknown };
    const code = typeof inner.code === 'string' ? inner.code : null;
    const text =
      typeof inner.message === 'string' ? redactText(inner.message, knownSecrets).slice(0, 300) : 'no message';
    return createError('StreamInterruptedError', {
      message: `the server reported an error inside the stream: ${text}`,
      reason: 'server-error-event',
      partial: { text: '', toolCalls: [], eventsReceived: 0, responseId: null, lastSequenceNumber: null },
      requestId: error.requestID ?? null,
      code,
      cause: error,
    });
  }
  if (error instanceof APIError || isShapedApiError(error)) return fromStatus(error as ShapedApiError, context);
  if (error instanceof SyntaxError) {
    return createError('MalformedResponseError', {
      message: `the response could not be parsed: ${safeMessage(error, knownSecrets)}`,
      requestId: null,
      status: null,
      cause: error,
    });
  }
  if (isRefusedRequest(error)) {
    const text = safeMessage(error, knownSecrets).replace(/\s+/g, ' ');
    const tooLarge = error instanceof RangeError;
    return createError('ValidationError', {
      message: tooLarge
        ? `the request body is too large to build in memory (${text}); nothing was sent: send less or split the request`
        : `the openai SDK refused to build the request (${text}); nothing was sent: fix the request`,
      issues: [{ path: 'request', message: text, code: tooLarge ? 'request_too_large' : 'request_refused' }],
      cause: error,
    });
  }
  const code = causeCode(error);
  if (code !== null || (error instanceof TypeError && /terminated|fetch failed|network|socket/i.test(error.message))) {
    return connectionError(
      `the connection failed${code === null ? '' : ` (${code})`}: ${safeMessage(error, knownSecrets)}`,
      code,
      error,
      context.requestBytes,
    );
  }
  return createError('MalformedResponseError', {
    message: `unexpected failure while calling the API: ${safeMessage(error, knownSecrets)}`,
    requestId: null,
    status: null,
    retryable: false,
    cause: error,
  });
}
