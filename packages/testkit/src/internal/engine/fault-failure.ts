import type { SimulatorFault } from '../../faults/simulator-fault.ts';
import { apiFailure, type ApiFailure } from '../http/api-failure.ts';

const defaults: Readonly<Record<number, Omit<ApiFailure, 'kind' | 'status' | 'param' | 'headers'>>> = {
  400: { type: 'invalid_request_error', code: null, message: 'Bad request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  403: {
    type: 'request_forbidden',
    code: 'unsupported_country_region_territory',
    message: 'Country, region, or territory not supported',
  },
  404: { type: 'invalid_request_error', code: null, message: 'The requested resource does not exist.' },
  409: {
    type: 'invalid_request_error',
    code: null,
    message: 'The request conflicts with the current state of the resource.',
  },
  422: { type: 'invalid_request_error', code: null, message: 'The request could not be processed.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  502: { type: 'server_error', code: null, message: 'Bad gateway.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
  504: { type: 'server_error', code: null, message: 'Gateway timeout.' },
};

/** The error reply of a `status`, `rate-limit` or `quota` fault. */
export function faultFailure(
  fault: Extract<SimulatorFault, { readonly type: 'status' | 'rate-limit' | 'quota' }>,
  rateLimitHeaders: Readonly<Record<string, string>>,
): ApiFailure {
  switch (fault.type) {
    case 'quota':
      return apiFailure({
        status: 429,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
        param: null,
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      });
    case 'rate-limit': {
      const limit = fault.limit ?? 'requests';
      const hints: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) hints['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.retryAfterMs !== undefined) hints['retry-after-ms'] = String(fault.retryAfterMs);
      const wait =
        fault.retryAfterMs !== undefined
          ? `${fault.retryAfterMs}ms`
          : fault.retryAfterSeconds !== undefined
            ? `${fault.retryAfterSeconds}s`
            : '1s';
      // The bucket named is empty: nothing remains, and it is full again in a whole window (a minute).
      const exhausted = limit === 'requests' ? 'x-ratelimit-remaining-requests' : 'x-ratelimit-remaining-tokens';
      const resetHeader = limit === 'requests' ? 'x-ratelimit-reset-requests' : 'x-ratelimit-reset-tokens';
      return apiFailure({
        status: 429,
        type: limit,
        code: 'rate_limit_exceeded',
        param: null,
        message: `Rate limit reached for ${limit} in organization org-simulator. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        headers: {
          ...rateLimitHeaders,
          ...(exhausted in rateLimitHeaders ? { [exhausted]: '0', [resetHeader]: '1m0s' } : {}),
          ...hints,
          ...fault.headers,
        },
      });
    }
    case 'status': {
      const base = defaults[fault.status] ?? {
        type: fault.status >= 500 ? 'server_error' : 'invalid_request_error',
        code: null,
        message: `The server responded with status ${fault.status}.`,
      };
      return apiFailure({
        status: fault.status,
        type: fault.errorType ?? base.type,
        code: fault.code !== undefined ? fault.code : base.code,
        param: fault.param ?? null,
        message: fault.message ?? base.message,
        ...(fault.headers === undefined ? {} : { headers: fault.headers }),
      });
    }
  }
}
