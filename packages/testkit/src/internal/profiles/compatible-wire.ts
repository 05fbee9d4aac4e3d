import type { ResolvedOptions } from '../engine/engine-state.ts';
import { matchRoute } from '../engine/route-table.ts';
import { apiFailure } from '../http/api-failure.ts';
import { bearerToken, pathUnder } from './bearer-token.ts';
import type { ProfileWire } from './profile-wire.ts';

const reasons: Readonly<Record<number, string>> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const errorTypes: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'AuthenticationError',
  403: 'PermissionDeniedError',
  404: 'NotFoundError',
  409: 'ConflictError',
  422: 'UnprocessableEntityError',
};

/**
 * An OpenAI-compatible server (vLLM, Ollama, LM Studio, llama.cpp): routes under
 * `/v1`, no key needed unless `apiKey` is set (then a wrong one gets vLLM's
 * `{"error": "Unauthorized"}`), no OpenAI headers and no rate-limit headers;
 * errors as vLLM sends them, top-level `{object: 'error', message, type, param,
 * code}` with the status as `code`, an unknown route as FastAPI's
 * `{"detail": "Not Found"}`, and 429 or 5xx as plain text (the reason phrase).
 */
export function createCompatibleWire(options: ResolvedOptions, prefix: string): ProfileWire {
  return {
    resolve(method, url) {
      const relative = pathUnder(url.pathname, prefix);
      const match = relative === undefined ? undefined : matchRoute(method, relative);
      if (match !== undefined) return { kind: 'route', match };
      return {
        kind: 'failure',
        failure: apiFailure({
          status: 404,
          type: 'NotFoundError',
          param: null,
          code: null,
          message: 'Not Found',
          body: { detail: 'Not Found' },
        }),
      };
    },
    authenticate(headers) {
      if (options.apiKey === undefined || bearerToken(headers) === options.apiKey) return undefined;
      return apiFailure({
        status: 401,
        type: 'AuthenticationError',
        param: null,
        code: null,
        message: 'Unauthorized',
        body: { error: 'Unauthorized' },
      });
    },
    headers: () => ({}),
    rateHeaders: (headers) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('x-ratelimit-'))),
    adapt(failure) {
      if (failure.body !== undefined || failure.text !== undefined) return failure;
      if (failure.status === 429 || failure.status >= 500) {
        return { ...failure, text: reasons[failure.status] ?? `Error ${failure.status}` };
      }
      return {
        ...failure,
        body: {
          object: 'error',
          message: failure.message,
          type: errorTypes[failure.status] ?? 'BadRequestError',
          param: failure.param,
          code: failure.status,
        },
      };
    },
    bindModel: (body) => body,
  };
}
