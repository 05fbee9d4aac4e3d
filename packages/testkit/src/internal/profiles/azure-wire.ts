import type { SimulatorRoute } from '../../faults/simulator-fault.ts';
import type { ResolvedOptions } from '../engine/engine-state.ts';
import { matchRoute } from '../engine/route-table.ts';
import { apiFailure, type ApiFailure } from '../http/api-failure.ts';
import { hashText } from '../random/hash-text.ts';
import { isJsonObject } from '../validation/field-reader.ts';
import { bearerToken, pathUnder } from './bearer-token.ts';
import type { ProfileWire, Resolution } from './profile-wire.ts';

/** An error as Azure's gateway sends it: `{"error": {"code", "message"}}`. */
function azureFailure(status: number, code: string, message: string): ApiFailure {
  return apiFailure({
    status,
    type: code,
    param: null,
    code,
    message,
    body: { error: { code, message } },
  });
}

const resourceNotFound = (): ApiFailure => azureFailure(404, '404', 'Resource not found');
const versionNotSupported = (): ApiFailure => azureFailure(400, 'BadRequest', 'API version not supported');
const deploymentNotFound = (): ApiFailure =>
  azureFailure(
    404,
    'DeploymentNotFound',
    'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
  );

/** The api-version values the v1 API accepts (none, or a moving label); a dated one is refused. */
const v1Versions = new Set(['preview', 'latest', 'v1']);

/** Operations that exist only under a deployment in the classic API. */
const deploymentOperations = new Set<SimulatorRoute>(['chat.completions', 'embeddings']);

/** How Azure names an operation in its rate-limit message. */
const operationNames: Partial<Readonly<Record<SimulatorRoute, string>>> = {
  'chat.completions': 'ChatCompletions_Create',
  embeddings: 'Embeddings_Create',
  'responses.create': 'Responses_Create',
  moderations: 'Moderations_Create',
};

/** Stable pseudo-GUID for `apim-request-id`, derived from the request id. */
function guidOf(requestId: string): string {
  const hex = Array.from({ length: 4 }, (_unused, index) =>
    hashText(`${requestId}:${index}`).toString(16).padStart(8, '0'),
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * An Azure OpenAI resource: the v1 API under `/openai/v1` (no `api-version`, or
 * `preview`/`latest`; the body's `model` names a deployment), the classic API
 * under `/openai/deployments/{deployment}/chat/completions|embeddings` and the
 * deployment-less classic paths (`/openai/responses`, `/openai/files`, ...) with a
 * required `api-version`. Auth is the `api-key` header or `Authorization: Bearer`
 * (the key, or an Entra token). Errors of the gateway use Azure's
 * `{error: {code, message}}` body, a rate limit names the Azure operation, and
 * only the two remaining rate-limit headers are sent.
 */
export function createAzureWire(options: ResolvedOptions, prefix: string): ProfileWire {
  const { deployments, apiVersions, entraTokens } = options.azure;
  const deploymentModel = (name: string): string | undefined => {
    if (deployments !== undefined) return deployments.get(name);
    return options.models.some((model) => model.id === name) ? name : undefined;
  };

  const classicVersion = (url: URL): string | ApiFailure => {
    const version = url.searchParams.get('api-version');
    if (version === null || version === '') return resourceNotFound();
    return apiVersions.has(version) ? version : versionNotSupported();
  };

  const resolve = (method: string, url: URL): Resolution => {
    const rest = pathUnder(url.pathname, `${prefix}/openai`);
    if (rest === undefined) return { kind: 'failure', failure: resourceNotFound() };
    const v1 = pathUnder(rest, '/v1');
    if (v1 !== undefined) {
      const match = matchRoute(method, v1);
      if (match === undefined) return { kind: 'failure', failure: resourceNotFound() };
      const version = url.searchParams.get('api-version');
      if (version !== null && !v1Versions.has(version)) return { kind: 'failure', failure: versionNotSupported() };
      return { kind: 'route', match, binding: { kind: 'named-deployment' } };
    }
    const underDeployment = /^\/deployments\/([^/]+)(\/.*)$/.exec(rest);
    if (underDeployment !== null) {
      const match = matchRoute(method, underDeployment[2] ?? '');
      if (match === undefined || !deploymentOperations.has(match.route.operation)) {
        return { kind: 'failure', failure: resourceNotFound() };
      }
      const version = classicVersion(url);
      if (typeof version !== 'string') return { kind: 'failure', failure: version };
      const deployment = decodeURIComponent(underDeployment[1] ?? '');
      if (deploymentModel(deployment) === undefined) return { kind: 'failure', failure: deploymentNotFound() };
      return { kind: 'route', match, binding: { kind: 'deployment', deployment }, apiVersion: version };
    }
    const match = matchRoute(method, rest);
    if (match === undefined || deploymentOperations.has(match.route.operation)) {
      return { kind: 'failure', failure: resourceNotFound() };
    }
    const version = classicVersion(url);
    if (typeof version !== 'string') return { kind: 'failure', failure: version };
    return { kind: 'route', match, binding: { kind: 'named-deployment' }, apiVersion: version };
  };

  return {
    resolve(method, url) {
      try {
        return resolve(method, url);
      } catch {
        // A deployment segment that is not valid percent-encoding.
        return { kind: 'failure', failure: resourceNotFound() };
      }
    },
    authenticate(headers) {
      const key = headers.get('api-key');
      const token = bearerToken(headers);
      const open = options.apiKey === undefined && entraTokens === undefined;
      if (key !== null && key !== '') {
        if (options.apiKey === undefined || key === options.apiKey) return undefined;
      } else if (token !== undefined) {
        if (open || token === options.apiKey || entraTokens?.has(token) === true) return undefined;
        return azureFailure(
          401,
          '401',
          'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
        );
      }
      return azureFailure(
        401,
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      );
    },
    headers: (requestId) => ({
      'x-request-id': requestId,
      'apim-request-id': guidOf(requestId),
      'x-ms-region': 'East US',
    }),
    rateHeaders: (headers) =>
      Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) => !name.startsWith('x-ratelimit-limit-') && !name.startsWith('x-ratelimit-reset-'),
        ),
      ),
    adapt(failure, context) {
      if (failure.status !== 429 || failure.code !== 'rate_limit_exceeded' || failure.body !== undefined) {
        return failure;
      }
      const seconds = Math.max(1, Math.ceil(Number(failure.headers?.['retry-after'] ?? '1')) || 1);
      const operation = (context.operation === null ? undefined : operationNames[context.operation]) ?? 'Inference';
      const limit = failure.type === 'tokens' ? 'token rate limit' : 'call rate limit';
      const message = `Requests to the ${operation} Operation under Azure OpenAI API version ${context.apiVersion ?? 'v1'} have exceeded ${limit} of your current OpenAI S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`;
      return { ...failure, message, body: { error: { code: '429', message } } };
    },
    bindModel(body, binding) {
      if (!isJsonObject(body)) return body;
      if (binding.kind === 'deployment') return { ...body, model: deploymentModel(binding.deployment) };
      const named = body['model'];
      if (typeof named !== 'string') return body;
      const model = deploymentModel(named);
      return model === undefined ? deploymentNotFound() : { ...body, model };
    },
  };
}
