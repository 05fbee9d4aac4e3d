import { createError, redactText, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { toFile } from 'openai';

/**
 * What can be uploaded: a file on disk (`{ path }`), bytes (a `Buffer` is a
 * `Uint8Array`), a `Blob`/`File`, a web `ReadableStream`, or any async iterable of
 * chunks (a Node `Readable` is one).
 */
export type FileSource =
  | { readonly path: string }
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

const unreadable = (path: string, problem: string): ErrorOf<'ValidationError'> =>
  createError('ValidationError', {
    message: `invalid argument ${path}: ${problem}`,
    issues: [{ path, message: problem, code: 'unreadable' }],
  });

const describe = (thrown: unknown): string => {
  const code = typeof thrown === 'object' && thrown !== null ? (thrown as { readonly code?: unknown }).code : undefined;
  if (typeof code === 'string') return code;
  const message =
    typeof thrown === 'object' && thrown !== null ? (thrown as { readonly message?: unknown }).message : undefined;
  return redactText(typeof message === 'string' ? message : String(thrown)).slice(0, 200);
};

const isPath = (source: FileSource): source is { readonly path: string } =>
  typeof source === 'object' && 'path' in source && typeof (source as { readonly path?: unknown }).path === 'string';

const isWebStream = (source: FileSource): source is ReadableStream<Uint8Array> =>
  typeof (source as Partial<ReadableStream<Uint8Array>>).getReader === 'function' && !(Symbol.asyncIterator in source);

async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      yield chunk.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The last segment of a path, for the default file name. */
export const baseName = (path: string): string =>
  path
    .split(/[\\/]/)
    .filter((part) => part !== '')
    .at(-1) ?? path;

/**
 * Reads an upload source once into a `File` (with the SDK's `toFile`), so that a
 * retried upload sends the same bytes again: a stream can only be read once.
 *
 * Fails with: `ValidationError` (`file.path` cannot be read, or the stream failed).
 */
export async function toUploadFile(
  source: FileSource,
  filename: string,
): Promise<Result<File, ErrorOf<'ValidationError'>>> {
  if (isPath(source)) {
    try {
      const { readFile } = await import('node:fs/promises');
      return ok(await toFile(await readFile(source.path), filename));
    } catch (thrown) {
      return err(unreadable('file.path', `cannot read the file (${describe(thrown)})`));
    }
  }
  try {
    const input = isWebStream(source) ? readStream(source) : source;
    return ok(await toFile(input, filename));
  } catch (thrown) {
    return err(unreadable('file', `the content could not be read (${describe(thrown)})`));
  }
}
