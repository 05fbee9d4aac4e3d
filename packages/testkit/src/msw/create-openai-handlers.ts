import { http, HttpResponse, type HttpHandler } from 'msw';
import { createEngine } from '../internal/engine/create-engine.ts';
import type { SimulatorProfile } from '../profiles/simulator-profile.ts';
import type { SimulatorControls } from '../simulator/simulator-controls.ts';
import type { SimulatorOptions } from '../simulator/simulator-options.ts';

/** Options of {@link createOpenAIHandlers}: the shared simulator options plus the URL to intercept. */
export interface OpenAIHandlersOptions extends SimulatorOptions {
  /**
   * The API base URL to intercept. Default `https://api.openai.com/v1`; under the
   * `compatible` profile `http://localhost:8000/v1`; under the `azure` profile the
   * v1 API of a resource, `https://simulator.openai.azure.com/openai/v1` (it must
   * end in `/openai/v1`: everything under the resource's `/openai/` is served).
   */
  readonly baseURL?: string;
}

/** msw handlers for the simulator, with the same scripting surface as the loopback server. */
export interface OpenAIHandlers extends SimulatorControls {
  /** Pass these to `setupServer(...handlers)` (or `server.use`). */
  readonly handlers: readonly HttpHandler[];
  /** The intercepted base URL. */
  readonly baseURL: string;
  /** The root URL of the server (the resource endpoint under the `azure` profile, e.g. for `AzureOpenAI`). */
  readonly endpoint: string;
  /** The profile the handlers imitate. */
  readonly profile: SimulatorProfile;
  /** Releases held requests and streams (`stall` faults); call it when the test ends. */
  dispose(): void;
}

/**
 * Creates msw handlers that answer like the OpenAI API, backed by the same
 * simulator as `createOpenAISimulator` (same endpoints, validation, faults and
 * recording), without opening a port. A `reset` fault becomes msw's network error;
 * a cut or stalled body is sent with the `content-length` of the complete body, so
 * that the client sees the connection end early.
 *
 * Create the OpenAI client after `server.listen()` (or pass `fetch` explicitly): the
 * SDK captures `globalThis.fetch` when it is constructed.
 *
 * Fails with: no variant of the error union (it does no I/O); options that make no
 * sense (an unknown profile, an `azure` base URL that does not end in `/openai/v1`)
 * throw a TypeError.
 *
 * @example
 * const simulator = createOpenAIHandlers({ seed: 7 });
 * const server = setupServer(...simulator.handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 * const client = new OpenAI({ apiKey: 'sk-test', maxRetries: 0 });
 * simulator.enqueue('embeddings', { type: 'rate-limit', retryAfterMs: 250 });
 */
export function createOpenAIHandlers(options: OpenAIHandlersOptions = {}): OpenAIHandlers {
  const azure = options.profile === 'azure';
  const fallback = azure
    ? 'https://simulator.openai.azure.com/openai/v1'
    : options.profile === 'compatible'
      ? 'http://localhost:8000/v1'
      : 'https://api.openai.com/v1';
  const baseURL = (options.baseURL ?? fallback).replace(/\/+$/, '');
  const base = new URL(baseURL);
  if (azure && !base.pathname.endsWith('/openai/v1')) {
    throw new TypeError(`The azure profile needs a baseURL that ends in /openai/v1, got '${baseURL}'.`);
  }
  const root = azure ? base.pathname.slice(0, -'/openai/v1'.length) : '';
  const endpoint = azure ? `${base.origin}${root}` : base.origin;
  const engine = createEngine(options, azure ? root : base.pathname);
  const { controls } = engine;
  const handler = http.all(azure ? `${endpoint}/openai/*` : `${baseURL}/*`, async ({ request }) => {
    const reply = await engine.handle(request);
    if (reply.type === 'network-error') return HttpResponse.error();
    if (reply.fullLength === undefined) return reply.response;
    // msw ends a failing body as a clean end of stream; a declared length that the
    // body never reaches makes the client see the truncation ("terminated").
    const headers = new Headers(reply.response.headers);
    headers.set('content-length', String(reply.fullLength));
    return new Response(reply.response.body, { status: reply.response.status, headers });
  });
  return {
    handlers: [handler],
    baseURL,
    endpoint,
    profile: engine.profile,
    enqueue: (route, ...faults) => {
      controls.enqueue(route, ...faults);
    },
    failBatchItems: (customIds, options) => {
      controls.failBatchItems(customIds, options);
    },
    get requests() {
      return controls.requests;
    },
    reset: () => {
      controls.reset();
    },
    dispose() {
      engine.close();
    },
  };
}
