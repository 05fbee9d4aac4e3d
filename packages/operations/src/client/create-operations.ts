import {
  createError,
  createLogger,
  loadAzureConfig,
  loadConfig,
  type AzureConfig,
  withRedaction,
  type IntegrationConfig,
  type IntegrationError,
  type LoadConfigOptions,
  type Logger,
  type RateLimitSnapshot,
} from '@openai-integration/core';
import {
  createTransport,
  systemClock,
  type BudgetStore,
  type Clock,
  type CooldownStore,
  type Transport,
  type TransportOptions,
} from '@openai-integration/transport';
import { err, ok, type Result } from 'neverthrow';
import OpenAI, { AzureOpenAI } from 'openai';
import type { AzureOptions } from '../azure/azure-options.ts';
import { createTokenSource } from '../azure/create-token-source.ts';
import { refusedResponses } from '../azure/refused-responses.ts';
import { createChatOperations, type ChatOperations } from '../chat/create-chat-operations.ts';
import { createBatchOperations, type BatchOperations } from '../batches/create-batch-operations.ts';
import { createEmbeddingsOperations, type EmbeddingsOperations } from '../embeddings/create-embeddings-operations.ts';
import { createFileOperations, type FileOperations } from '../files/create-file-operations.ts';
import { createModelOperations, type ModelOperations } from '../models/create-model-operations.ts';
import { createModelRegistry, type ModelRegistry } from '../models/create-model-registry.ts';
import { createModerationOperations, type ModerationOperations } from '../moderations/create-moderation-operations.ts';
import { createListOperations, type ListOperations } from '../pagination/create-list-operations.ts';
import { createNodeHttpFetch } from '../http/node-http-fetch.ts';
import { createBodyLoggingFetch } from '../internal/body-logging-fetch.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { createResponsesOperations, type ResponsesOperations } from '../responses/create-responses-operations.ts';
import { createUsageTracker, type UsageTracker } from '../usage/create-usage-tracker.ts';
import { createOperationsTelemetry } from '../telemetry/create-operations-telemetry.ts';
import type { TelemetryOptions } from '../telemetry/telemetry-options.ts';

/**
 * State shared by every process on one API key: the transport's budget store (pacing)
 * and cooldown store (circuit breakers). A `RedisStore` of
 * `@openai-integration/redis-store` is one; either part may be left out.
 */
export interface SharedStore {
  /** Budgets of requests and tokens per key, reserved before each attempt and settled after. */
  readonly budgets?: BudgetStore;
  /** Circuit cooldowns and the half-open probe, shared so that one process's open circuit holds for all. */
  readonly cooldowns?: CooldownStore;
}

/** What {@link createOperations} accepts; every field is optional. */
export interface OperationsOptions {
  /** A configuration from core's `loadConfig`. Default: loaded from `load` (options, environment, `.env`). */
  readonly config?: IntegrationConfig;
  /** How to load the configuration when `config` is not given. */
  readonly load?: LoadConfigOptions;
  /** An SDK client to use (its own key and URL); its retries are switched off. */
  readonly client?: OpenAI;
  /**
   * `fetch` for the SDK client this creates (tests, proxies, another HTTP stack).
   * Default: requests go out on Node's `http`/`https` modules with keep-alive agents,
   * which cost less per call than the global `fetch`; bodies other than JSON or bytes
   * (file uploads), proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`) and other runtimes
   * use the global `fetch`. Pass `fetch: globalThis.fetch` to use it for everything.
   */
  readonly fetch?: typeof fetch;
  /** A logger (pino works); records are redacted whatever it is. Default: core's JSON logger on stderr at the configured level. */
  readonly logger?: Logger;
  /** A transport, or options for the one this creates (retry, breaker, pacing, bulkhead, deadline). */
  readonly transport?: Transport | TransportOptions;
  /**
   * Budgets and cooldowns shared across processes (e.g. `createRedisStore(...)` of
   * `@openai-integration/redis-store`), used by the transport this creates. Default:
   * in memory, for this process alone. Not with a `transport` you built (give it the
   * stores yourself).
   */
  readonly store?: SharedStore;
  /** A usage tracker (shared between several operations objects if wanted). Default: a new one. */
  readonly usage?: UsageTracker;
  /** A model registry. Default: the bundled catalogue. */
  readonly models?: ModelRegistry;
  /** Fallback chains: model -> models to try next, e.g. `{ 'gpt-4.1': ['gpt-4.1-mini'] }`. */
  readonly fallbacks?: Readonly<Record<string, readonly string[]>>;
  /** A stream may take this long in total, in ms. Default: no limit (the idle timeout still applies). */
  readonly streamTotalTimeoutMs?: number;
  /** Time source (tests inject a manual clock). Default: the system clock. */
  readonly clock?: Clock;
  /** OpenTelemetry spans and metrics (a no-op until the application registers an SDK); see {@link TelemetryOptions}. */
  readonly telemetry?: TelemetryOptions;
  /**
   * Azure OpenAI: its v1 API, or the classic deployment API with an `api-version`, with
   * a key or a Microsoft Entra ID token provider (see {@link AzureOptions}). Also on
   * when `AZURE_OPENAI_ENDPOINT` is set. Not with `client`.
   */
  readonly azure?: AzureOptions;
}

/** The latest state of the integration, for health reports. */
export interface OperationsHealth {
  readonly breakers: Awaited<ReturnType<Transport['breakers']['snapshot']>>;
  /** The rate-limit snapshot of the most recent response that had one. */
  readonly rateLimit: RateLimitSnapshot | null;
}

/** The operations users call; see {@link createOperations}. */
export interface Operations {
  readonly chat: ChatOperations;
  readonly responses: ResponsesOperations;
  readonly usage: UsageTracker;
  /** Listing (filtered, cached), retrieval and selection of models, and the model registry. */
  readonly models: ModelOperations;
  readonly embeddings: EmbeddingsOperations;
  readonly files: FileOperations;
  readonly batches: BatchOperations;
  readonly moderations: ModerationOperations;
  /** Walks over stored chat completions and response input items. */
  readonly lists: ListOperations;
  readonly transport: Transport;
  /** The SDK client in use (retries off), for calls this package does not wrap. */
  readonly client: OpenAI;
  readonly logger: Logger;
  /** Breaker states and the latest rate-limit snapshot. */
  health(): Promise<OperationsHealth>;
}

const isTransport = (value: Transport | TransportOptions | undefined): value is Transport =>
  typeof value === 'object' && typeof (value as Partial<Transport>).execute === 'function';

/**
 * Creates the OpenAI operations: an SDK client with its own retries off (the transport
 * is the only layer that retries), a transport with the configured retry, breaker and
 * pacing, a usage tracker and a model registry, and a redacting logger.
 *
 * Every operation validates its input before any network call and returns a
 * `ResultAsync` whose value carries `meta` (request id, attempts, latency, rate-limit
 * snapshot, the model that answered, models skipped, usage and cost).
 *
 * Fails with: `ConfigError` (missing or malformed settings, named with their fix; a
 * `store` beside a built `transport`, or budgets with pacing off).
 *
 * @example
 * const operations = createOperations()._unsafeUnwrap();
 * const answer = await operations.chat.create({ messages: [{ role: 'user', content: 'Hello' }] });
 * if (answer.isOk()) console.log(answer.value.value.text, answer.value.meta.requestId);
 */
export function createOperations(options: OperationsOptions = {}): Result<Operations, IntegrationError> {
  const storeProblem = checkStore(options);
  if (storeProblem !== undefined) return err(storeProblem);
  const azureLoaded = loadAzure(options);
  if (azureLoaded.isErr()) return err(azureLoaded.error);
  const azure = azureLoaded.value;
  let config = options.config;
  if (config === undefined) {
    // A caller's client brings its own key, and Azure its own; the placeholder is never sent.
    const loaded = loadConfig({
      ...(options.client === undefined ? {} : { apiKey: 'supplied-by-client' }),
      ...(azure === null ? {} : { apiKey: 'supplied-by-azure', baseUrl: azure.baseUrl }),
      ...options.load,
    });
    if (loaded.isErr()) return err(loaded.error);
    config = loaded.value;
  }
  const clock = options.clock ?? systemClock;
  const secrets: string[] = [];
  const knownSecrets = (): readonly string[] => secrets;
  const redaction = { includeBodies: config.logBodies, knownSecrets };
  // createLogger redacts by itself; a caller's logger (pino, ...) is wrapped.
  const logger =
    options.logger === undefined
      ? createLogger({ level: config.logLevel, redaction })
      : withRedaction(options.logger, redaction);
  const apiKey = config.apiKey;
  const remember = (key: string): string => {
    if (!secrets.includes(key)) {
      secrets.push(key);
      if (secrets.length > 4) secrets.shift();
    }
    return key;
  };
  // A fixed key goes to the SDK as a string: a key function costs the SDK an async
  // credential lookup on every request. A key source that is a function (rotation)
  // is asked again on every request, as the SDK allows.
  const fixedKey = apiKey.revealFixed();
  // Unless the application gives its own, requests go out on node:http keep-alive
  // agents: Node's global fetch costs more CPU per call than the SDK itself.
  const wireFetch = options.fetch ?? createNodeHttpFetch();
  const transportOptions = {
    timeout: config.timeoutMs,
    maxRetries: 0,
    logLevel: 'off' as const,
    fetch: config.logBodies ? createBodyLoggingFetch(wireFetch, logger) : wireFetch,
  };
  const client =
    options.client?.withOptions({ maxRetries: 0 }) ??
    (azure === null
      ? new OpenAI({
          apiKey: fixedKey === undefined ? async () => remember(await apiKey.reveal()) : remember(fixedKey),
          organization: config.organization,
          project: config.project,
          baseURL: config.baseUrl,
          ...transportOptions,
        })
      : azureClient(azure, options.azure?.tokenProvider, { clock, remember, transportOptions }));
  const telemetry = createOperationsTelemetry(options.telemetry ?? {}, {
    clock,
    baseUrl: client.baseURL,
    knownSecrets,
    semconvOptIn: (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      'OTEL_SEMCONV_STABILITY_OPT_IN'
    ],
  });
  const transport = isTransport(options.transport)
    ? options.transport
    : createTransport(
        telemetry.withTransportHooks({
          attemptTimeoutMs: config.timeoutMs,
          clock,
          logger,
          ...options.transport,
          ...withStore(options.transport, options.store),
          retry: { maxRetries: config.maxRetries, ...options.transport?.retry },
        }),
      );
  let latestRateLimit: RateLimitSnapshot | null = null;
  const context: OperationContext = {
    client,
    transport,
    usage: options.usage ?? createUsageTracker(),
    models: options.models ?? createModelRegistry(),
    logger,
    clock,
    defaultModel: config.model,
    fallbacks: options.fallbacks ?? {},
    streamIdleTimeoutMs: config.streamIdleTimeoutMs,
    streamTotalTimeoutMs: options.streamTotalTimeoutMs,
    logBodies: config.logBodies,
    knownSecrets,
    deployed: azure === null || Object.keys(azure.deployments).length === 0 ? undefined : deployedIn(azure),
    observeRateLimit: (snapshot) => {
      latestRateLimit = snapshot;
    },
    telemetry,
  };
  return ok({
    chat: createChatOperations(context),
    responses: azure?.api === 'classic' ? refusedResponses(context) : createResponsesOperations(context),
    usage: context.usage,
    models: createModelOperations(context),
    embeddings: createEmbeddingsOperations(context),
    files: createFileOperations(context),
    batches: createBatchOperations(context),
    moderations: createModerationOperations(context),
    lists: createListOperations(context),
    transport,
    client,
    logger,
    health: async () => ({ breakers: await transport.breakers.snapshot(), rateLimit: latestRateLimit }),
  });
}

/** Why `store` cannot be used with the other options, if it cannot. */
function checkStore(options: OperationsOptions): IntegrationError | undefined {
  const { store } = options;
  if (store === undefined) return undefined;
  const problem = isTransport(options.transport)
    ? {
        problem: 'a store was given beside a transport built by the caller, which would not use it',
        fix: 'pass the stores to createTransport({ pacing: { store: store.budgets }, cooldownStore: store.cooldowns }) and leave store out, or pass transport options instead of a transport',
      }
    : store.budgets !== undefined && options.transport?.pacing === false
      ? {
          problem: 'store.budgets was given but transport.pacing is false, so no budget would be reserved',
          fix: 'remove transport.pacing: false, or leave store.budgets out',
        }
      : undefined;
  if (problem === undefined) return undefined;
  return createError('ConfigError', {
    message: `store: ${problem.problem}; fix: ${problem.fix}`,
    variable: 'store',
    fix: problem.fix,
    problems: [{ variable: 'store', ...problem }],
  });
}

/** The transport options that put a shared store's budgets under pacing and its cooldowns under the breakers. */
function withStore(
  transport: TransportOptions | undefined,
  store: SharedStore | undefined,
): Pick<TransportOptions, 'pacing' | 'cooldownStore'> {
  if (store === undefined) return {};
  const { budgets, cooldowns } = store;
  const pacing = transport?.pacing;
  return {
    ...(budgets === undefined || pacing === false ? {} : { pacing: { ...pacing, store: budgets } }),
    ...(cooldowns === undefined ? {} : { cooldownStore: cooldowns }),
  };
}

/** The Azure settings: from `azure.config`, else loaded (with the environment of `load`); null when Azure is off. */
function loadAzure(options: OperationsOptions): Result<AzureConfig | null, IntegrationError> {
  const { azure } = options;
  if (azure?.config !== undefined) return ok(azure.config);
  if (options.client !== undefined) {
    if (azure === undefined) return ok(null);
    return err(
      createError('ConfigError', {
        message:
          'azure: given beside a client, which would not use it; fix: leave out client, or build the AzureOpenAI client yourself and leave out azure',
        variable: 'azure',
        fix: 'leave out client, or build the AzureOpenAI client yourself and leave out azure',
        problems: [
          {
            variable: 'azure',
            problem: 'given beside a client, which would not use it',
            fix: 'leave out client, or build the AzureOpenAI client yourself and leave out azure',
          },
        ],
      }),
    );
  }
  const { load } = options;
  return loadAzureConfig(
    {
      ...(load?.env === undefined ? {} : { env: load.env }),
      ...(load?.envFile === undefined ? {} : { envFile: load.envFile }),
      ...(load?.cwd === undefined ? {} : { cwd: load.cwd }),
      ...azure?.load,
    },
    { tokenProvider: azure?.tokenProvider !== undefined },
  );
}

/** The SDK client of an Azure resource: the plain client on the v1 API, `AzureOpenAI` on the classic one. */
function azureClient(
  azure: AzureConfig,
  tokenProvider: AzureOptions['tokenProvider'],
  parts: {
    readonly clock: Clock;
    readonly remember: (secret: string) => string;
    readonly transportOptions: Pick<
      ConstructorParameters<typeof OpenAI>[0] & object,
      'timeout' | 'maxRetries' | 'logLevel' | 'fetch'
    >;
  },
): OpenAI {
  const token = tokenProvider === undefined ? undefined : createTokenSource(tokenProvider, parts.clock, parts.remember);
  const key = azure.apiKey;
  const credential = (): string | (() => Promise<string>) => {
    if (token !== undefined) return token;
    /* v8 ignore next -- loadAzureConfig requires a key without a token provider */
    if (key === null) throw new TypeError('an Azure configuration without a key or a token provider');
    const fixed = key.revealFixed();
    return fixed === undefined ? async () => parts.remember(await key.reveal()) : parts.remember(fixed);
  };
  if (azure.api === 'v1')
    return new OpenAI({ apiKey: credential(), baseURL: azure.baseUrl, ...parts.transportOptions });
  const given = credential();
  return new AzureOpenAI({
    baseURL: `${azure.endpoint}/openai`,
    apiVersion: azure.apiVersion ?? undefined,
    ...(typeof given === 'string' ? { apiKey: given } : { azureADTokenProvider: given }),
    ...parts.transportOptions,
  });
}

/** Replaces the model of a request body by its deployment name. */
function deployedIn(azure: AzureConfig): <Body>(body: Body) => Body {
  const { deployments } = azure;
  return <Body>(body: Body): Body => {
    if (typeof body !== 'object' || body === null) return body;
    const model = (body as { readonly model?: unknown }).model;
    if (typeof model !== 'string') return body;
    const deployment = deployments[model];
    return deployment === undefined ? body : { ...body, model: deployment };
  };
}
