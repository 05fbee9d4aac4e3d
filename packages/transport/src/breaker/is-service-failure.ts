import type { IntegrationError } from '@openai-integration/core';

/**
 * Whether an error says the service is unhealthy, and so counts against a circuit
 * breaker.
 *
 * True for `InternalServerError`, `BadGatewayError`, `ServiceUnavailableError`,
 * `GatewayTimeoutError`, `UnexpectedStatusError` with status >= 500, `TimeoutError`,
 * `ConnectionError`, `StreamInterruptedError` and `MalformedResponseError`. False for
 * the caller's own mistakes (4xx, validation, config), quota, rate limits, budgets,
 * aborts and an open circuit.
 */
export function isServiceFailure(error: IntegrationError): boolean {
  switch (error._tag) {
    case 'InternalServerError':
    case 'BadGatewayError':
    case 'ServiceUnavailableError':
    case 'GatewayTimeoutError':
    case 'TimeoutError':
    case 'ConnectionError':
    case 'StreamInterruptedError':
    case 'MalformedResponseError':
      return true;
    case 'UnexpectedStatusError':
      return error.status >= 500;
    case 'BadRequestError':
    case 'AuthenticationError':
    case 'PermissionDeniedError':
    case 'NotFoundError':
    case 'ConflictError':
    case 'UnprocessableEntityError':
    case 'RateLimitError':
    case 'QuotaExceededError':
    case 'AbortedError':
    case 'ValidationError':
    case 'ConfigError':
    case 'CircuitOpenError':
    case 'BudgetExceededError':
      return false;
  }
}
