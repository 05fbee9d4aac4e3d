import type { SimulatorRoute } from '../../faults/simulator-fault.ts';
import type { ResolvedOptions } from '../engine/engine-state.ts';
import type { RouteMatch } from '../engine/route-table.ts';
import type { ApiFailure } from '../http/api-failure.ts';
import { createAzureWire } from './azure-wire.ts';
import { createCompatibleWire } from './compatible-wire.ts';
import { createOpenAIWire } from './openai-wire.ts';

/**
 * How the model named in a request body is read (Azure): the deployment of the
 * path, or the deployment named in `model` (the v1 API and the classic paths
 * without a deployment).
 */
type ModelBinding =
  { readonly kind: 'deployment'; readonly deployment: string } | { readonly kind: 'named-deployment' };

/** Where a request goes: a route of the table, or a failure before any route. */
export type Resolution =
  | {
      readonly kind: 'route';
      readonly match: RouteMatch;
      readonly binding?: ModelBinding;
      /** The `api-version` of an Azure request, when it had one. */
      readonly apiVersion?: string;
    }
  | { readonly kind: 'failure'; readonly failure: ApiFailure };

/** What a failure is about, for providers whose error text names it. */
export interface FailureContext {
  readonly operation: SimulatorRoute | null;
  readonly apiVersion: string | undefined;
}

/**
 * The parts of the wire that differ between the servers a profile imitates:
 * paths, authentication, common headers, rate-limit headers and error bodies.
 */
export interface ProfileWire {
  /** Finds the route of a request path (`url.pathname`), or the failure to send instead. */
  resolve(method: string, url: URL): Resolution;
  /** The 401 to send for the request's credentials, or `undefined` when they pass. */
  authenticate(headers: Headers): ApiFailure | undefined;
  /** Headers on every answer. */
  headers(requestId: string): Record<string, string>;
  /** Drops the `x-ratelimit-*` headers this server does not send; other headers pass. */
  rateHeaders(headers: Readonly<Record<string, string>>): Record<string, string>;
  /** Puts an OpenAI-style failure in the form this server sends (`body` or `text`). */
  adapt(failure: ApiFailure, context: FailureContext): ApiFailure;
  /** Replaces a deployment name in the body's `model` with the model it serves (Azure). */
  bindModel(body: unknown, binding: ModelBinding): unknown;
}

/**
 * Creates the wire of the configured profile. `prefix` is the path prefix of the
 * API for `openai` and `compatible` (`/v1`), and of the resource root for `azure`
 * (empty on the loopback server).
 */
export function createProfileWire(options: ResolvedOptions, prefix: string): ProfileWire {
  switch (options.profile) {
    case 'azure':
      return createAzureWire(options, prefix);
    case 'compatible':
      return createCompatibleWire(options, prefix);
    case 'openai':
      return createOpenAIWire(options, prefix);
  }
}
