import {
  createError,
  toRateLimitSnapshot,
  type IntegrationError,
  type RateLimitSnapshot,
} from '@openai-integration/core';
import type { AttemptInfo, TransportOperation } from '@openai-integration/transport';
import { err, ok, type Result } from 'neverthrow';
import type OpenAI from 'openai';
import { fromSdkError } from '../errors/from-sdk-error.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import type { OpenedStream } from '../streaming/event-stream.ts';

/**
 * The options an SDK request is sent with: the attempt's signal when something can
 * abort it early, and the attempt timeout for the SDK to enforce on the request itself.
 */
export interface SdkRequestOptions {
  readonly signal?: AbortSignal;
  readonly timeout?: number;
}

/** A request the SDK can send (the SDK's `APIPromise`), with access to the raw response. */
export interface SdkRequest<T> {
  withResponse(): Promise<{ readonly data: T; readonly response: Response; readonly request_id: string | null }>;
  /** The response once its status is checked, its body unread (present on every SDK request). */
  asResponse?(): Promise<Response>;
}

/** What a JSON body must be: `isExpected` checks it, `describe` names it in the error. */
export interface JsonShape<T> {
  readonly describe: string;
  readonly isExpected: (value: unknown) => value is T;
}

/** How one attempt goes on the wire: the SDK request, and who reads its body. */
export interface WireRequest<Body, Data> {
  readonly body: Body;
  readonly send: (body: Body, requestOptions: SdkRequestOptions) => SdkRequest<Data>;
  /**
   * When given, the body is read and checked here (see {@link readJsonBody}) instead
   * of by the SDK, which parses every body behind a timer of its own, a race and two
   * request-id properties; the attempt timeout already bounds the read.
   */
  readonly expected?: JsonShape<Data> | undefined;
}

/** What one successful attempt returned: the data with its request id and rate-limit snapshot. */
export interface SentCall<T> {
  readonly data: T;
  readonly requestId: string | null;
  readonly rateLimit: RateLimitSnapshot | null;
  readonly attempts: number;
}

// setTimeout takes at most a 32-bit delay; a longer one would fire at once.
const maxTimerMs = 2_147_483_647;

/**
 * The options of one attempt's SDK request. The SDK links a caller's signal into its
 * own controller on every request (a composite signal and weak listeners, about a
 * tenth of the SDK's own CPU time per call), so the attempt's signal goes along only
 * when the call can be aborted before its attempt timeout (a caller signal or a
 * deadline). The timeout goes along when it is not the client's own: either way the
 * SDK cancels a request that outlives it, as the transport ends the attempt.
 */
export function sdkRequestOptions(client: OpenAI, signal: AbortSignal, info: AttemptInfo): SdkRequestOptions {
  // The client's own timeout needs no per-request option (which would also add a header).
  const timeout =
    info.timeoutMs !== client.timeout && Number.isFinite(info.timeoutMs) && info.timeoutMs <= maxTimerMs
      ? info.timeoutMs
      : undefined;
  if (info.cancellable) return timeout === undefined ? { signal } : { signal, timeout };
  return timeout === undefined ? {} : { timeout };
}

/**
 * The tokens a response's body says the call used (`usage.total_tokens` of a chat
 * completion, a response or an embedding list), or null when it has none.
 */
function totalTokensOf(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const usage = (data as { readonly usage?: unknown }).usage;
  if (typeof usage !== 'object' || usage === null) return null;
  const total = (usage as { readonly total_tokens?: unknown }).total_tokens;
  return typeof total === 'number' && total >= 0 ? total : null;
}

/** What the transport reads from every sent call for pacing: its snapshot and the tokens its response says it used (one object for every call). */
export const sentCallReaders = {
  rateLimitOf: (sent: SentCall<unknown>): RateLimitSnapshot | null => sent.rateLimit,
  usageOf: (sent: SentCall<unknown>): number | null => totalTokensOf(sent.data),
};

/** The rate-limit snapshot of a response, remembered for health reports (the transport feeds it to pacing). */
function rateLimitOf(context: OperationContext, headers: Headers): RateLimitSnapshot | null {
  const snapshot = toRateLimitSnapshot(headers, context.clock.now()) ?? null;
  if (snapshot !== null) context.observeRateLimit(snapshot);
  return snapshot;
}

/** What an attempt threw, as the error union; its rate-limit snapshot is remembered (the transport records it for pacing). */
function thrownError(context: OperationContext, thrown: unknown, signal: AbortSignal): IntegrationError {
  const error = fromSdkError(thrown, { knownSecrets: context.knownSecrets(), now: context.clock.now(), signal });
  if ('rateLimit' in error && error.rateLimit !== null) context.observeRateLimit(error.rateLimit);
  return error;
}

/**
 * The operation the transport runs for each attempt of a call: sends the request with
 * the SDK, reads the body (itself when `expected` is given, else through the SDK),
 * and keeps the request id and the rate-limit snapshot of the response. Whatever the
 * SDK throws becomes a value of the error union; the operation never rejects.
 */
export function callAttempt<Body, Data>(
  context: OperationContext,
  request: WireRequest<Body, Data>,
): TransportOperation<SentCall<Data>> {
  const { client } = context;
  const { send, expected } = request;
  const body = context.deployed === undefined ? request.body : context.deployed(request.body);
  return async (signal, attempt, info): Promise<Result<SentCall<Data>, IntegrationError>> => {
    try {
      const sdkRequest = send(body, sdkRequestOptions(client, signal, info));
      if (expected !== undefined && sdkRequest.asResponse !== undefined) {
        const response = await sdkRequest.asResponse();
        const read = await readJsonBody(response, signal, expected);
        if (read.isErr()) return err(read.error);
        return ok({
          data: read.value,
          requestId: response.headers.get('x-request-id'),
          rateLimit: rateLimitOf(context, response.headers),
          attempts: attempt,
        });
      }
      const { data, response, request_id: requestId } = await sdkRequest.withResponse();
      return ok({ data, requestId, rateLimit: rateLimitOf(context, response.headers), attempts: attempt });
    } catch (thrown) {
      return err(thrownError(context, thrown, signal));
    }
  };
}

/** A stream the SDK opened, as `withResponse()` returns it. */
interface SdkStream<Chunk> extends AsyncIterable<Chunk> {
  readonly controller: AbortController;
}

/** Opens a stream with the SDK: an SDK method such as `client.chat.completions.create`. */
export type StreamSend<Body, Chunk> = (
  body: Body,
  requestOptions: SdkRequestOptions,
) => {
  withResponse(): Promise<{
    readonly data: SdkStream<Chunk>;
    readonly response: Response;
    readonly request_id: string | null;
  }>;
  /** The response as it came, its body unread (used when `readBody` reads it). */
  asResponse(): Promise<Response>;
};

/** How one stream attempt goes on the wire. */
export interface WireStream<Body, Chunk> {
  readonly body: Body;
  readonly send: StreamSend<Body, Chunk>;
  /**
   * Reads the chunks from the response body itself instead of through the SDK's
   * stream, which is then never made; cancelling the body stops the request.
   */
  readonly readBody?: ((response: Response) => AsyncIterator<Chunk>) | undefined;
}

/** An opened stream with the rate-limit snapshot of its response. */
export interface OpenedModelStream<Chunk> extends OpenedStream<Chunk> {
  readonly rateLimit: RateLimitSnapshot | null;
}

/**
 * Opens a stream for one attempt: sends the request with the SDK and returns its
 * chunks (read from the body by `readBody` when given), how to stop it, its request id
 * and the rate-limit snapshot of its headers. Never rejects.
 */
export function streamAttempt<Body, Chunk>(
  context: OperationContext,
  request: WireStream<Body, Chunk>,
): (signal: AbortSignal, info: AttemptInfo) => Promise<Result<OpenedModelStream<Chunk>, IntegrationError>> {
  const { client } = context;
  const { send, readBody } = request;
  const body = context.deployed === undefined ? request.body : context.deployed(request.body);
  return async (signal, info) => {
    try {
      // Without a caller signal or deadline the SDK gets no signal: it would check a
      // composite signal on every event. The stream is stopped through its own controller,
      // or by cancelling the body that `readBody` reads.
      const sdkRequest = send(body, sdkRequestOptions(client, signal, info));
      const opened =
        readBody === undefined ? await sdkOpened(sdkRequest) : ownOpened(await sdkRequest.asResponse(), readBody);
      if (signal.aborted) {
        // The attempt ended (its timeout) while the request was opening; nobody will read it.
        opened.abort();
        return err(
          createError('AbortedError', { message: 'the attempt ended before the stream opened', reason: null }),
        );
      }
      return ok({
        chunks: opened.chunks,
        abort: opened.abort,
        requestId: opened.requestId,
        rateLimit: rateLimitOf(context, opened.headers),
      });
    } catch (thrown) {
      return err(thrownError(context, thrown, signal));
    }
  };
}

/** A stream opened, before its rate-limit snapshot is read. */
interface Opening<Chunk> extends OpenedStream<Chunk> {
  readonly headers: Headers;
}

/** A stream the SDK reads: its chunks, and its controller to stop it. */
async function sdkOpened<Body, Chunk>(sdkRequest: ReturnType<StreamSend<Body, Chunk>>): Promise<Opening<Chunk>> {
  const { data, response, request_id: requestId } = await sdkRequest.withResponse();
  return {
    chunks: data[Symbol.asyncIterator](),
    abort: () => {
      data.controller.abort();
    },
    requestId,
    headers: response.headers,
  };
}

/** A stream read from its body here: cancelling what reads the body stops the request. */
function ownOpened<Chunk>(response: Response, readBody: (response: Response) => AsyncIterator<Chunk>): Opening<Chunk> {
  const chunks = readBody(response);
  return {
    chunks,
    abort: () => {
      // A failure to cancel a body already gone changes nothing.
      void chunks.return?.().catch(() => undefined);
    },
    requestId: response.headers.get('x-request-id'),
    headers: response.headers,
  };
}

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

/**
 * Reads a successful response's JSON body, and checks it with `isExpected` (the shape
 * the operation goes on to read). This replaces the SDK's parsing of the body for
 * calls that use the JSON as the server sent it. Aborting `signal` (the attempt timed
 * out, or the caller aborted) cancels the body and closes its connection, as the SDK
 * does at its timeout.
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
