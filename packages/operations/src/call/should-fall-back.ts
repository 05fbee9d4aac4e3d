import type { IntegrationError } from '@openai-integration/core';

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
