import { createError, type ErrorOf, type IntegrationError } from '@openai-integration/core';
import { err, errAsync, ok, okAsync, Result, ResultAsync } from 'neverthrow';
import type { Model } from 'openai/resources/models';
import type { CallMeta, OperationResult } from '../call/call-meta.ts';
import type { CallOptions } from '../call/call-options.ts';
import { runCall, type CallSpec } from '../call/run-call.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { checkModelId } from './check-model-id.ts';
import type { ModelRegistry, ModelRequirements, ModelSelection } from './create-model-registry.ts';
import {
  checkModelFilter,
  listModels,
  toListedModel,
  type ListedModel,
  type ModelFilter,
  type RawModel,
} from './list-models.ts';

/** Options of `models.list`. */
export interface ModelListOptions extends CallOptions {
  /** A list fetched less than this long ago (in ms, on the operations' clock) is reused. Default 300000 (5 minutes); 0 always fetches. */
  readonly maxAgeMs?: number;
  /** Fetches now, whatever the cache holds, and marks in the registry which models the endpoint serves (`registry.refresh`). */
  readonly refresh?: boolean;
}

/** What `models.list` returns. */
export interface ModelList {
  /** The models that pass the filter, sorted. */
  readonly models: readonly ListedModel[];
  /** How many models the endpoint lists before filtering. */
  readonly total: number;
  /** When the list was fetched (epoch ms on the operations' clock). */
  readonly fetchedAt: number;
  /** True when the cached list was used (then `meta.attempts` is 0 and nothing was sent). */
  readonly fromCache: boolean;
}

/** The models the endpoint serves, and choosing among them. */
export interface ModelOperations {
  /**
   * Lists the endpoint's models, filtered and sorted on the client (see
   * {@link ModelFilter}). The list is cached for `maxAgeMs`; `refresh: true` fetches
   * it again and updates the registry's availability, so that selection and fallback
   * chains skip models the endpoint does not serve.
   *
   * Fails with: `ValidationError` (bad filter), any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `MalformedResponseError`.
   *
   * @example
   * const listed = await operations.models.list({ prefix: 'gpt-', tools: true, sortBy: 'created', order: 'desc' });
   * if (listed.isOk()) console.log(listed.value.value.models.map((model) => model.id));
   */
  list(filter?: ModelFilter, options?: ModelListOptions): ResultAsync<OperationResult<ModelList>, IntegrationError>;
  /**
   * Retrieves one model (with what the registry knows of it).
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(modelId: string, options?: CallOptions): ResultAsync<OperationResult<ListedModel>, IntegrationError>;
  /**
   * Picks the best model of the registry for the requirements (see `ModelRegistry.select`).
   *
   * Fails with: `ValidationError` when no model fits (each model's reason is listed).
   */
  select(requirements?: ModelRequirements): Result<ModelSelection, ErrorOf<'ValidationError'>>;
  /** The model registry (limits, capabilities, prices) used for selection and pre-flight checks. */
  readonly registry: ModelRegistry;
}

const defaultMaxAgeMs = 300_000;

const malformed = (): IntegrationError =>
  createError('MalformedResponseError', {
    message: 'the endpoint answered with a model that has no id',
    requestId: null,
    status: null,
  });

/** Reads one model of the API, keeping only what is needed; a model without an id is malformed. */
function toRawModel(entry: unknown): Result<RawModel, IntegrationError> {
  const model = entry as Partial<Model> | null;
  if (typeof model?.id !== 'string' || model.id === '') return err(malformed());
  return ok({
    id: model.id,
    ...(typeof model.created === 'number' ? { created: model.created } : {}),
    ...(typeof model.owned_by === 'string' ? { owned_by: model.owned_by } : {}),
  });
}

/** Builds the model operations (listing with a cache, retrieval, selection) over an operation context. */
export function createModelOperations(context: OperationContext): ModelOperations {
  const registry = context.models;
  const models = context.client.models;
  const modelsList: CallSpec<undefined, { readonly data: readonly unknown[] }, RawModel[]> = {
    operation: 'models.list',
    endpoint: 'models',
    send: (_body, requestOptions) => models.list(requestOptions),
    toValue: (page) => Result.combine(page.data.map(toRawModel)),
  };
  const modelsRetrieve: CallSpec<string, Model, ListedModel> = {
    operation: 'models.retrieve',
    endpoint: 'models',
    send: models.retrieve.bind(models),
    toValue: (data) => toRawModel(data).map((model) => toListedModel(model, registry)),
  };
  let cache: { readonly models: readonly RawModel[]; readonly fetchedAt: number; readonly meta: CallMeta } | undefined;

  const list: ModelOperations['list'] = (filter = {}, options = {}) => {
    const checked = checkModelFilter(filter);
    if (checked.isErr()) return errAsync(checked.error);
    const maxAgeMs = options.maxAgeMs ?? defaultMaxAgeMs;
    if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
      return errAsync(
        createError('ValidationError', {
          message: 'invalid argument maxAgeMs: must be 0 or more',
          issues: [{ path: 'maxAgeMs', message: 'must be 0 or more', code: 'too_small' }],
        }),
      );
    }
    const shown = (models: readonly RawModel[], fetchedAt: number, fromCache: boolean): ModelList => ({
      models: listModels(models, registry, filter),
      total: models.length,
      fetchedAt,
      fromCache,
    });
    if (options.refresh !== true && cache !== undefined && context.clock.now() - cache.fetchedAt < maxAgeMs) {
      const cached = cache;
      return okAsync({
        value: shown(cached.models, cached.fetchedAt, true),
        meta: { ...cached.meta, attempts: 0, latencyMs: 0 },
      });
    }
    return new ResultAsync(runCall(context, modelsList, { body: undefined, options })).map(
      ({ value: models, meta }) => {
        const fetchedAt = context.clock.now();
        cache = { models, fetchedAt, meta };
        if (options.refresh === true) registry.refresh(models.map((model) => model.id));
        return { value: shown(models, fetchedAt, false), meta };
      },
    );
  };

  const retrieve: ModelOperations['retrieve'] = (modelId, options = {}) => {
    // The ids chat accepts (`meta-llama/Llama-3.1-8B-Instruct` of a vLLM server too); the SDK encodes the path.
    const checked = checkModelId(modelId, 'modelId');
    if (checked.isErr()) return errAsync(checked.error);
    return new ResultAsync(runCall(context, modelsRetrieve, { body: modelId, options }));
  };

  return { list, retrieve, select: (requirements) => registry.select(requirements), registry };
}
