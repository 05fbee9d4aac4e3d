import type { EngineState, StoredChatCompletion } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { invalidRequest, isApiFailure, notFound, type ApiFailure } from '../../http/api-failure.ts';
import { cursorPage } from '../../pagination/cursor-page.ts';
import { describeType, isJsonObject } from '../../validation/field-reader.ts';
import { jsonBody } from '../shared/json-body.ts';

/** OpenAI's bounds on `metadata`: 16 pairs, keys up to 64 characters, values up to 512. */
const maximumPairs = 16;
const maximumKeyLength = 64;
const maximumValueLength = 512;

/**
 * Reads a `metadata` map as OpenAI checks it (an object of at most 16 string
 * values, keys up to 64 characters, values up to 512), or the 400 naming the field.
 * `null` and `undefined` read as no metadata.
 */
export function readMetadata(raw: unknown, param = 'metadata'): Readonly<Record<string, string>> | ApiFailure {
  if (raw === undefined || raw === null) return {};
  if (!isJsonObject(raw)) {
    return invalidRequest(
      param,
      `Invalid type for '${param}': expected an object, but got ${describeType(raw)} instead.`,
      'invalid_type',
    );
  }
  const entries = Object.entries(raw);
  if (entries.length > maximumPairs) {
    return invalidRequest(
      param,
      `Invalid '${param}': too many properties. Expected an object with at most ${maximumPairs} properties, but got an object with ${entries.length} properties instead.`,
      'object_above_max_properties',
    );
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key.length > maximumKeyLength) {
      return invalidRequest(
        param,
        `Invalid '${param}': key too long. Expected a key with maximum length ${maximumKeyLength}, but got a key with length ${key.length} instead.`,
        'invalid_value',
      );
    }
    const field = `${param}.${key}`;
    if (typeof value !== 'string') {
      return invalidRequest(
        field,
        `Invalid type for '${field}': expected a string, but got ${describeType(value)} instead.`,
        'invalid_type',
      );
    }
    if (value.length > maximumValueLength) {
      return invalidRequest(
        field,
        `Invalid '${field}': string too long. Expected a string with maximum length ${maximumValueLength}, but got a string with length ${value.length} instead.`,
        'string_above_max_length',
      );
    }
    metadata[key] = value;
  }
  return metadata;
}

/** Forgets the stored completions whose time is up. */
function dropExpired(state: EngineState): void {
  const now = state.options.now();
  for (const [id, stored] of state.chatCompletions) {
    if (now - stored.storedAt >= state.options.storedCompletions.ttlMs) state.chatCompletions.delete(id);
  }
}

function storedMessage(raw: unknown, id: string): Record<string, unknown> & { readonly id: string } {
  const message = isJsonObject(raw) ? raw : {};
  const content = message['content'];
  const parts = Array.isArray(content) ? content : null;
  const text =
    typeof content === 'string'
      ? content
      : parts === null
        ? null
        : parts
            .map((part: unknown) => (isJsonObject(part) && typeof part['text'] === 'string' ? part['text'] : ''))
            .join('');
  return {
    id,
    role: message['role'],
    content: text,
    name: typeof message['name'] === 'string' ? message['name'] : null,
    content_parts: parts,
  };
}

/**
 * Keeps a chat completion created with `store: true`, with its request messages
 * and metadata: expired ones go first, then the oldest when `maxEntries` are kept.
 */
export function storeCompletion(
  state: EngineState,
  completion: Record<string, unknown> & { readonly id: string; readonly model: string },
  messages: readonly unknown[],
  metadata: Readonly<Record<string, string>>,
): void {
  dropExpired(state);
  for (const id of state.chatCompletions.keys()) {
    if (state.chatCompletions.size < state.options.storedCompletions.maxEntries) break;
    state.chatCompletions.delete(id);
  }
  state.chatCompletions.set(completion.id, {
    id: completion.id,
    completion: { ...completion, metadata },
    model: completion.model,
    metadata,
    messages: messages.map((message, index) => storedMessage(message, `${completion.id}-${index}`)),
    storedAt: state.options.now(),
  });
}

function findStored(state: EngineState, id: string): StoredChatCompletion | ApiFailure {
  dropExpired(state);
  return (
    state.chatCompletions.get(id) ??
    notFound(`No chat completion found with id '${id.slice(0, 100)}'.`, 'completion_id', null)
  );
}

/** `metadata[key]=value` query filters, or the 400 for a `metadata` parameter of another form. */
function metadataFilters(query: URLSearchParams): readonly (readonly [string, string])[] | ApiFailure {
  const filters: [string, string][] = [];
  for (const [name, value] of query) {
    if (name !== 'metadata' && !name.startsWith('metadata[')) continue;
    const key = /^metadata\[([^\]]{1,64})\]$/.exec(name)?.[1];
    if (key === undefined) {
      return invalidRequest(
        'metadata',
        "Invalid 'metadata': filter by metadata as metadata[key]=value, with a key of 1 to 64 characters.",
        'invalid_value',
      );
    }
    filters.push([key, value]);
  }
  return filters;
}

/**
 * GET /v1/chat/completions: the stored completions, oldest first by default
 * (`order`), filtered by `model` and `metadata[key]=value` (all must match), paged
 * with `limit` (1 to 100, default 20) and `after`; a bad value is a 400 naming it.
 */
export function listChatCompletions(context: RouteContext): RouteResult {
  const { state, url } = context;
  dropExpired(state);
  const filters = metadataFilters(url.searchParams);
  if (isApiFailure(filters)) return failed(filters);
  const model = url.searchParams.get('model');
  const matching = [...state.chatCompletions.values()].filter(
    (stored) =>
      (model === null || stored.model === model) && filters.every(([key, value]) => stored.metadata[key] === value),
  );
  const page = cursorPage(
    matching.map((stored) => stored.completion),
    url.searchParams,
    { limit: 20, maxLimit: 100, order: 'asc' },
  );
  return isApiFailure(page) ? failed(page) : { kind: 'json', body: page };
}

/** GET /v1/chat/completions/{id}: a stored completion, or 404. */
export function retrieveChatCompletion(context: RouteContext): RouteResult {
  const stored = findStored(context.state, context.id);
  return isApiFailure(stored) ? failed(stored) : { kind: 'json', body: stored.completion };
}

/** POST /v1/chat/completions/{id}: replaces the metadata of a stored completion (`metadata` is required). */
export function updateChatCompletion(context: RouteContext): RouteResult {
  const stored = findStored(context.state, context.id);
  if (isApiFailure(stored)) return failed(stored);
  const body = jsonBody(context.body);
  if (isApiFailure(body)) return failed(body);
  if (!('metadata' in body)) {
    return failed(invalidRequest('metadata', "Missing required parameter: 'metadata'.", 'missing_required_parameter'));
  }
  const metadata = readMetadata(body['metadata']);
  if (isApiFailure(metadata)) return failed(metadata);
  stored.metadata = metadata;
  stored.completion = { ...stored.completion, metadata };
  return { kind: 'json', body: stored.completion };
}

/** DELETE /v1/chat/completions/{id}: forgets a stored completion. */
export function deleteChatCompletion(context: RouteContext): RouteResult {
  const stored = findStored(context.state, context.id);
  if (isApiFailure(stored)) return failed(stored);
  context.state.chatCompletions.delete(stored.id);
  return { kind: 'json', body: { object: 'chat.completion.deleted', id: stored.id, deleted: true } };
}

/** GET /v1/chat/completions/{id}/messages: the request messages of a stored completion, paged. */
export function listChatCompletionMessages(context: RouteContext): RouteResult {
  const stored = findStored(context.state, context.id);
  if (isApiFailure(stored)) return failed(stored);
  const page = cursorPage(stored.messages, context.url.searchParams, { limit: 20, maxLimit: 100, order: 'asc' });
  return isApiFailure(page) ? failed(page) : { kind: 'json', body: page };
}
