import { stepsDue, unixNow, type EngineState, type StoredBatch } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteHandler, type RouteResult } from '../../engine/route-types.ts';
import {
  apiFailure,
  invalidRequest,
  isApiFailure,
  notFound,
  toErrorBody,
  type ApiFailure,
} from '../../http/api-failure.ts';
import { cursorPage } from '../../pagination/cursor-page.ts';
import { createFieldReader, isJsonObject } from '../../validation/field-reader.ts';
import { chatCompletions } from '../chat/chat-completions.ts';
import { createEmbeddings } from '../embeddings/create-embeddings.ts';
import { fileNotFound, storeFile } from '../files/file-routes.ts';
import { createModeration } from '../moderations/create-moderation.ts';
import { createResponse } from '../responses/responses-routes.ts';
import { jsonBody } from '../shared/json-body.ts';

const handlers: Readonly<Record<string, RouteHandler>> = {
  '/v1/chat/completions': chatCompletions,
  '/v1/embeddings': createEmbeddings,
  '/v1/responses': createResponse,
  '/v1/moderations': createModeration,
};

const dayInSeconds = 86_400;

function toWire(batch: StoredBatch): Record<string, unknown> & { readonly id: string } {
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    ...(batch.errors === null ? {} : { errors: { object: 'list', data: batch.errors } }),
    input_file_id: batch.inputFileId,
    completion_window: batch.completionWindow,
    status: batch.status,
    ...(batch.outputFileId === null ? {} : { output_file_id: batch.outputFileId }),
    ...(batch.errorFileId === null ? {} : { error_file_id: batch.errorFileId }),
    created_at: batch.createdAt,
    ...batch.timestamps,
    expires_at: batch.createdAt + dayInSeconds,
    request_counts: batch.requestCounts,
    ...(batch.usage === null ? {} : { usage: batch.usage }),
    metadata: batch.metadata ?? null,
  };
}

function lineError(code: string, message: string, line: number, param: string | null = null): Record<string, unknown> {
  return { code, message, param, line };
}

function validateLines(state: EngineState, batch: StoredBatch): readonly Record<string, unknown>[] {
  const file = state.files.get(batch.inputFileId);
  const text = file === undefined ? '' : new TextDecoder().decode(file.bytes);
  const rawLines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (rawLines.length === 0) return [lineError('empty_file', 'The batch input file is empty.', 0)];
  const errors: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const lines: Record<string, unknown>[] = [];
  rawLines.forEach((raw, index) => {
    const lineNumber = index + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      errors.push(lineError('invalid_json_line', 'This line is not parseable as valid JSON.', lineNumber));
      return;
    }
    if (!isJsonObject(parsed) || typeof parsed['custom_id'] !== 'string') {
      errors.push(
        lineError('missing_required_parameter', "Missing required parameter: 'custom_id'.", lineNumber, 'custom_id'),
      );
      return;
    }
    if (seen.has(parsed['custom_id'])) {
      errors.push(
        lineError(
          'duplicate_custom_id',
          'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.',
          lineNumber,
          'custom_id',
        ),
      );
      return;
    }
    seen.add(parsed['custom_id']);
    if (parsed['method'] !== 'POST') {
      errors.push(lineError('invalid_method', "The method for this request must be 'POST'.", lineNumber, 'method'));
      return;
    }
    if (parsed['url'] !== batch.endpoint) {
      errors.push(
        lineError(
          'mismatched_endpoint',
          `The URL provided for this request does not match the batch endpoint '${batch.endpoint}'.`,
          lineNumber,
          'url',
        ),
      );
      return;
    }
    lines.push(parsed);
  });
  batch.lines = lines;
  return errors;
}

function addUsage(total: Record<string, number>, body: unknown): void {
  if (!isJsonObject(body) || !isJsonObject(body['usage'])) return;
  const usage = body['usage'];
  const number = (value: unknown): number => (typeof value === 'number' ? value : 0);
  const details = (value: unknown, key: string): number => (isJsonObject(value) ? number(value[key]) : 0);
  total['input_tokens'] = (total['input_tokens'] ?? 0) + number(usage['prompt_tokens'] ?? usage['input_tokens']);
  total['output_tokens'] = (total['output_tokens'] ?? 0) + number(usage['completion_tokens'] ?? usage['output_tokens']);
  total['cached_tokens'] =
    (total['cached_tokens'] ?? 0) +
    details(usage['prompt_tokens_details'] ?? usage['input_tokens_details'], 'cached_tokens');
  total['reasoning_tokens'] =
    (total['reasoning_tokens'] ?? 0) +
    details(usage['completion_tokens_details'] ?? usage['output_tokens_details'], 'reasoning_tokens');
}

async function runLine(
  state: EngineState,
  line: Readonly<Record<string, unknown>>,
): Promise<{ readonly status: number; readonly body: unknown }> {
  const customId = line['custom_id'] as string;
  const scripted = state.itemFailures.get(customId);
  if (scripted !== undefined && scripted.remaining > 0) {
    scripted.remaining -= 1;
    const type = scripted.status >= 500 ? 'server_error' : 'invalid_request_error';
    return {
      status: scripted.status,
      body: toErrorBody(
        apiFailure({ status: scripted.status, message: scripted.message, type, param: null, code: scripted.code }),
      ),
    };
  }
  const handler = handlers[line['url'] as string];
  const body = line['body'];
  if (handler === undefined)
    return { status: 404, body: toErrorBody(notFound(`Invalid URL (POST ${String(line['url'])})`)) };
  if (isJsonObject(body) && body['stream'] === true) {
    return {
      status: 400,
      body: toErrorBody(invalidRequest('stream', 'Streaming is not supported in the Batch API.', 'invalid_value')),
    };
  }
  const result = await handler({
    state,
    url: new URL(`http://batch.local${line['url'] as string}`),
    id: '',
    body,
    form: undefined,
    scripted: undefined,
    charge: () => undefined,
  });
  if (result.kind === 'failure') return { status: result.failure.status, body: toErrorBody(result.failure) };
  return { status: 200, body: result.kind === 'json' ? result.body : null };
}

async function complete(state: EngineState, batch: StoredBatch): Promise<void> {
  const output: string[] = [];
  const errorLines: string[] = [];
  const usage: Record<string, number> = {};
  for (const line of batch.lines) {
    const result = await runLine(state, line);
    const wire = JSON.stringify({
      id: state.ids.next('batch-request'),
      custom_id: line['custom_id'],
      response: { status_code: result.status, request_id: state.ids.next('request'), body: result.body },
      error: null,
    });
    if (result.status === 200) {
      output.push(wire);
      addUsage(usage, result.body);
    } else {
      errorLines.push(wire);
    }
  }
  const encode = (lines: readonly string[]): Uint8Array => new TextEncoder().encode(`${lines.join('\n')}\n`);
  if (output.length > 0)
    batch.outputFileId = storeFile(state, `${batch.id}_output.jsonl`, 'batch_output', encode(output)).id;
  if (errorLines.length > 0)
    batch.errorFileId = storeFile(state, `${batch.id}_error.jsonl`, 'batch_output', encode(errorLines)).id;
  batch.requestCounts = { total: batch.lines.length, completed: output.length, failed: errorLines.length };
  const inputTokens = usage['input_tokens'] ?? 0;
  const outputTokens = usage['output_tokens'] ?? 0;
  batch.usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: usage['cached_tokens'] ?? 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: usage['reasoning_tokens'] ?? 0 },
    total_tokens: inputTokens + outputTokens,
  };
}

async function step(state: EngineState, batch: StoredBatch): Promise<void> {
  const at = unixNow(state);
  switch (batch.status) {
    case 'validating': {
      const errors = validateLines(state, batch);
      if (errors.length > 0) {
        batch.status = 'failed';
        batch.errors = errors;
        batch.timestamps['failed_at'] = at;
        return;
      }
      batch.status = 'in_progress';
      batch.timestamps['in_progress_at'] = at;
      batch.requestCounts = { total: batch.lines.length, completed: 0, failed: 0 };
      return;
    }
    case 'in_progress':
      batch.status = 'finalizing';
      batch.timestamps['finalizing_at'] = at;
      return;
    case 'finalizing':
      await complete(state, batch);
      batch.status = 'completed';
      batch.timestamps['completed_at'] = at;
      return;
    case 'cancelling':
      batch.status = 'cancelled';
      batch.timestamps['cancelled_at'] = at;
      return;
    default:
      return;
  }
}

async function progress(state: EngineState, batch: StoredBatch, retrieve: boolean): Promise<void> {
  const steps = stepsDue(state, batch, retrieve);
  for (let index = 0; index < steps; index++) await step(state, batch);
}

function batchNotFound(id: string): RouteResult {
  return failed(notFound(`No batch found with id '${id}'.`));
}

/**
 * POST /v1/batches: needs an uploaded `batch` file, a supported `endpoint` and
 * `completion_window: 24h`. The batch starts `validating`; each retrieve (or clock
 * step) moves it to `in_progress` (lines checked; bad lines fail the batch),
 * `finalizing`, then `completed`, when every line runs through the same logic as
 * its endpoint: successes go to the output file, failures (and scripted
 * `failBatchItems`) to the error file.
 */
export function createBatch(context: RouteContext): RouteResult {
  const { state } = context;
  const body = jsonBody(context.body);
  if (isApiFailure(body)) return failed(body);
  const read = createFieldReader(body);
  const inputFileId = read.requiredString('input_file_id');
  const endpoint = read.requiredString('endpoint', { oneOf: Object.keys(handlers) });
  const completionWindow = read.requiredString('completion_window', { oneOf: ['24h'] });
  const metadata = read.object('metadata');
  if (read.failure !== undefined) return failed(read.failure);
  const file = state.files.get(inputFileId);
  if (file === undefined) return failed(fileNotFound(inputFileId, 'input_file_id'));
  if (file.purpose !== 'batch') {
    return failed(
      invalidRequest(
        'input_file_id',
        `File ${file.id} has purpose '${file.purpose}'; the Batch API needs a file with purpose 'batch'.`,
        'invalid_value',
      ),
    );
  }
  const batch: StoredBatch = {
    id: state.ids.next('batch'),
    endpoint,
    inputFileId: file.id,
    completionWindow,
    metadata: metadata ?? null,
    createdAt: unixNow(state),
    order: state.order++,
    timestamps: {},
    status: 'validating',
    requestCounts: { total: 0, completed: 0, failed: 0 },
    errors: null,
    outputFileId: null,
    errorFileId: null,
    usage: null,
    lines: [],
    stage: 0,
    stageChangedAt: state.options.now(),
  };
  state.batches.set(batch.id, batch);
  return { kind: 'json', body: toWire(batch) };
}

/** GET /v1/batches/{id}: moves the batch on one state (see {@link createBatch}) and returns it. */
export async function retrieveBatch(context: RouteContext): Promise<RouteResult> {
  const { id } = context;
  const batch = context.state.batches.get(id);
  if (batch === undefined) return batchNotFound(id);
  await progress(context.state, batch, true);
  return { kind: 'json', body: toWire(batch) };
}

/** GET /v1/batches: a cursor list, newest first. Batches move on with the clock only here. */
export async function listBatches(context: RouteContext): Promise<RouteResult> {
  const batches = [...context.state.batches.values()].sort((left, right) => left.order - right.order);
  for (const batch of batches) await progress(context.state, batch, false);
  const page = cursorPage(batches.map(toWire), context.url.searchParams, { limit: 20, maxLimit: 100, order: 'desc' });
  return isApiFailure(page) ? failed(page) : { kind: 'json', body: page };
}

/** POST /v1/batches/{id}/cancel: `cancelling`, then `cancelled` on the next retrieve; a finished batch gives 409. */
export function cancelBatch(context: RouteContext): RouteResult {
  const { id } = context;
  const batch = context.state.batches.get(id);
  if (batch === undefined) return batchNotFound(id);
  if (!['validating', 'in_progress', 'finalizing'].includes(batch.status)) {
    const conflict: ApiFailure = apiFailure({
      status: 409,
      type: 'invalid_request_error',
      param: null,
      code: null,
      message: `Cannot cancel a batch with status '${batch.status}'.`,
    });
    return failed(conflict);
  }
  batch.status = 'cancelling';
  batch.timestamps['cancelling_at'] = unixNow(context.state);
  batch.stageChangedAt = context.state.options.now();
  return { kind: 'json', body: toWire(batch) };
}
