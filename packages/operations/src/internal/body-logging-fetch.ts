import type { Logger } from '@openai-integration/core';

/** The most of one body that a log line holds; the original size is noted beside it. */
export const bodyLogLimitBytes = 8 * 1024;

/** A body as a log line holds it: its text up to the limit, and how large it was. */
export interface LoggedText {
  readonly text: string;
  readonly bytes: number;
  readonly truncated: boolean;
}

const encoder = new TextEncoder();

const decoder = new TextDecoder();

/** Caps a text at {@link bodyLogLimitBytes} bytes of UTF-8 (never splitting a character), noting its size. */
export function capText(text: string): LoggedText {
  const encoded = encoder.encode(text);
  if (encoded.byteLength <= bodyLogLimitBytes) return { text, bytes: encoded.byteLength, truncated: false };
  let cut = bodyLogLimitBytes;
  // Back to the start of the character that the limit falls in (continuation bytes are 10xxxxxx).
  while (cut > 0 && ((encoded[cut] ?? 0) & 0xc0) === 0x80) cut -= 1;
  return { text: decoder.decode(encoded.subarray(0, cut)), bytes: encoded.byteLength, truncated: true };
}

const isEmbeddings = (path: string): boolean => path.endsWith('/embeddings');
const isFileContent = (path: string): boolean => /\/files\/[^/]+\/content$/.test(path);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An embeddings request: the model and the number and sizes of the inputs, never the inputs. */
function describeEmbeddingsRequest(text: string): unknown {
  const parsed = parseJson(text) as
    { model?: unknown; input?: unknown; dimensions?: unknown; encoding_format?: unknown } | undefined;
  if (parsed === undefined) return { bytes: encoder.encode(text).byteLength };
  const inputs: unknown[] = Array.isArray(parsed.input) ? (parsed.input as unknown[]) : [parsed.input];
  const sizes = inputs.map((input) =>
    typeof input === 'string' ? input.length : Array.isArray(input) ? input.length : 0,
  );
  return {
    model: parsed.model,
    inputCount: inputs.length,
    inputCharacters: sizes.reduce((sum, size) => sum + size, 0),
    largestInput: sizes.reduce((largest, size) => Math.max(largest, size), 0),
    ...(parsed.dimensions === undefined ? {} : { dimensions: parsed.dimensions }),
    ...(parsed.encoding_format === undefined ? {} : { encodingFormat: parsed.encoding_format }),
  };
}

/** An embeddings response: the model, how many vectors and of what size, and the usage; never the vectors. */
function describeEmbeddingsResponse(text: string): unknown {
  const parsed = parseJson(text) as { model?: unknown; data?: unknown; usage?: unknown } | undefined;
  if (parsed === undefined || !Array.isArray(parsed.data)) return capText(text);
  const first = (parsed.data as { embedding?: unknown }[])[0]?.embedding;
  return {
    model: parsed.model,
    vectors: parsed.data.length,
    firstVectorSize: typeof first === 'string' || Array.isArray(first) ? first.length : null,
    usage: parsed.usage,
  };
}

/** A multipart upload: its text fields and, for files, their names, types and sizes only. */
function describeForm(form: FormData): unknown {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    fields[name] =
      typeof value === 'string' ? capText(value).text : { filename: value.name, type: value.type, bytes: value.size };
  }
  return { multipart: fields };
}

function describeRequest(path: string, body: unknown): unknown {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return isEmbeddings(path) ? describeEmbeddingsRequest(body) : capText(body);
  if (typeof FormData === 'function' && body instanceof FormData) return describeForm(body);
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return `[binary ${body.byteLength} bytes]`;
  return '[stream]';
}

/** The path of an HTTP(S) request, or null for anything else (the SDK probes `data:` URLs). */
function pathOf(input: string | URL | Request): string | null {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.pathname : null;
  } catch {
    return null;
  }
}

/**
 * Wraps the SDK's `fetch` so that, at debug level, every request body and every response
 * body is logged (the logger redacts them): each capped at {@link bodyLogLimitBytes} with
 * its original size, embeddings as the number and sizes of their inputs and vectors
 * (never the vectors), uploads and file contents as their metadata only. A streamed
 * response is not read here: its assembled text is logged when the stream ends. Reading
 * a response for the log never delays or changes what the caller receives.
 */
export function createBodyLoggingFetch(inner: typeof fetch, logger: Logger): typeof fetch {
  return async (input, init) => {
    const path = logger.isLevelEnabled?.('debug') === false ? null : pathOf(input);
    if (path === null) return inner(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    logger.debug({ method, path, requestBody: describeRequest(path, init?.body) }, 'openai request body');
    const response = await inner(input, init);
    const type = response.headers.get('content-type') ?? '';
    const fields = { method, path, status: response.status, requestId: response.headers.get('x-request-id') };
    if (type.includes('text/event-stream')) return response;
    if (isFileContent(path)) {
      logger.debug(
        { ...fields, responseBody: { contentType: type, bytes: response.headers.get('content-length') } },
        'openai response body',
      );
      return response;
    }
    // Read from a copy, beside the caller's own read; a failed read is only a missing log line.
    response
      .clone()
      .text()
      .then(
        (text) => {
          logger.debug(
            { ...fields, responseBody: isEmbeddings(path) ? describeEmbeddingsResponse(text) : capText(text) },
            'openai response body',
          );
        },
        () => undefined,
      );
    return response;
  };
}
