import { unixNow, type EngineState, type StoredFile } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { invalidRequest, isApiFailure, notFound, type ApiFailure } from '../../http/api-failure.ts';
import { cursorPage } from '../../pagination/cursor-page.ts';

const purposes = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;

/** The wire shape of a stored file. */
function toFileObject(file: StoredFile): Record<string, unknown> & { readonly id: string } {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes.byteLength,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
  };
}

/** Stores a file the simulator itself produced (batch output and error files). */
export function storeFile(state: EngineState, filename: string, purpose: string, bytes: Uint8Array): StoredFile {
  const file: StoredFile = {
    id: state.ids.next('file'),
    filename,
    purpose,
    bytes,
    createdAt: unixNow(state),
    order: state.order++,
  };
  state.files.set(file.id, file);
  return file;
}

/** The 404 for an unknown file id. */
export function fileNotFound(id: string, param: string | null = null): ApiFailure {
  return notFound(`No such File object: ${id}`, param);
}

/**
 * POST /v1/files (multipart): needs a `file` part and a `purpose` among OpenAI's;
 * `batch` files must be `.jsonl`.
 */
export async function createFile(context: RouteContext): Promise<RouteResult> {
  const form = context.form;
  const file = form?.get('file');
  const purpose = form?.get('purpose');
  if (typeof purpose !== 'string')
    return failed(invalidRequest('purpose', "Missing required parameter: 'purpose'.", 'missing_required_parameter'));
  if (!(purposes as readonly string[]).includes(purpose)) {
    return failed(
      invalidRequest(
        'purpose',
        `Invalid value: '${purpose}'. Supported values are: ${purposes.map((entry) => `'${entry}'`).join(', ')}.`,
        'invalid_value',
      ),
    );
  }
  if (file === null || file === undefined || typeof file === 'string') {
    return failed(invalidRequest('file', "Missing required parameter: 'file'.", 'missing_required_parameter'));
  }
  if (purpose === 'batch' && !file.name.endsWith('.jsonl')) {
    return failed(invalidRequest('file', 'Invalid file format for Batch API. Must be .jsonl', 'invalid_file_format'));
  }
  const stored = storeFile(context.state, file.name, purpose, new Uint8Array(await file.arrayBuffer()));
  return { kind: 'json', body: toFileObject(stored) };
}

function sortedFiles(state: EngineState): StoredFile[] {
  return [...state.files.values()].sort((left, right) => left.createdAt - right.createdAt || left.order - right.order);
}

/** GET /v1/files: a cursor list (newest first by default), filtered by `purpose`. */
export function listFiles(context: RouteContext): RouteResult {
  const purpose = context.url.searchParams.get('purpose');
  const files = sortedFiles(context.state)
    .filter((file) => purpose === null || file.purpose === purpose)
    .map(toFileObject);
  const page = cursorPage(files, context.url.searchParams, { limit: 10_000, maxLimit: 10_000, order: 'desc' });
  return isApiFailure(page) ? failed(page) : { kind: 'json', body: page };
}

function withFile(context: RouteContext, use: (file: StoredFile) => RouteResult): RouteResult {
  const { id } = context;
  const file = context.state.files.get(id);
  return file === undefined ? failed(fileNotFound(id)) : use(file);
}

/** GET /v1/files/{id}. */
export function retrieveFile(context: RouteContext): RouteResult {
  return withFile(context, (file) => ({ kind: 'json', body: toFileObject(file) }));
}

/** GET /v1/files/{id}/content: the raw bytes. */
export function fileContent(context: RouteContext): RouteResult {
  return withFile(context, (file) => ({ kind: 'bytes', body: file.bytes, contentType: 'application/octet-stream' }));
}

/** DELETE /v1/files/{id}. */
export function deleteFile(context: RouteContext): RouteResult {
  return withFile(context, (file) => {
    context.state.files.delete(file.id);
    return { kind: 'json', body: { id: file.id, object: 'file', deleted: true } };
  });
}
