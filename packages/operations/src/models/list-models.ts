import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import type { ModelRegistry } from './create-model-registry.ts';
import type { Modality, ModelDescriptor } from './model-descriptor.ts';

/** A model the endpoint lists, with what the registry knows of it. */
export interface ListedModel {
  readonly id: string;
  /** When the model was created, in Unix seconds (as the API sends it; 0 when missing). */
  readonly created: number;
  /** `owned_by` of the API, e.g. `system`, `openai`, or an organisation for fine-tunes. */
  readonly ownedBy: string;
  /** The registry's description (limits, capabilities, price), or `undefined` for a model it does not describe. */
  readonly descriptor: ModelDescriptor | undefined;
}

/**
 * Client-side filters and sorting of the models list (`GET /models` has none). Every
 * filter given must hold. Capability filters read the registry: a model it does not
 * describe never matches one (refresh the list to add such models conservatively).
 */
export interface ModelFilter {
  /** Ids that start with this, e.g. `gpt-4.1`. */
  readonly prefix?: string;
  /** Ids that match this pattern, e.g. `/^o\d/`. */
  readonly pattern?: RegExp;
  /** Models owned by this owner (or any of these). */
  readonly ownedBy?: string | readonly string[];
  /** Models created at or after this time. */
  readonly createdAfter?: Date;
  /** Models created before this time. */
  readonly createdBefore?: Date;
  /** `chat`, `embedding` or `moderation`, from the registry. */
  readonly kind?: ModelDescriptor['kind'];
  readonly tools?: boolean;
  readonly structuredOutput?: boolean;
  readonly reasoning?: boolean;
  /** Models that accept every one of these inputs. */
  readonly inputModalities?: readonly Modality[];
  /** Sort key: `id` (default) or `created`. */
  readonly sortBy?: 'id' | 'created';
  /** `asc` (default) or `desc`. */
  readonly order?: 'asc' | 'desc';
}

/** A model as `GET /models` sends it (extra fields ignored). */
export interface RawModel {
  readonly id: string;
  readonly created?: number;
  readonly owned_by?: string;
}

const invalid = (path: string, message: string): ErrorOf<'ValidationError'> =>
  createError('ValidationError', {
    message: `invalid argument ${path}: ${message}`,
    issues: [{ path, message, code: 'invalid_type' }],
  });

const isDate = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Date).getTime === 'function' &&
  !Number.isNaN((value as Date).getTime());

/**
 * Checks a {@link ModelFilter} before anything is fetched.
 *
 * Fails with: `ValidationError` naming the filter field.
 */
export function checkModelFilter(filter: ModelFilter): Result<ModelFilter, ErrorOf<'ValidationError'>> {
  if (filter.prefix !== undefined && typeof filter.prefix !== 'string')
    return err(invalid('prefix', 'must be a string'));
  if (filter.pattern !== undefined && typeof (filter.pattern as Partial<RegExp>).test !== 'function')
    return err(invalid('pattern', 'must be a RegExp'));
  if (filter.createdAfter !== undefined && !isDate(filter.createdAfter))
    return err(invalid('createdAfter', 'must be a valid Date'));
  if (filter.createdBefore !== undefined && !isDate(filter.createdBefore))
    return err(invalid('createdBefore', 'must be a valid Date'));
  const sortBy: unknown = filter.sortBy;
  if (sortBy !== undefined && sortBy !== 'id' && sortBy !== 'created')
    return err(invalid('sortBy', "must be 'id' or 'created'"));
  const order: unknown = filter.order;
  if (order !== undefined && order !== 'asc' && order !== 'desc')
    return err(invalid('order', "must be 'asc' or 'desc'"));
  return ok(filter);
}

function capable(descriptor: ModelDescriptor | undefined, filter: ModelFilter): boolean {
  const wanted =
    filter.kind !== undefined ||
    filter.tools !== undefined ||
    filter.structuredOutput !== undefined ||
    filter.reasoning !== undefined ||
    filter.inputModalities !== undefined;
  if (!wanted) return true;
  if (descriptor === undefined) return false;
  if (filter.kind !== undefined && descriptor.kind !== filter.kind) return false;
  if (filter.tools !== undefined && descriptor.tools !== filter.tools) return false;
  if (filter.structuredOutput !== undefined && descriptor.structuredOutput !== filter.structuredOutput) return false;
  if (filter.reasoning !== undefined && descriptor.reasoning !== filter.reasoning) return false;
  return (filter.inputModalities ?? []).every((modality) => descriptor.inputModalities.includes(modality));
}

/** A model of the API with what the registry knows of it (0 and `''` for a missing date or owner). */
export const toListedModel = (model: RawModel, registry: ModelRegistry): ListedModel => ({
  id: model.id,
  created: model.created ?? 0,
  ownedBy: model.owned_by ?? '',
  descriptor: registry.get(model.id),
});

/**
 * Filters and sorts a models list on the client: id prefix or pattern, owner,
 * creation time, and capabilities from the registry; then sorted by id or creation
 * time. Pure: the registry is only read.
 *
 * @example
 * listModels(page.data, registry, { prefix: 'gpt-4.1', tools: true, sortBy: 'created', order: 'desc' });
 */
export function listModels(
  models: readonly RawModel[],
  registry: ModelRegistry,
  filter: ModelFilter = {},
): readonly ListedModel[] {
  const owners =
    filter.ownedBy === undefined ? undefined : typeof filter.ownedBy === 'string' ? [filter.ownedBy] : filter.ownedBy;
  const after = filter.createdAfter === undefined ? undefined : filter.createdAfter.getTime() / 1_000;
  const before = filter.createdBefore === undefined ? undefined : filter.createdBefore.getTime() / 1_000;
  const listed = models
    .map((model) => toListedModel(model, registry))
    .filter(
      (model) =>
        (filter.prefix === undefined || model.id.startsWith(filter.prefix)) &&
        (filter.pattern === undefined ||
          new RegExp(filter.pattern.source, filter.pattern.flags.replace(/[gy]/g, '')).test(model.id)) &&
        (owners === undefined || owners.includes(model.ownedBy)) &&
        (after === undefined || model.created >= after) &&
        (before === undefined || model.created < before) &&
        capable(model.descriptor, filter),
    );
  const direction = filter.order === 'desc' ? -1 : 1;
  const byId = (left: ListedModel, right: ListedModel): number =>
    left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
  return listed.sort(
    (left, right) =>
      direction * ((filter.sortBy === 'created' ? left.created - right.created : 0) || byId(left, right)),
  );
}
