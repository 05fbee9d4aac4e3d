import { createError, type IntegrationError } from '@openai-integration/core';
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type { FileCreateParams, FileDeleted, FileObject, FilePurpose } from 'openai/resources/files';
import type { OperationResult } from '../call/call-meta.ts';
import type { CallOptions } from '../call/call-options.ts';
import { runCall, type CallSpec } from '../call/run-call.ts';
import type { SdkRequest, SdkRequestOptions } from '../call/send-attempt.ts';
import { checkId } from '../internal/check-id.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { createListWalk, type ListCallOptions, type ListWalk, type PageQuery } from '../pagination/list-walk.ts';
import { baseName, toUploadFile, type FileSource } from './to-upload-file.ts';
import { checkRequestObject } from '../internal/check-request-object.ts';

/** A file to upload. */
export interface FileUpload {
  /** The content: `{ path }`, bytes, a `Blob`, or a stream (read once into memory, so that a retry can resend it). */
  readonly file: FileSource;
  /** What the file is for: `batch` (JSONL), `fine-tune`, `assistants`, `vision`, `user_data` or `evals`. */
  readonly purpose: FilePurpose;
  /** The name the server keeps. Default: the path's last segment, else `upload.jsonl` for `batch`/`fine-tune` and `upload` otherwise. */
  readonly filename?: string;
  /** Lets the server delete the file this many seconds after its creation (3600 to 2592000). */
  readonly expiresAfterSeconds?: number;
}

/** Filters of the files list. */
export interface FilesQuery extends PageQuery {
  /** Server-side: only files with this purpose (including `batch_output`). */
  readonly purpose?: string;
  /** Server-side: by creation time; the server's default is `desc`. */
  readonly order?: 'asc' | 'desc';
  /** Client-side: keeps only the files for which it returns true. */
  readonly where?: (file: FileObject) => boolean;
}

/** Files: upload, list, retrieve, download and delete. */
export interface FileOperations {
  /**
   * Uploads a file with the SDK's `toFile`; the content is read once, so a retried
   * attempt sends the same bytes.
   *
   * Fails with: `ValidationError` (purpose, file name, unreadable path or stream),
   * any HTTP variant, `ConnectionError`, `TimeoutError`, `AbortedError`, `CircuitOpenError`.
   *
   * @example
   * const uploaded = await operations.files.upload({ file: { path: './requests.jsonl' }, purpose: 'batch' });
   * if (uploaded.isOk()) console.log(uploaded.value.value.id);
   */
  upload(upload: FileUpload, options?: CallOptions): ResultAsync<OperationResult<FileObject>, IntegrationError>;
  /**
   * Walks the files, newest first unless `order` says otherwise (see {@link ListWalk}).
   *
   * Fails with (as the walk's last value): as `upload`, plus `MalformedResponseError` (page cap).
   */
  list(query?: FilesQuery, options?: ListCallOptions): ListWalk<FileObject>;
  /**
   * Retrieves a file's description.
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(fileId: string, options?: CallOptions): ResultAsync<OperationResult<FileObject>, IntegrationError>;
  /**
   * Downloads a file's content as bytes; a connection lost mid-body is retried.
   *
   * Fails with: as `retrieve`.
   */
  downloadBytes(fileId: string, options?: CallOptions): ResultAsync<OperationResult<Uint8Array>, IntegrationError>;
  /**
   * Downloads a file's content as UTF-8 text.
   *
   * Fails with: as `retrieve`.
   */
  downloadText(fileId: string, options?: CallOptions): ResultAsync<OperationResult<string>, IntegrationError>;
  /**
   * Deletes a file.
   *
   * Fails with: as `retrieve`.
   */
  delete(
    fileId: string,
    options?: CallOptions,
  ): ResultAsync<OperationResult<{ readonly id: string; readonly deleted: boolean }>, IntegrationError>;
}

const purposes: readonly FilePurpose[] = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

function checkUpload(upload: FileUpload): Result<{ readonly filename: string }, IntegrationError> {
  const issues: { path: string; message: string; code: string }[] = [];
  if (!purposes.includes(upload.purpose))
    issues.push({ path: 'purpose', message: `must be one of ${purposes.join(', ')}`, code: 'invalid_value' });
  const source = upload.file as unknown;
  if (typeof source !== 'object' || source === null)
    issues.push({ path: 'file', message: 'must be { path }, bytes, a Blob or a stream', code: 'invalid_type' });
  const path =
    typeof source === 'object' && source !== null && 'path' in source
      ? (source as { readonly path: unknown }).path
      : undefined;
  if (path !== undefined && (typeof path !== 'string' || path === ''))
    issues.push({ path: 'file.path', message: 'must be a file path', code: 'invalid_type' });
  const filename =
    upload.filename ??
    (typeof path === 'string' && path !== ''
      ? baseName(path)
      : upload.purpose === 'batch' || upload.purpose === 'fine-tune'
        ? 'upload.jsonl'
        : 'upload');
  if (filename.trim() === '' || /[\\/]/.test(filename))
    issues.push({ path: 'filename', message: 'must be a plain file name', code: 'invalid_string' });
  if (upload.purpose === 'batch' && !filename.endsWith('.jsonl'))
    issues.push({ path: 'filename', message: 'must end in .jsonl for a batch file', code: 'invalid_string' });
  const seconds = upload.expiresAfterSeconds;
  if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 3_600 || seconds > 2_592_000)) {
    issues.push({
      path: 'expiresAfterSeconds',
      message: 'must be an integer from 3600 (1 hour) to 2592000 (30 days)',
      code: 'out_of_range',
    });
  }
  if (issues.length === 0) return ok({ filename });
  return err(
    createError('ValidationError', {
      message: `invalid argument${issues.length > 1 ? 's' : ''} ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    }),
  );
}

/** Builds the file operations over an operation context. */
export function createFileOperations(context: OperationContext): FileOperations {
  const files = context.client.files;

  /** Reads the body inside the attempt, so that a connection lost mid-body is retried. */
  const bytesOf = (fileId: string, requestOptions: SdkRequestOptions): SdkRequest<Uint8Array> => ({
    async withResponse() {
      const { data, response, request_id } = await files.content(fileId, requestOptions).withResponse();
      return { data: new Uint8Array(await data.arrayBuffer()), response, request_id };
    },
  });

  const filesUpload: CallSpec<FileCreateParams, FileObject> = {
    operation: 'files.upload',
    endpoint: 'files',
    send: files.create.bind(files),
  };
  const filesRetrieve: CallSpec<string, FileObject> = {
    operation: 'files.retrieve',
    endpoint: 'files',
    send: files.retrieve.bind(files),
  };
  const filesContent: CallSpec<string, Uint8Array> = { operation: 'files.content', endpoint: 'files', send: bytesOf };
  const filesText: CallSpec<string, Uint8Array, string> = {
    ...filesContent,
    toValue: (bytes) => ok(new TextDecoder().decode(bytes)),
  };
  const filesDelete: CallSpec<string, FileDeleted, { readonly id: string; readonly deleted: boolean }> = {
    operation: 'files.delete',
    endpoint: 'files',
    send: files.delete.bind(files),
    toValue: (data) => ok({ id: data.id, deleted: data.deleted }),
  };

  const byId = <Data, Value>(
    spec: CallSpec<string, Data, Value>,
    fileId: string,
    options: CallOptions,
  ): ResultAsync<OperationResult<Value>, IntegrationError> => {
    const id = checkId('fileId', fileId, 'file-abc123');
    if (id.isErr()) return errAsync(id.error);
    return new ResultAsync(runCall(context, spec, { body: fileId, options }));
  };

  const upload: FileOperations['upload'] = (request, options = {}) => {
    const isObject = checkRequestObject(request, 'file and purpose');
    if (isObject.isErr()) return errAsync(isObject.error);
    const checked = checkUpload(request);
    if (checked.isErr()) return errAsync(checked.error);
    const run = async (): Promise<Result<OperationResult<FileObject>, IntegrationError>> => {
      const file = await toUploadFile(request.file, checked.value.filename);
      if (file.isErr()) return err(file.error);
      const expiresAfter =
        request.expiresAfterSeconds === undefined
          ? {}
          : { expires_after: { anchor: 'created_at' as const, seconds: request.expiresAfterSeconds } };
      return runCall(context, filesUpload, {
        body: { file: file.value, purpose: request.purpose, ...expiresAfter },
        options,
      });
    };
    return new ResultAsync(run());
  };

  return {
    upload,
    list(query = {}, options = {}) {
      const { where, ...server } = query;
      return createListWalk(context, {
        operation: 'files.list',
        endpoint: 'files',
        query: server,
        where,
        options,
        fetch: (page, requestOptions) => files.list(page, requestOptions),
      });
    },
    retrieve: (fileId, options = {}) => byId(filesRetrieve, fileId, options),
    downloadBytes: (fileId, options = {}) => byId(filesContent, fileId, options),
    downloadText: (fileId, options = {}) => byId(filesText, fileId, options),
    delete: (fileId, options = {}) => byId(filesDelete, fileId, options),
  };
}
