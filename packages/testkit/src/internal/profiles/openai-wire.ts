import type { ResolvedOptions } from '../engine/engine-state.ts';
import { matchRoute } from '../engine/route-table.ts';
import { apiFailure, type ApiFailure } from '../http/api-failure.ts';
import { hashText } from '../random/hash-text.ts';
import { bearerToken, pathUnder } from './bearer-token.ts';
import type { ProfileWire } from './profile-wire.ts';

function maskKey(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 4)}${'*'.repeat(Math.min(24, key.length - 8))}${key.slice(-4)}`;
}

function unauthorized(message: string): ApiFailure {
  return apiFailure({ status: 401, type: 'invalid_request_error', param: null, code: 'invalid_api_key', message });
}

/**
 * api.openai.com: routes under `/v1`, a Bearer key (Azure's `api-key` header is
 * tolerated), OpenAI's headers and error bodies, all six rate-limit headers.
 */
export function createOpenAIWire(options: ResolvedOptions, prefix: string): ProfileWire {
  return {
    resolve(method, url) {
      const relative = pathUnder(url.pathname, prefix);
      const match = relative === undefined ? undefined : matchRoute(method, relative);
      if (match !== undefined) return { kind: 'route', match };
      return {
        kind: 'failure',
        failure: apiFailure({
          status: 404,
          type: 'invalid_request_error',
          param: null,
          code: null,
          message: `Invalid URL (${method} ${url.pathname})`,
        }),
      };
    },
    authenticate(headers) {
      const key = bearerToken(headers) ?? headers.get('api-key') ?? undefined;
      if (key === undefined || key === '') {
        return unauthorized(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        );
      }
      if (options.apiKey !== undefined && key !== options.apiKey) {
        return unauthorized(
          `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        );
      }
      return undefined;
    },
    headers: (requestId) => ({
      'x-request-id': requestId,
      'openai-version': '2020-10-01',
      'openai-organization': 'org-simulator',
      'openai-processing-ms': String(20 + (hashText(requestId) % 480)),
    }),
    rateHeaders: (headers) => ({ ...headers }),
    adapt: (failure) => failure,
    bindModel: (body) => body,
  };
}
