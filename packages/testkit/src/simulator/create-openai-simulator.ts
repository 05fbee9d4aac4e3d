import type { SimulatorProfile } from '../profiles/simulator-profile.ts';
import { createEngine } from '../internal/engine/create-engine.ts';
import { serveOnLoopback } from '../internal/node/serve-on-loopback.ts';
import type { SimulatorControls } from './simulator-controls.ts';
import type { SimulatorOptions } from './simulator-options.ts';

/** Options of {@link createOpenAISimulator}: the shared simulator options plus where to listen. */
export interface OpenAISimulatorOptions extends SimulatorOptions {
  /** The TCP port (default 0: a free port chosen by the OS). */
  readonly port?: number;
  /** The address to listen on (default `127.0.0.1`). */
  readonly host?: string;
}

/** A running simulator: point an OpenAI client at `baseURL`. */
export interface OpenAISimulator extends SimulatorControls {
  /**
   * The API base URL for an OpenAI client: `http://127.0.0.1:4010/v1`, or under the
   * `azure` profile the v1 API `http://127.0.0.1:4010/openai/v1`.
   */
  readonly baseURL: string;
  /**
   * The server's root URL, e.g. `http://127.0.0.1:4010`: the `endpoint` of
   * `new AzureOpenAI({ endpoint, deployment, apiVersion, apiKey })` under the `azure` profile.
   */
  readonly endpoint: string;
  /** The profile it imitates. */
  readonly profile: SimulatorProfile;
  /** The port it listens on. */
  readonly port: number;
  /** Stops the server; held requests and streams are dropped. */
  close(): Promise<void>;
}

/**
 * Starts the OpenAI wire simulator on a loopback HTTP server.
 *
 * It serves chat completions (JSON and SSE, stored completions), responses (JSON,
 * SSE, background, retrieval, replay, input items), embeddings, models, files,
 * batches and moderations in OpenAI's wire format, checks the API key and request
 * bodies like OpenAI, sends rate-limit headers from a budget that really depletes,
 * records every request, and misbehaves on demand through `enqueue`. Content is
 * deterministic for a `seed`. The `profile` option makes it an Azure OpenAI
 * resource (`azure`) or a lenient OpenAI-compatible server (`compatible`) instead.
 *
 * Fails with: no variant of the error union (it is test infrastructure). The promise
 * rejects only when the server cannot listen (e.g. `EADDRINUSE`); options that make
 * no sense (`replyTokens: 0`, a budget of 0, an unknown profile) throw a TypeError.
 *
 * @example
 * const simulator = await createOpenAISimulator({ seed: 7 });
 * const client = new OpenAI({ apiKey: 'sk-test', baseURL: simulator.baseURL, maxRetries: 0 });
 * simulator.enqueue('chat.completions', { type: 'status', status: 503 });
 * await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }); // throws InternalServerError (503)
 * await simulator.close();
 */
export async function createOpenAISimulator(options: OpenAISimulatorOptions = {}): Promise<OpenAISimulator> {
  const azure = options.profile === 'azure';
  const engine = createEngine(options, azure ? '' : '/v1');
  const server = await serveOnLoopback((request) => engine.handle(request), {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  const { controls } = engine;
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  const endpoint = `http://${host}:${server.port}`;
  return {
    baseURL: azure ? `${endpoint}/openai/v1` : `${endpoint}/v1`,
    endpoint,
    profile: engine.profile,
    port: server.port,
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
    async close() {
      engine.close();
      await server.close();
    },
  };
}
