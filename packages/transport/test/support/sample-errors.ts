import { createError, type ErrorInput, type ErrorTag, type IntegrationError } from '@openai-integration/core';

const api = (status: number) => ({
  status,
  code: null,
  type: null,
  param: null,
  requestId: null,
  retryAfterMs: null,
  rateLimit: null,
});

const inputs: { readonly [Tag in ErrorTag]: ErrorInput<Tag> } = {
  BadRequestError: { ...api(400), message: 'bad request' },
  AuthenticationError: { ...api(401), message: 'unauthenticated' },
  PermissionDeniedError: { ...api(403), message: 'forbidden' },
  NotFoundError: { ...api(404), message: 'not found' },
  ConflictError: { ...api(409), message: 'conflict' },
  UnprocessableEntityError: { ...api(422), message: 'unprocessable' },
  RateLimitError: { ...api(429), origin: 'server', message: 'rate limited' },
  QuotaExceededError: { ...api(429), message: 'quota exhausted' },
  ContentFilterError: { ...api(400), message: 'filtered', source: 'prompt', verdicts: [] },
  InternalServerError: { ...api(500), message: 'server error' },
  BadGatewayError: { ...api(502), message: 'bad gateway' },
  ServiceUnavailableError: { ...api(503), message: 'overloaded' },
  GatewayTimeoutError: { ...api(504), message: 'gateway timeout' },
  UnexpectedStatusError: { ...api(599), message: 'odd status' },
  RequestTooLargeError: { ...api(413), part: 'body', message: 'too large' },
  ConnectionError: { code: 'ECONNRESET', message: 'connection reset' },
  TimeoutError: { kind: 'attempt', timeoutMs: 1_000, message: 'timed out' },
  AbortedError: { reason: null, message: 'aborted' },
  StreamInterruptedError: {
    reason: 'connection-lost',
    partial: { text: '', toolCalls: [], eventsReceived: 0, responseId: null, lastSequenceNumber: null },
    requestId: null,
    code: null,
    message: 'stream cut',
  },
  MalformedResponseError: { requestId: null, status: 200, message: 'malformed' },
  ValidationError: { issues: [], message: 'invalid input' },
  ConfigError: { variable: 'OPENAI_API_KEY', fix: 'set it', problems: [], message: 'missing key' },
  CircuitOpenError: { key: 'other', retryAfterMs: 1_000, message: 'open' },
  BudgetExceededError: { unit: 'tokens', scope: 'call', limit: 10, used: 10, requested: 5, message: 'over budget' },
};

/** Every tag of the union. */
export const allTags = Object.keys(inputs) as ErrorTag[];

/** A variant of the union with the given tag and its default `retryable`, plus overrides. */
export function sampleError<Tag extends ErrorTag>(
  tag: Tag,
  overrides: Partial<ErrorInput<Tag>> = {},
): Extract<IntegrationError, { readonly _tag: Tag }> {
  const error: unknown = createError(tag, { ...inputs[tag], ...overrides });
  return error as Extract<IntegrationError, { readonly _tag: Tag }>;
}

/** A retryable 503. */
export const unavailable = (): IntegrationError => sampleError('ServiceUnavailableError');

/** A server 429 with a retry hint. */
export const rateLimited = (retryAfterMs: number | null): IntegrationError =>
  sampleError('RateLimitError', { retryAfterMs });
