import type { ScriptedReply, SimulatorRoute } from '../../faults/simulator-fault.ts';
import type { ContentFilterCategory } from '../../profiles/azure-simulator-options.ts';
import type { ApiFailure } from '../http/api-failure.ts';
import type { EngineState } from './engine-state.ts';

/** What an error inside a stream says (the `stream-error` fault). */
export interface StreamFailure {
  readonly message: string;
  readonly code: string;
  readonly type: string;
}

/** A successful route reply, before faults and common headers are applied. */
export type RouteReply =
  | { readonly kind: 'json'; readonly body: unknown }
  | { readonly kind: 'bytes'; readonly body: Uint8Array; readonly contentType: string }
  | {
      readonly kind: 'sse';
      readonly frames: readonly string[];
      /** The frames that report a failure after `delivered` frames were sent. */
      readonly failureFrames: (delivered: number, failure: StreamFailure) => readonly string[];
    };

/** What a route returns: a reply or an OpenAI error. */
export type RouteResult = RouteReply | { readonly kind: 'failure'; readonly failure: ApiFailure };

/** What a route gets to work with. */
export interface RouteContext {
  readonly state: EngineState;
  readonly url: URL;
  /** The `{id}` path parameter (a response, file, batch or model id); empty when the route has none. */
  readonly id: string;
  /** The parsed JSON body; `undefined` when there was none. */
  readonly body: unknown;
  /** The multipart form, for uploads. */
  readonly form: FormData | undefined;
  readonly scripted: ScriptedReply | undefined;
  /** A `content-filter` fault on the completion: the categories that stop every choice. */
  readonly filter?: readonly ContentFilterCategory[];
  /**
   * Charges the call against the rate-limit budget; returns the 429 to send when it
   * is exhausted. Call it after validation and before storing anything.
   */
  charge(tokens: number, model: string): ApiFailure | undefined;
}

/** A route handler. */
export type RouteHandler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

/** A route of the table: method, path pattern (with `{name}` parameters), operation. */
export interface RouteDefinition {
  readonly method: string;
  readonly pattern: string;
  readonly operation: SimulatorRoute;
  readonly family: SimulatorRoute;
  readonly handle: RouteHandler;
  /** The body is multipart (uploads) rather than JSON. */
  readonly multipart?: boolean;
}

/** Shorthand for a failure result. */
export function failed(failure: ApiFailure): RouteResult {
  return { kind: 'failure', failure };
}
