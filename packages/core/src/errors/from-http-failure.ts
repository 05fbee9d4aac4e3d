import { readHeader, type HeaderSource } from '../rate-limit/header-source.ts';
import { toRateLimitSnapshot } from '../rate-limit/rate-limit-snapshot.ts';
import { redactText } from '../logging/redact-text.ts';
import { redactError } from './redact-error.ts';
import {
  createError,
  defaultRetryable,
  type ApiError,
  type ApiErrorFields,
  type ContentFilterVerdict,
  type RequestPart,
} from './integration-error.ts';
import { toRetryAfterMs, toShouldRetry } from './retry-hint.ts';

/** What is known about a failed HTTP response. */
export interface HttpFailure {
  readonly status: number;
  readonly headers?: HeaderSource;
  /** The body as text, as parsed JSON, or undefined when there was none. */
  readonly body?: unknown;
  /** The exception that carried the failure (kept as non-enumerable `cause`). */
  readonly cause?: unknown;
  /** Exact secret values to scrub from every field and the cause besides the key patterns. */
  readonly knownSecrets?: readonly string[];
  /** Clock for `retry-after` dates and the rate-limit snapshot. */
  readonly now?: number;
}

interface ErrorBodyFields {
  readonly message: string | null;
  readonly type: string | null;
  readonly param: string | null;
  readonly code: string | null;
  readonly shape: 'openai' | 'other-json' | 'html' | 'text' | 'empty';
  /** Azure's `error.innererror.content_filter_result`, when the body has one. */
  readonly filterResult?: unknown;
}

const asText = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

/** The first line of a text, at most 300 characters. */
const firstLine = (text: string): string => (text.split(/\r?\n/, 1)[0] ?? '').slice(0, 300);

function readBody(body: unknown): ErrorBodyFields {
  let parsed = body;
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '') return { message: null, type: null, param: null, code: null, shape: 'empty' };
    if (/^<(!doctype|html|head|body)/i.test(text))
      return { message: null, type: null, param: null, code: null, shape: 'html' };
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // Plain text (compatible servers send the reason phrase or a stack of their own): its first line is the message.
      return { message: firstLine(text), type: null, param: null, code: null, shape: 'text' };
    }
  }
  if (parsed === undefined || parsed === null)
    return { message: null, type: null, param: null, code: null, shape: 'empty' };
  if (typeof parsed !== 'object') return { message: null, type: null, param: null, code: null, shape: 'text' };
  const record = parsed as Record<string, unknown>;
  const inner = record['error'];
  if (typeof inner === 'object' && inner !== null) {
    const error = inner as Record<string, unknown>;
    const innerError = error['innererror'];
    return {
      message: asText(error['message']),
      type: asText(error['type']),
      param: asText(error['param']),
      code: asText(error['code']),
      shape: 'openai',
      ...(typeof innerError === 'object' && innerError !== null
        ? { filterResult: (innerError as Record<string, unknown>)['content_filter_result'] }
        : {}),
    };
  }
  return {
    // `{ error: 'text' }`, vLLM's `{ object: 'error', message }`, FastAPI's `{ detail: 'text' }`.
    message: asText(inner) ?? asText(record['message']) ?? asText(record['detail']),
    type: asText(record['type']),
    param: null,
    code: asText(record['code']),
    shape: 'other-json',
  };
}

const guidance: Readonly<Record<number, string>> = {
  400: 'the request was rejected as invalid; fix the field named in `param` and do not retry unchanged',
  401: 'authentication failed; check OPENAI_API_KEY (and OPENAI_ORG_ID / OPENAI_PROJECT_ID)',
  403: 'permission denied; the key, organization, project or region is not allowed to use this resource',
  404: 'not found; check the model or resource id and that the key can see it',
  409: 'conflict with the current state of the resource; retry after a short wait',
  422: 'the request was understood but cannot be processed; change the request',
  429: 'rate limited; wait for the retry hint before sending again',
  500: 'the server had an error; retrying usually helps',
  502: 'bad gateway between you and the API; retrying usually helps',
  503: 'the service is overloaded or slowing down; retry with backoff',
  504: 'the gateway timed out; retry with backoff, or send a smaller request',
};

const quotaCodes = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);

/** The statuses that say the request itself was too large, and what to do about each. */
const tooLarge: Readonly<Record<number, { readonly part: RequestPart; readonly what: string }>> = {
  413: {
    part: 'body',
    what: 'the request body is too large for the server or a proxy in front of it; send less (a shorter prompt, fewer or smaller inputs or images, a smaller file), or split the request',
  },
  414: {
    part: 'url',
    what: 'the request URL is too long for the server or a proxy in front of it; shorten the ids or query parameters in the URL',
  },
  431: {
    part: 'headers',
    what: 'the request headers are too large for the server or a proxy in front of it; shorten or remove large custom headers (defaultHeaders, metadata sent as headers)',
  },
};

/** A 413, 414 or 431 says first what was too large; the server's own text (scrubbed) follows. */
function summariseTooLarge(
  status: number,
  what: string,
  body: ErrorBodyFields,
  knownSecrets: readonly string[],
): string {
  const serverText = body.message === null ? '' : redactText(body.message.trim(), knownSecrets).slice(0, 300);
  return `HTTP ${status}: ${what}; not retried, because the same request would be refused again${serverText === '' ? '' : ` (server said: ${serverText})`}`;
}

function summarise(status: number, body: ErrorBodyFields, knownSecrets: readonly string[]): string {
  const hint =
    guidance[status] ??
    (status >= 500
      ? 'unexpected server status; retrying may help'
      : 'unexpected status; check the endpoint and request');
  if (body.message !== null && body.message.trim() !== '') {
    const serverText = redactText(body.message.trim(), knownSecrets).slice(0, 500);
    return body.shape === 'text'
      ? `HTTP ${status} (a body that is not JSON): ${serverText}`
      : `HTTP ${status}: ${serverText}`;
  }
  const what =
    body.shape === 'html'
      ? ' (an HTML page, likely from a proxy, not an OpenAI error body)'
      : body.shape === 'empty'
        ? ' (empty body)'
        : body.shape === 'text'
          ? ' (a body that is not JSON)'
          : '';
  return `HTTP ${status}${what}: ${hint}`;
}

/**
 * Turns a failed HTTP response (status, headers, body) into the right variant of the
 * error union.
 *
 * 429 is split by the body's `type`/`code` into `RateLimitError` (transient) and
 * `QuotaExceededError` (not transient). 413, 414 and 431 are `RequestTooLargeError`
 * (`part` says whether the body, the URL or the headers were too large; never
 * retryable, since the same request would be refused again). `retryAfterMs` comes from `retry-after-ms`,
 * `retry-after` or the message's "try again in ..."; `x-should-retry` overrides
 * `retryable`; `requestId` comes from `x-request-id`; the rate-limit headers become a
 * snapshot. A body that is not JSON, is empty, or is HTML from a proxy still yields a
 * typed error; the body itself is never copied into the error, and the server's
 * message is scrubbed of credentials.
 *
 * @example
 * fromHttpFailure({ status: 429, headers: response.headers, body: await response.text() });
 */
export function fromHttpFailure(failure: HttpFailure): ApiError {
  const error = mapHttpFailure(failure);
  return failure.knownSecrets === undefined || failure.knownSecrets.length === 0
    ? error
    : redactError(error, failure.knownSecrets);
}

const maxVerdicts = 16;

/**
 * The verdicts of a content filter's results (`{ hate: { filtered, severity }, ... }`),
 * at most 16 categories of names up to 64 characters; anything else is left out.
 */
export function toContentFilterVerdicts(results: unknown): ContentFilterVerdict[] {
  if (typeof results !== 'object' || results === null || Array.isArray(results)) return [];
  const verdicts: ContentFilterVerdict[] = [];
  for (const [category, value] of Object.entries(results as Record<string, unknown>)) {
    if (verdicts.length >= maxVerdicts) break;
    if (typeof value !== 'object' || value === null || category.length > 64) continue;
    const verdict = value as Record<string, unknown>;
    const severity = verdict['severity'];
    verdicts.push({
      category,
      filtered: verdict['filtered'] === true || verdict['detected'] === true,
      severity: typeof severity === 'string' ? severity.slice(0, 32) : null,
    });
  }
  return verdicts;
}

function mapHttpFailure(failure: HttpFailure): ApiError {
  const now = failure.now ?? Date.now();
  const body = readBody(failure.body);
  const knownSecrets = failure.knownSecrets ?? [];
  const fields: ApiErrorFields & { readonly message: string; readonly cause?: unknown } = {
    status: failure.status,
    code: body.code,
    type: body.type,
    param: body.param,
    requestId: readHeader(failure.headers, 'x-request-id') ?? null,
    retryAfterMs: toRetryAfterMs(failure.headers, body.message, now),
    rateLimit: toRateLimitSnapshot(failure.headers, now) ?? null,
    message: summarise(failure.status, body, knownSecrets),
    ...(failure.cause === undefined ? {} : { cause: failure.cause }),
  };
  const shouldRetry = toShouldRetry(failure.headers);
  const retryable = (fallback: boolean): boolean => shouldRetry ?? fallback;
  const limit = tooLarge[failure.status];
  if (limit !== undefined) {
    // The same request is refused again whatever a proxy says: retrying only resends it.
    return createError('RequestTooLargeError', {
      ...fields,
      message: summariseTooLarge(failure.status, limit.what, body, knownSecrets),
      part: limit.part,
      retryable: false,
    });
  }
  switch (failure.status) {
    case 400:
      if (body.code === 'content_filter') {
        // The same prompt is refused again, by any model behind the same filter.
        return createError('ContentFilterError', {
          ...fields,
          message: `${fields.message} (content filter: rephrase the prompt; retrying or another model of the same resource is refused the same way)`,
          source: 'prompt',
          verdicts: toContentFilterVerdicts(body.filterResult),
          retryable: false,
        });
      }
      return createError('BadRequestError', { ...fields, retryable: retryable(defaultRetryable.BadRequestError) });
    case 401:
      return createError('AuthenticationError', {
        ...fields,
        retryable: retryable(defaultRetryable.AuthenticationError),
      });
    case 403:
      return createError('PermissionDeniedError', {
        ...fields,
        retryable: retryable(defaultRetryable.PermissionDeniedError),
      });
    case 404:
      return createError('NotFoundError', { ...fields, retryable: retryable(defaultRetryable.NotFoundError) });
    case 409:
      return createError('ConflictError', { ...fields, retryable: retryable(defaultRetryable.ConflictError) });
    case 422:
      return createError('UnprocessableEntityError', {
        ...fields,
        retryable: retryable(defaultRetryable.UnprocessableEntityError),
      });
    case 429:
      if (quotaCodes.has(body.code ?? '') || quotaCodes.has(body.type ?? '')) {
        // Quota is never transient, whatever a proxy says: retrying only burns time.
        return createError('QuotaExceededError', {
          ...fields,
          message: `${fields.message} (quota exhausted: do not retry; check plan and billing)`,
          retryable: false,
        });
      }
      return createError('RateLimitError', {
        ...fields,
        origin: 'server',
        retryable: retryable(defaultRetryable.RateLimitError),
      });
    case 500:
      return createError('InternalServerError', {
        ...fields,
        retryable: retryable(defaultRetryable.InternalServerError),
      });
    case 502:
      return createError('BadGatewayError', { ...fields, retryable: retryable(defaultRetryable.BadGatewayError) });
    case 503:
      return createError('ServiceUnavailableError', {
        ...fields,
        retryable: retryable(defaultRetryable.ServiceUnavailableError),
      });
    case 504:
      return createError('GatewayTimeoutError', {
        ...fields,
        retryable: retryable(defaultRetryable.GatewayTimeoutError),
      });
    default:
      return createError('UnexpectedStatusError', {
        ...fields,
        retryable: retryable(failure.status === 408 || failure.status >= 500),
      });
  }
}
