import type { RateLimitSnapshot } from '../rate-limit/rate-limit-snapshot.ts';
import { redactError } from './redact-error.ts';

/** Fields every HTTP failure from an OpenAI-compatible endpoint carries. */
export interface ApiErrorFields {
  /** The HTTP status of the response. */
  readonly status: number;
  /** `error.code` of the body, e.g. `rate_limit_exceeded`, `model_not_found`. */
  readonly code: string | null;
  /** `error.type` of the body, e.g. `invalid_request_error`, `tokens`. */
  readonly type: string | null;
  /** `error.param` of the body: the request field the server objected to. */
  readonly param: string | null;
  /** `x-request-id` of the response, for support tickets. */
  readonly requestId: string | null;
  /** How long the server asked the caller to wait, in milliseconds, if it said. */
  readonly retryAfterMs: number | null;
  /** The rate-limit headers of the failing response, if it had any. */
  readonly rateLimit: RateLimitSnapshot | null;
}

/** One category of a content filter's verdict (Azure OpenAI): `hate`, `sexual`, `violence`, `self_harm`, `jailbreak`, ... */
export interface ContentFilterVerdict {
  readonly category: string;
  /** Whether this category made the filter refuse. */
  readonly filtered: boolean;
  /** `safe`, `low`, `medium` or `high` where the filter says; null otherwise. */
  readonly severity: string | null;
}

/** Text and tool-call fragments a stream delivered before it broke. */
export interface StreamPartialOutput {
  /** The concatenated text received so far. */
  readonly text: string;
  /** Tool calls as far as they arrived; `arguments` may be incomplete JSON. */
  readonly toolCalls: readonly {
    readonly index: number;
    readonly id: string | null;
    readonly name: string | null;
    readonly arguments: string;
  }[];
  /** How many events were received before the break. */
  readonly eventsReceived: number;
  /** The response or completion id, if the stream got far enough to say it. */
  readonly responseId: string | null;
  /** Responses API: the last `sequence_number` seen, to resume with `starting_after`. */
  readonly lastSequenceNumber: number | null;
}

/** How a stream ended without its proper end. */
export type StreamInterruptReason =
  | 'connection-lost'
  | 'idle-timeout'
  | 'total-timeout'
  | 'server-error-event'
  | 'ended-without-terminator'
  | 'malformed-event';

/** Which clock ran out. */
export type TimeoutKind = 'attempt' | 'deadline' | 'idle' | 'total';

/** Which part of a request was too large: its body (413), its URL (414) or its headers (431). */
export type RequestPart = 'body' | 'url' | 'headers';

/**
 * The typed fields of each error variant, by `_tag`. Every variant also has
 * `_tag`, `message`, `retryable`, and optionally `attempts` and `cause`.
 */
export interface ErrorFieldsByTag {
  readonly BadRequestError: ApiErrorFields;
  readonly AuthenticationError: ApiErrorFields;
  readonly PermissionDeniedError: ApiErrorFields;
  readonly NotFoundError: ApiErrorFields;
  readonly ConflictError: ApiErrorFields;
  readonly UnprocessableEntityError: ApiErrorFields;
  readonly RateLimitError: ApiErrorFields & {
    /** `server` for a 429; `client` when our own pacing refused to send the call. */
    readonly origin: 'server' | 'client';
  };
  readonly QuotaExceededError: ApiErrorFields;
  readonly ContentFilterError: ApiErrorFields & {
    /** What the filter judged: the prompt (the request was refused) or the completion. */
    readonly source: 'prompt' | 'completion';
    /** The verdict per category, as the filter results said (at most 16 categories). */
    readonly verdicts: readonly ContentFilterVerdict[];
  };
  readonly InternalServerError: ApiErrorFields;
  readonly BadGatewayError: ApiErrorFields;
  readonly ServiceUnavailableError: ApiErrorFields;
  readonly GatewayTimeoutError: ApiErrorFields;
  readonly UnexpectedStatusError: ApiErrorFields;
  readonly RequestTooLargeError: ApiErrorFields & {
    /** What was too large: the body (413), the URL (414) or the headers (431). */
    readonly part: RequestPart;
  };
  readonly ConnectionError: {
    readonly code: string | null;
    /**
     * The size in bytes of the request body that was being sent, when the caller knew
     * it. A large one makes its size the likely cause of a reset (a server or proxy
     * refusing the body), rather than an unhealthy service.
     */
    readonly requestBytes?: number;
  };
  readonly TimeoutError: { readonly kind: TimeoutKind; readonly timeoutMs: number };
  readonly AbortedError: { readonly reason: string | null };
  readonly StreamInterruptedError: {
    readonly reason: StreamInterruptReason;
    readonly partial: StreamPartialOutput;
    readonly requestId: string | null;
    readonly code: string | null;
  };
  readonly MalformedResponseError: { readonly requestId: string | null; readonly status: number | null };
  readonly ValidationError: {
    readonly issues: readonly { readonly path: string; readonly message: string; readonly code: string }[];
  };
  readonly ConfigError: {
    readonly variable: string;
    readonly fix: string;
    readonly problems: readonly { readonly variable: string; readonly problem: string; readonly fix: string }[];
  };
  readonly CircuitOpenError: { readonly key: string; readonly retryAfterMs: number };
  readonly BudgetExceededError: {
    readonly unit: 'tokens' | 'usd';
    readonly scope: 'call' | 'tracker' | 'session';
    readonly limit: number;
    readonly used: number;
    readonly requested: number;
  };
}

/** Every `_tag` of the workspace's error union. */
export type ErrorTag = keyof ErrorFieldsByTag;

/** Fields shared by every variant. */
export interface ErrorBase<Tag extends ErrorTag> {
  readonly _tag: Tag;
  /** Safe to log: never a key, a prompt or a response body. */
  readonly message: string;
  /** Whether trying the same call again may succeed. */
  readonly retryable: boolean;
  /** How many attempts were made, once a retry policy has run. */
  readonly attempts?: number;
  /** The underlying exception; non-enumerable, so it is never serialised. */
  readonly cause?: unknown;
}

/** The variant of the union with a given `_tag`. */
export type ErrorOf<Tag extends ErrorTag> = ErrorBase<Tag> & ErrorFieldsByTag[Tag];

/**
 * The one error union of the workspace. Switch on `_tag` exhaustively; every
 * variant is a readonly plain object.
 */
export type IntegrationError = { [Tag in ErrorTag]: ErrorOf<Tag> }[ErrorTag];

/** The variants produced by an HTTP status (they all carry {@link ApiErrorFields}). */
export type ApiError = Extract<IntegrationError, { readonly status: number; readonly rateLimit: unknown }>;

/** `retryable` of each variant unless the server said otherwise (`x-should-retry`). */
export const defaultRetryable: Readonly<Record<ErrorTag, boolean>> = {
  BadRequestError: false,
  AuthenticationError: false,
  PermissionDeniedError: false,
  NotFoundError: false,
  ConflictError: true,
  UnprocessableEntityError: false,
  RateLimitError: true,
  QuotaExceededError: false,
  ContentFilterError: false,
  InternalServerError: true,
  BadGatewayError: true,
  ServiceUnavailableError: true,
  GatewayTimeoutError: true,
  UnexpectedStatusError: false,
  RequestTooLargeError: false,
  ConnectionError: true,
  TimeoutError: true,
  AbortedError: false,
  StreamInterruptedError: true,
  MalformedResponseError: true,
  ValidationError: false,
  ConfigError: false,
  CircuitOpenError: false,
  BudgetExceededError: false,
};

/** What {@link createError} needs for a variant: its fields, with `retryable` optional. */
export type ErrorInput<Tag extends ErrorTag> = Omit<ErrorOf<Tag>, '_tag' | 'retryable' | 'cause'> & {
  readonly retryable?: boolean;
  readonly cause?: unknown;
};

/**
 * Creates a variant of the error union as a frozen plain object.
 *
 * `retryable` defaults to {@link defaultRetryable} for the tag. `cause` is stored as a
 * non-enumerable property: it is there for debugging but never reaches
 * `JSON.stringify`, structured logs or snapshots. Every string the error carries, its
 * cause included, is scrubbed of anything that looks like a key (see `redactError`).
 *
 * @example
 * createError('TimeoutError', { message: 'attempt timed out after 30000 ms', kind: 'attempt', timeoutMs: 30_000 });
 */
export function createError<Tag extends ErrorTag>(tag: Tag, input: ErrorInput<Tag>): ErrorOf<Tag> {
  const { cause, retryable, ...fields } = input;
  const error = { _tag: tag, ...fields, retryable: retryable ?? defaultRetryable[tag] };
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
  return redactError(Object.freeze(error) as unknown as ErrorOf<Tag>);
}

/**
 * Returns a copy of an error with changed fields (e.g. `attempts`), keeping its
 * non-enumerable `cause`.
 */
export function withErrorFields<E extends IntegrationError>(error: E, fields: Partial<Omit<E, '_tag' | 'cause'>>): E {
  const copy = { ...error, ...fields };
  if (error.cause !== undefined) Object.defineProperty(copy, 'cause', { value: error.cause, enumerable: false });
  return redactError(Object.freeze(copy));
}

const tags = new Set<string>(Object.keys(defaultRetryable));

/** Whether a value is a variant of the union (checked by `_tag`, never `instanceof`). */
export function isIntegrationError(value: unknown): value is IntegrationError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _tag?: unknown })._tag === 'string' &&
    tags.has((value as { _tag: string })._tag) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Narrows an error to the variants with the given tags. */
export function isErrorTag<const Tags extends readonly ErrorTag[]>(
  error: IntegrationError,
  ...wanted: Tags
): error is Extract<IntegrationError, { readonly _tag: Tags[number] }> {
  return (wanted as readonly ErrorTag[]).includes(error._tag);
}

/** Whether an error came from an HTTP response (it has `status`, `requestId`, `rateLimit`). */
export function isApiError(error: IntegrationError): error is ApiError {
  return 'status' in error && 'rateLimit' in error;
}

/** The server's retry hint of any variant that has one, else `null`. */
export function retryAfterOf(error: IntegrationError): number | null {
  return 'retryAfterMs' in error ? error.retryAfterMs : null;
}
