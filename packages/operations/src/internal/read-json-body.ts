import { createError, type IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';

// `decode` without `{ stream: true }` keeps no state from one call to the next, so one
// decoder serves every body. Like `Response.text()`, it drops a byte-order mark.
const utf8 = new TextDecoder();

function joined(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads the whole body as text; aborting `signal` cancels it (which closes its connection). */
async function readText(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<string> {
  const reader = body.getReader();
  const cancel = (): void => {
    // The read in progress then ends; a failure to cancel a body already gone changes nothing.
    reader.cancel(signal.reason).catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  // The attempt may have ended while the headers were on their way.
  if (signal.aborted) cancel();
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      chunks.push(step.value);
      size += step.value.byteLength;
    }
    const [only] = chunks;
    return utf8.decode(chunks.length === 1 && only !== undefined ? only : joined(chunks, size));
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

// Said by every error of a body: where to look first, and that the text received is kept.
const whatToDo =
  'Check that OPENAI_BASE_URL points at an OpenAI-compatible API (a proxy or gateway may have answered instead); the text received is the cause (cause.body); retrying may help';

/** What a JSON body must be: `isExpected` checks it, `describe` names it in the error. */
export interface JsonShape<T> {
  readonly describe: string;
  readonly isExpected: (value: unknown) => value is T;
}

/**
 * Reads a successful response's JSON body, and checks it with `isExpected` (the shape
 * the operation goes on to read). This replaces the SDK's parsing of the body for
 * calls that use the JSON as the server sent it: the SDK wraps every body in a
 * timer, a race and two request-id properties, and the attempt's own timeout
 * already bounds the read. Aborting `signal` (the attempt timed out, or the caller
 * aborted) cancels the body and closes its connection, as the SDK does at its timeout.
 *
 * A failed read (the connection dropped mid-body) throws what `fetch` threw, for
 * `fromSdkError`.
 *
 * Fails with: `MalformedResponseError` for an empty body, a body that is not JSON, or
 * JSON of another shape; the text received is its `cause.body` (never its message),
 * so nothing is lost. A read the signal cut short ends the same way, but the
 * transport has ended that attempt already and drops its result.
 */
export async function readJsonBody<T>(
  response: Response,
  signal: AbortSignal,
  expected: JsonShape<T>,
): Promise<Result<T, IntegrationError>> {
  const text = response.body === null ? '' : await readText(response.body, signal);
  const malformed = (problem: string, cause: unknown): Result<T, IntegrationError> =>
    err(
      createError('MalformedResponseError', {
        message: `the response body ${problem}. ${whatToDo}`,
        requestId: response.headers.get('x-request-id'),
        status: response.status,
        cause: { body: text, ...(cause === undefined ? {} : { error: cause }) },
      }),
    );
  if (text.trim() === '')
    return malformed(
      `is empty (content-type ${response.headers.get('content-type') ?? 'none'}); expected ${expected.describe}`,
      undefined,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (thrown) {
    return malformed(
      `is not JSON (content-type ${response.headers.get('content-type') ?? 'none'}, ${text.length} characters); expected ${expected.describe}`,
      thrown,
    );
  }
  if (!expected.isExpected(value)) return malformed(`is JSON but not ${expected.describe}`, undefined);
  return ok(value);
}
