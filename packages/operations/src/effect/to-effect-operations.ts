import * as Effect from 'effect/Effect';
import * as Stream from 'effect/Stream';
import type { Batch } from 'openai/resources/batches';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { FileObject } from 'openai/resources/files';
import type { ResponseItem } from 'openai/resources/responses/responses';
import type { Result } from 'neverthrow';
import type { z } from 'zod';
import type {
  BatchEndpoint,
  BatchesQuery,
  BatchRequest,
  BatchResponseBodies,
  BatchResults,
  BatchRunOptions,
  BatchRunReport,
  BatchSubmitOptions,
  BatchWaitOptions,
  CallMeta,
  CallOptions,
  ChatAnswer,
  ChatCallOptions,
  ChatRequest,
  ChatStreamOptions,
  ChatStreamResult,
  EmbeddingRequest,
  EmbeddingsAnswer,
  EmbeddingsBatch,
  EmbedManyOptions,
  ErrorOf,
  FilesQuery,
  FileUpload,
  InputItemsQuery,
  IntegrationError,
  ListCallOptions,
  ListCollectError,
  ListedModel,
  ListError,
  ListPage,
  ListSlice,
  ListWalk,
  ModelCallOptions,
  ModelFilter,
  ModelList,
  ModelListOptions,
  ModelRegistry,
  ModelRequirements,
  ModelSelection,
  ModelStream,
  ModerationAnswer,
  ModerationRequest,
  OperationResult,
  Operations,
  OperationsHealth,
  ParsedChatAnswer,
  ResponsesAnswer,
  ResponsesCreateRequest,
  ResponsesStreamResult,
  StoredCompletionsQuery,
  StreamCallOptions,
  StreamEvent,
  UsageTracker,
} from '../index.ts';
import { abortableStream, fromIterable } from './internal/abortable-stream.ts';
import { fromResult, fromResultAsync, withSignal } from './internal/from-result-async.ts';

/**
 * One event of a streamed answer as an Effect `Stream` emits it: the events of
 * {@link StreamEvent} without `error` (a failure fails the stream instead, with the
 * same error), and an `end` that also carries the call's {@link CallMeta} (request
 * id, attempts, usage and cost).
 */
export type EffectStreamEvent<Final> =
  | Exclude<StreamEvent<Final>, { readonly type: 'end' | 'error' }>
  | { readonly type: 'end'; readonly result: Final; readonly meta: CallMeta };

/**
 * A cursor list as Effect values: each stream or effect starts a new walk when it
 * runs, reads a page per request through the transport, and stops the request in
 * flight when it is interrupted.
 */
export interface EffectListWalk<T> {
  /**
   * The matching items, in list order, a page requested whenever the consumer needs more.
   *
   * Fails with: as the walk's operation; the error's `resumeCursor` continues after the last item emitted.
   */
  readonly items: Stream.Stream<T, ListError>;
  /**
   * The same walk, a page at a time (each page's items already filtered).
   *
   * Fails with: as `items`.
   */
  readonly pages: Stream.Stream<ListPage<T>, ListError>;
  /**
   * Collects the first `count` matching items and the cursor that continues after them.
   *
   * Fails with: `ValidationError` (count below 1), and any error of a page request, as a
   * {@link ListCollectError} carrying the items read before it.
   */
  take(count: number): Effect.Effect<ListSlice<T>, ListCollectError<T>>;
  /**
   * Collects every matching item (bounded by `maxPages`).
   *
   * Fails with: any error of a page request, or the page cap, as a {@link ListCollectError}.
   */
  readonly all: Effect.Effect<ListSlice<T>, ListCollectError<T>>;
}

/** Chat completions as Effects; see `ChatOperations` for what each call does. */
export interface EffectChatOperations {
  /**
   * Creates a chat completion.
   *
   * Fails with: `ValidationError`, `BudgetExceededError`, any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `RateLimitError`, `QuotaExceededError`.
   */
  create(request: ChatRequest, options?: ChatCallOptions): Effect.Effect<OperationResult<ChatAnswer>, IntegrationError>;
  /**
   * Asks for structured output matching a zod schema and parses the answer into its type.
   *
   * Fails with: as `create`, plus `ValidationError` for a refusal or a non-matching answer.
   */
  parse<Schema extends z.ZodType>(
    request: ChatRequest,
    schema: Schema,
    options?: ChatCallOptions & { readonly name?: string },
  ): Effect.Effect<OperationResult<ParsedChatAnswer<z.output<Schema>>>, IntegrationError>;
  /**
   * Streams a chat completion as typed events, ending with `end` (the whole answer and its meta).
   *
   * Fails with: as `create`, plus `StreamInterruptedError` (with the partial output).
   */
  stream(
    request: ChatRequest,
    options?: ChatStreamOptions,
  ): Stream.Stream<EffectStreamEvent<ChatStreamResult>, IntegrationError>;
}

/** The Responses API as Effects; see `ResponsesOperations` for what each call does. */
export interface EffectResponsesOperations {
  /**
   * Creates a response.
   *
   * Fails with: `ValidationError`, `BudgetExceededError`, any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `RateLimitError`, `QuotaExceededError`.
   */
  create(
    request: ResponsesCreateRequest,
    options?: CallOptions & ModelCallOptions,
  ): Effect.Effect<OperationResult<ResponsesAnswer>, IntegrationError>;
  /**
   * Streams a response as typed events, ending with `end` (the whole answer and its meta).
   *
   * Fails with: as `create`, plus `StreamInterruptedError` (with the response id and the last sequence number).
   */
  stream(
    request: ResponsesCreateRequest,
    options?: StreamCallOptions & ModelCallOptions,
  ): Stream.Stream<EffectStreamEvent<ResponsesStreamResult>, IntegrationError>;
  /**
   * Resumes the stream of a stored response after the sequence number `startingAfter`.
   *
   * Fails with: as `stream`; `NotFoundError` for an unknown id.
   */
  resume(
    responseId: string,
    startingAfter: number | null,
    options?: StreamCallOptions & { readonly model?: string },
  ): Stream.Stream<EffectStreamEvent<ResponsesStreamResult>, IntegrationError>;
  /**
   * Retrieves a stored response.
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(
    responseId: string,
    options?: CallOptions,
  ): Effect.Effect<OperationResult<ResponsesAnswer>, IntegrationError>;
  /**
   * Deletes a stored response.
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  delete(
    responseId: string,
    options?: CallOptions,
  ): Effect.Effect<OperationResult<{ readonly id: string; readonly deleted: true }>, IntegrationError>;
}

/** Models as Effects; see `ModelOperations` for what each call does. */
export interface EffectModelOperations {
  /**
   * Lists the endpoint's models, filtered and sorted on the client (cached for `maxAgeMs`).
   *
   * Fails with: `ValidationError` (bad filter), any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `MalformedResponseError`.
   */
  list(filter?: ModelFilter, options?: ModelListOptions): Effect.Effect<OperationResult<ModelList>, IntegrationError>;
  /**
   * Retrieves one model (with what the registry knows of it).
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(modelId: string, options?: CallOptions): Effect.Effect<OperationResult<ListedModel>, IntegrationError>;
  /**
   * Picks the best model of the registry for the requirements (nothing is sent).
   *
   * Fails with: `ValidationError` when no model fits (each model's reason is listed).
   */
  select(requirements?: ModelRequirements): Effect.Effect<ModelSelection, ErrorOf<'ValidationError'>>;
  /** The model registry used for selection and pre-flight checks. */
  readonly registry: ModelRegistry;
}

/** Embeddings as Effects; see `EmbeddingsOperations` for what each call does. */
export interface EffectEmbeddingsOperations {
  /**
   * Embeds one text or a list of texts in one request.
   *
   * Fails with: `ValidationError` (naming the input), `BudgetExceededError`, any HTTP
   * variant, `ConnectionError`, `TimeoutError`, `AbortedError`, `CircuitOpenError`,
   * `RateLimitError`, `QuotaExceededError`, `MalformedResponseError`.
   */
  create(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Effect.Effect<OperationResult<EmbeddingsAnswer>, IntegrationError>;
  /**
   * Embeds any number of texts in requests sent with a concurrency limit; every success
   * is kept and every input that still fails is listed by index with its error.
   *
   * Fails with (as a whole): `ValidationError` (options), `BudgetExceededError`.
   */
  createMany(
    inputs: readonly string[],
    options?: EmbedManyOptions,
  ): Effect.Effect<OperationResult<EmbeddingsBatch>, IntegrationError>;
}

/** Files as Effects; see `FileOperations` for what each call does. */
export interface EffectFileOperations {
  /**
   * Uploads a file.
   *
   * Fails with: `ValidationError` (purpose, file name, unreadable path or stream), any
   * HTTP variant, `ConnectionError`, `TimeoutError`, `AbortedError`, `CircuitOpenError`.
   */
  upload(upload: FileUpload, options?: CallOptions): Effect.Effect<OperationResult<FileObject>, IntegrationError>;
  /**
   * Walks the files, newest first unless `order` says otherwise.
   *
   * Fails with: as `upload`, plus `MalformedResponseError` (page cap).
   */
  list(query?: FilesQuery, options?: ListCallOptions): EffectListWalk<FileObject>;
  /**
   * Retrieves a file's description.
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(fileId: string, options?: CallOptions): Effect.Effect<OperationResult<FileObject>, IntegrationError>;
  /**
   * Downloads a file's content as bytes.
   *
   * Fails with: as `retrieve`.
   */
  downloadBytes(fileId: string, options?: CallOptions): Effect.Effect<OperationResult<Uint8Array>, IntegrationError>;
  /**
   * Downloads a file's content as UTF-8 text.
   *
   * Fails with: as `retrieve`.
   */
  downloadText(fileId: string, options?: CallOptions): Effect.Effect<OperationResult<string>, IntegrationError>;
  /**
   * Deletes a file.
   *
   * Fails with: as `retrieve`.
   */
  delete(
    fileId: string,
    options?: CallOptions,
  ): Effect.Effect<OperationResult<{ readonly id: string; readonly deleted: boolean }>, IntegrationError>;
}

/** Batches as Effects; see `BatchOperations` for what each call does. */
export interface EffectBatchOperations {
  /**
   * Submits requests as a batch (writes and uploads the JSONL input, then creates the batch).
   *
   * Fails with: `ValidationError` (naming each request at fault), any HTTP variant,
   * `ConnectionError`, `TimeoutError`, `AbortedError`, `CircuitOpenError`.
   */
  submit<Endpoint extends BatchEndpoint>(
    requests: readonly BatchRequest<Endpoint>[],
    options: BatchSubmitOptions<Endpoint>,
  ): Effect.Effect<OperationResult<Batch>, IntegrationError>;
  /**
   * Polls a batch until it ends, waiting longer between polls each time.
   *
   * Fails with: `TimeoutError` (kind `deadline`), `AbortedError`, and the errors of `retrieve`.
   */
  wait(batchId: string, options?: BatchWaitOptions): Effect.Effect<OperationResult<Batch>, IntegrationError>;
  /**
   * Downloads a batch's output and error files and joins them by custom id.
   *
   * Fails with: `ValidationError` (malformed id), `MalformedResponseError` (a line that is
   * not JSON), and the errors of the downloads.
   */
  results<Body = unknown>(
    batch: Batch | string,
    options?: CallOptions & { readonly customIds?: readonly string[] },
  ): Effect.Effect<OperationResult<BatchResults<Body>>, IntegrationError>;
  /**
   * Runs requests as batches to the end, resubmitting what failed, for at most `rounds` batches.
   *
   * Fails with: as `submit`, `wait` and `results`, when the first round cannot finish.
   */
  run<Endpoint extends BatchEndpoint>(
    requests: readonly BatchRequest<Endpoint>[],
    options: BatchRunOptions<Endpoint>,
  ): Effect.Effect<OperationResult<BatchRunReport<BatchResponseBodies[Endpoint]>>, IntegrationError>;
  /**
   * Retrieves a batch.
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(batchId: string, options?: CallOptions): Effect.Effect<OperationResult<Batch>, IntegrationError>;
  /**
   * Cancels a batch.
   *
   * Fails with: as `retrieve`; `ConflictError` for a batch that already ended.
   */
  cancel(batchId: string, options?: CallOptions): Effect.Effect<OperationResult<Batch>, IntegrationError>;
  /**
   * Walks the batches, newest first.
   *
   * Fails with: the transport's errors, `MalformedResponseError` (page cap).
   */
  list(query?: BatchesQuery, options?: ListCallOptions): EffectListWalk<Batch>;
}

/** Moderations as Effects; see `ModerationOperations`. */
export interface EffectModerationOperations {
  /**
   * Classifies the input and returns typed verdicts per category.
   *
   * Fails with: `ValidationError` (empty input), any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `RateLimitError`.
   */
  create(
    request: ModerationRequest,
    options?: CallOptions,
  ): Effect.Effect<OperationResult<ModerationAnswer>, IntegrationError>;
}

/** Stored chat completions and response input items as walks; see `ListOperations`. */
export interface EffectListOperations {
  /**
   * Walks the stored chat completions (those created with `store: true`).
   *
   * Fails with: any HTTP variant, `ConnectionError`, `TimeoutError`, `AbortedError`,
   * `CircuitOpenError`, `ValidationError` (bad paging), `MalformedResponseError`.
   */
  chatCompletions(query?: StoredCompletionsQuery, options?: ListCallOptions): EffectListWalk<ChatCompletion>;
  /**
   * Walks the input items of a stored response.
   *
   * Fails with: as `chatCompletions`; `ValidationError` for a malformed response id,
   * `NotFoundError` for an unknown one.
   */
  responseInputItems(
    responseId: string,
    query?: InputItemsQuery,
    options?: ListCallOptions,
  ): EffectListWalk<ResponseItem>;
}

/**
 * The operations of {@link Operations} as Effects: each call returns an `Effect` (or a
 * `Stream`) that fails with the same tagged `IntegrationError` the Result would hold,
 * so that `Effect.catchTag('RateLimitError', ...)` works on it. Nothing runs until the
 * Effect runs; interrupting its fiber aborts the request in flight.
 */
export interface EffectOperations {
  readonly chat: EffectChatOperations;
  readonly responses: EffectResponsesOperations;
  /** Listing, retrieval and selection of models, and the model registry. */
  readonly models: EffectModelOperations;
  readonly embeddings: EffectEmbeddingsOperations;
  readonly files: EffectFileOperations;
  readonly batches: EffectBatchOperations;
  readonly moderations: EffectModerationOperations;
  /** Walks over stored chat completions and response input items. */
  readonly lists: EffectListOperations;
  /** The usage tracker of the operations (tokens and cost so far, budgets). */
  readonly usage: UsageTracker;
  /** Breaker states and the latest rate-limit snapshot. */
  readonly health: Effect.Effect<OperationsHealth>;
  /** The same operations returning neverthrow Results, with the SDK client, the transport and the logger. */
  readonly plain: Operations;
}

/** A streamed answer as an Effect `Stream`, opened afresh each time the stream runs. */
function modelStream<Final>(
  open: (signal: AbortSignal) => ModelStream<Final>,
): Stream.Stream<EffectStreamEvent<Final>, IntegrationError> {
  return abortableStream((signal) => {
    const stream = open(signal);
    return Stream.mapEffect(
      fromIterable(stream),
      (event): Effect.Effect<EffectStreamEvent<Final>, IntegrationError> => {
        if (event.type === 'error') return Effect.fail(event.error);
        if (event.type !== 'end') return Effect.succeed(event);
        // The stream has settled: its result holds the same answer, with the call's meta.
        return Effect.map(
          fromResultAsync(() => stream.result),
          (answer) => ({ type: 'end', result: answer.value, meta: answer.meta }) as const,
        );
      },
    );
  });
}

/** A cursor list as Effect values; each of them starts a new walk when it runs. */
function listWalk<T>(open: (signal: AbortSignal) => ListWalk<T>): EffectListWalk<T> {
  const stream = <Item>(
    read: (walk: ListWalk<T>) => AsyncIterable<Result<Item, ListError>>,
  ): Stream.Stream<Item, ListError> =>
    abortableStream((signal) => Stream.mapEffect(fromIterable(read(open(signal))), fromResult));
  return {
    items: stream((walk) => walk),
    pages: stream((walk) => walk.pages()),
    take: (count) => fromResultAsync((signal) => open(signal).take(count)),
    all: fromResultAsync((signal) => open(signal).all()),
  };
}

/**
 * Wraps operations made by `createOperations` so that every call returns an `Effect`
 * (streams and list walks an Effect `Stream`) failing with the same tagged errors.
 * Each call runs when its Effect runs, and again each time it runs; interrupting the
 * fiber aborts the request through the call's `signal` (a `signal` given in the
 * options still works too).
 *
 * Fails with: nothing itself; each operation fails as its `Fails with:` says.
 *
 * @example
 * const operations = toEffectOperations(createOperations()._unsafeUnwrap());
 * const text = operations.chat
 *   .create({ messages: [{ role: 'user', content: 'Hello' }] })
 *   .pipe(Effect.map((answer) => answer.value.text));
 */
export function toEffectOperations(operations: Operations): EffectOperations {
  const { chat, responses, models, embeddings, files, batches, moderations, lists } = operations;
  return {
    chat: {
      create: (request, options) => fromResultAsync((signal) => chat.create(request, withSignal(options, signal))),
      parse: (request, schema, options) =>
        fromResultAsync((signal) => chat.parse(request, schema, withSignal(options, signal))),
      stream: (request, options) => modelStream((signal) => chat.stream(request, withSignal(options, signal))),
    },
    responses: {
      create: (request, options) => fromResultAsync((signal) => responses.create(request, withSignal(options, signal))),
      stream: (request, options) => modelStream((signal) => responses.stream(request, withSignal(options, signal))),
      resume: (responseId, startingAfter, options) =>
        modelStream((signal) => responses.resume(responseId, startingAfter, withSignal(options, signal))),
      retrieve: (responseId, options) =>
        fromResultAsync((signal) => responses.retrieve(responseId, withSignal(options, signal))),
      delete: (responseId, options) =>
        fromResultAsync((signal) => responses.delete(responseId, withSignal(options, signal))),
    },
    models: {
      list: (filter, options) => fromResultAsync((signal) => models.list(filter, withSignal(options, signal))),
      retrieve: (modelId, options) =>
        fromResultAsync((signal) => models.retrieve(modelId, withSignal(options, signal))),
      select: (requirements) => Effect.suspend(() => fromResult(models.select(requirements))),
      registry: models.registry,
    },
    embeddings: {
      create: (request, options) =>
        fromResultAsync((signal) => embeddings.create(request, withSignal(options, signal))),
      createMany: (inputs, options) =>
        fromResultAsync((signal) => embeddings.createMany(inputs, withSignal(options, signal))),
    },
    files: {
      upload: (upload, options) => fromResultAsync((signal) => files.upload(upload, withSignal(options, signal))),
      list: (query, options) => listWalk((signal) => files.list(query, withSignal(options, signal))),
      retrieve: (fileId, options) => fromResultAsync((signal) => files.retrieve(fileId, withSignal(options, signal))),
      downloadBytes: (fileId, options) =>
        fromResultAsync((signal) => files.downloadBytes(fileId, withSignal(options, signal))),
      downloadText: (fileId, options) =>
        fromResultAsync((signal) => files.downloadText(fileId, withSignal(options, signal))),
      delete: (fileId, options) => fromResultAsync((signal) => files.delete(fileId, withSignal(options, signal))),
    },
    batches: {
      submit: (requests, options) => fromResultAsync((signal) => batches.submit(requests, withSignal(options, signal))),
      wait: (batchId, options) => fromResultAsync((signal) => batches.wait(batchId, withSignal(options, signal))),
      results: (batch, options) => fromResultAsync((signal) => batches.results(batch, withSignal(options, signal))),
      run: (requests, options) => fromResultAsync((signal) => batches.run(requests, withSignal(options, signal))),
      retrieve: (batchId, options) =>
        fromResultAsync((signal) => batches.retrieve(batchId, withSignal(options, signal))),
      cancel: (batchId, options) => fromResultAsync((signal) => batches.cancel(batchId, withSignal(options, signal))),
      list: (query, options) => listWalk((signal) => batches.list(query, withSignal(options, signal))),
    },
    moderations: {
      create: (request, options) =>
        fromResultAsync((signal) => moderations.create(request, withSignal(options, signal))),
    },
    lists: {
      chatCompletions: (query, options) =>
        listWalk((signal) => lists.chatCompletions(query, withSignal(options, signal))),
      responseInputItems: (responseId, query, options) =>
        listWalk((signal) => lists.responseInputItems(responseId, query, withSignal(options, signal))),
    },
    usage: operations.usage,
    health: Effect.promise(() => operations.health()),
    plain: operations,
  };
}
