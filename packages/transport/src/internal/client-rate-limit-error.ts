import { createError, type ErrorOf } from '@openai-integration/core';

/**
 * A `RateLimitError` raised by this process rather than the server (origin `client`):
 * status 429, no server fields, not retryable so that retry does not loop on it.
 */
export function clientRateLimitError(message: string, retryAfterMs: number | null): ErrorOf<'RateLimitError'> {
  return createError('RateLimitError', {
    message,
    origin: 'client',
    status: 429,
    code: null,
    type: null,
    param: null,
    requestId: null,
    retryAfterMs,
    rateLimit: null,
    retryable: false,
  });
}
