import type { IntegrationError } from '@openai-integration/core';

/**
 * The request size (1 MiB) from which a `ConnectionError` carrying `requestBytes` is
 * put down to the size of the body (a server or proxy refusing it) rather than to the
 * service: {@link isServiceFailure} does not count it.
 */
export const largeRequestBytes = 1_048_576;

/**
 * Whether an error says the service is unhealthy, and so counts against a circuit
 * breaker.
 *
 * True for `InternalServerError`, `BadGatewayError`, `ServiceUnavailableError`,
 * `GatewayTimeoutError`, `UnexpectedStatusError` with status >= 500, `TimeoutError`
 * of an attempt or an idle stream, `ConnectionError`, `StreamInterruptedError` and
 * `MalformedResponseError`. False for what the request or the caller caused or chose,
 * which says nothing about the service: the caller's own mistakes (4xx, validation,
 * config, a `RequestTooLargeError`, a `ConnectionError` while a body of 1 MiB or more
 * was sent), rate limits of the server or of client-side pacing, quota, budgets,
 * aborts, a `TimeoutError` of the call's deadline or a stream's total limit, a stream
 * cut by its total limit, and an open circuit.
 */
export function isServiceFailure(error: IntegrationError): boolean {
  switch (error._tag) {
    case 'InternalServerError':
    case 'BadGatewayError':
    case 'ServiceUnavailableError':
    case 'GatewayTimeoutError':
    case 'MalformedResponseError':
      return true;
    case 'TimeoutError':
      // A deadline or a total limit is the caller's budget running out, not the service failing.
      return error.kind === 'attempt' || error.kind === 'idle';
    case 'StreamInterruptedError':
      return error.reason !== 'total-timeout';
    case 'ConnectionError':
      // A body this large is the likely cause of the reset: the service itself may be fine.
      return error.requestBytes === undefined || error.requestBytes < largeRequestBytes;
    case 'UnexpectedStatusError':
      return error.status >= 500;
    case 'BadRequestError':
    case 'AuthenticationError':
    case 'PermissionDeniedError':
    case 'NotFoundError':
    case 'ConflictError':
    case 'UnprocessableEntityError':
    case 'RequestTooLargeError':
    case 'RateLimitError':
    case 'QuotaExceededError':
    case 'ContentFilterError':
    case 'AbortedError':
    case 'ValidationError':
    case 'ConfigError':
    case 'CircuitOpenError':
    case 'BudgetExceededError':
      return false;
  }
}
