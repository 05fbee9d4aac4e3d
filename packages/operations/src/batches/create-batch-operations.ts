import {
  addTokenUsage,
  createError,
  toTokenUsage,
  type IntegrationError,
  type TokenUsage,
} from '@openai-integration/core';
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type { Batch, BatchCreateParams } from 'openai/resources/batches';
import type { OperationResult } from '../call/call-meta.ts';
import type { CallOptions } from '../call/call-options.ts';
import { runCall, summarizeCalls, type CallSpec } from '../call/run-call.ts';
import { checkId } from '../internal/check-id.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { createFileOperations } from '../files/create-file-operations.ts';
import { createListWalk, type ListCallOptions, type ListWalk, type PageQuery } from '../pagination/list-walk.ts';
import {
  summarizeOutcomes,
  type BatchEndpoint,
  type BatchItemOutcome,
  type BatchOutcomeSummary,
  type BatchRequest,
  type BatchResponseBodies,
  type BatchResults,
} from './batch-request.ts';
import { parseBatchResults } from './parse-batch-results.ts';
import { toBatchJsonl } from './to-batch-jsonl.ts';

/** How to submit a batch. */
export interface BatchSubmitOptions<Endpoint extends BatchEndpoint = BatchEndpoint> extends CallOptions {
  /** The endpoint every request of the batch goes to. */
  readonly endpoint: Endpoint;
  /** How long the batch may take; the API only offers `24h` (the default). */
  readonly completionWindow?: '24h';
  /** Up to 16 key/value pairs kept with the batch. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** How to wait for a batch. */
export interface BatchWaitOptions {
  /** The first wait between two polls, in ms. Default 5000. */
  readonly pollIntervalMs?: number;
  /** Each wait is 1.5 times the one before, up to this, in ms. Default 60000. */
  readonly maxPollIntervalMs?: number;
  /**
   * Give up once this long has passed, in ms, with `TimeoutError` (kind `deadline`).
   * It is checked between polls; each poll is one call under the transport's retry
   * policy and `attemptTimeoutMs`. Default: no limit.
   */
  readonly deadlineMs?: number;
  /** Aborting it ends the wait with `AbortedError`. */
  readonly signal?: AbortSignal;
  /** Called with the batch after every poll (progress reports). */
  readonly onPoll?: (batch: Batch) => void;
  /** Time for one poll attempt, in ms. */
  readonly attemptTimeoutMs?: number;
  /** Overrides parts of the retry policy of each poll. */
  readonly retry?: CallOptions['retry'];
}

/** How `batches.run` works through the rounds. */
export interface BatchRunOptions<Endpoint extends BatchEndpoint = BatchEndpoint> extends BatchWaitOptions {
  readonly endpoint: Endpoint;
  readonly completionWindow?: '24h';
  readonly metadata?: Readonly<Record<string, string>>;
  /** Batches to submit at most: the first plus resubmissions of what failed. Default 3. */
  readonly rounds?: number;
  /**
   * Which failed requests a new round resubmits: `retryable` (default: errors whose
   * `retryable` is true, such as 429 and 5xx, and requests the batch never ran) or
   * `failed` (every failure and every request not run).
   */
  readonly resubmit?: 'retryable' | 'failed';
}

/** What `batches.run` returns. */
export interface BatchRunReport<Body = unknown> {
  /** Every request's final outcome, in input order. */
  readonly items: readonly BatchItemOutcome<Body>[];
  /** The batches submitted, one per round, as they ended. */
  readonly batches: readonly Batch[];
  readonly summary: BatchOutcomeSummary & { readonly rounds: number };
  /**
   * The error that stopped the rounds early (a submission, poll or download that failed
   * for good after an earlier round had results), or null. The requests of the stopped
   * round keep the outcome of the round before.
   */
  readonly stoppedBy: IntegrationError | null;
}

/** Filters of the batches list. */
export interface BatchesQuery extends PageQuery {
  /** Client-side: only batches in this status (or any of these). */
  readonly status?: Batch['status'] | readonly Batch['status'][];
  /** Client-side: keeps only the batches for which it returns true. */
  readonly where?: (batch: Batch) => boolean;
}

/** The Batch API: submit, wait, collect results, and run with resubmission of failures. */
export interface BatchOperations {
  /**
   * Submits requests as a batch: writes the JSONL input file, uploads it (purpose
   * `batch`) and creates the batch. If creating the batch fails, the uploaded file is
   * deleted again.
   *
   * Fails with: `ValidationError` (naming each request at fault), any HTTP variant,
   * `ConnectionError`, `TimeoutError`, `AbortedError`, `CircuitOpenError`.
   */
  submit<Endpoint extends BatchEndpoint>(
    requests: readonly BatchRequest<Endpoint>[],
    options: BatchSubmitOptions<Endpoint>,
  ): ResultAsync<OperationResult<Batch>, IntegrationError>;
  /**
   * Polls a batch until it ends (`completed`, `failed`, `expired` or `cancelled`),
   * waiting longer between polls each time (on the operations' clock).
   *
   * Fails with: `TimeoutError` (kind `deadline`), `AbortedError`, and the errors of `retrieve`.
   */
  wait(batchId: string, options?: BatchWaitOptions): ResultAsync<OperationResult<Batch>, IntegrationError>;
  /**
   * Downloads a batch's output and error files and joins them by custom id; with
   * `customIds` the outcomes follow that order and a request found in neither file is
   * `not-run`. Records the batch's usage once per batch.
   *
   * Fails with: `ValidationError` (malformed id), `MalformedResponseError` (a line that
   * is not JSON), and the errors of the downloads.
   */
  results<Body = unknown>(
    batch: Batch | string,
    options?: CallOptions & { readonly customIds?: readonly string[] },
  ): ResultAsync<OperationResult<BatchResults<Body>>, IntegrationError>;
  /**
   * Runs requests as batches to the end: submit, wait, collect the results, then
   * resubmit only the requests that failed (see `resubmit`) in a new batch, for at most
   * `rounds` batches. Every success is kept; each request's final outcome comes back
   * in input order. A batch that fails validation or is cancelled ends the rounds.
   *
   * Fails with: as `submit`, `wait` and `results`, when the first round cannot finish
   * (later rounds report their error in `stoppedBy` instead).
   *
   * @example
   * const report = await operations.batches.run(
   *   texts.map((text, index) => ({ customId: `doc-${index}`, body: { model: 'text-embedding-3-small', input: text } })),
   *   { endpoint: '/v1/embeddings' },
   * );
   * if (report.isOk()) console.log(report.value.value.summary);
   */
  run<Endpoint extends BatchEndpoint>(
    requests: readonly BatchRequest<Endpoint>[],
    options: BatchRunOptions<Endpoint>,
  ): ResultAsync<OperationResult<BatchRunReport<BatchResponseBodies[Endpoint]>>, IntegrationError>;
  /**
   * Retrieves a batch.
   *
   * Fails with: `ValidationError` (malformed id), `NotFoundError`, and the transport's errors.
   */
  retrieve(batchId: string, options?: CallOptions): ResultAsync<OperationResult<Batch>, IntegrationError>;
  /**
   * Cancels a batch (it goes `cancelling`, then `cancelled`).
   *
   * Fails with: as `retrieve`; `ConflictError` for a batch that already ended.
   */
  cancel(batchId: string, options?: CallOptions): ResultAsync<OperationResult<Batch>, IntegrationError>;
  /**
   * Walks the batches, newest first (see {@link ListWalk}).
   *
   * Fails with (as the walk's last value): the transport's errors, `MalformedResponseError` (page cap).
   */
  list(query?: BatchesQuery, options?: ListCallOptions): ListWalk<Batch>;
}

const terminal = new Set<Batch['status']>(['completed', 'failed', 'expired', 'cancelled']);

const isAborted = (signal: AbortSignal | undefined): signal is AbortSignal => signal?.aborted === true;

const aborted = (signal: AbortSignal): IntegrationError =>
  createError('AbortedError', {
    message: 'waiting for the batch was aborted by its caller',
    reason: typeof signal.reason === 'string' ? signal.reason : null,
  });

function checkWait(options: BatchWaitOptions): IntegrationError | undefined {
  const issues: { path: string; message: string; code: string }[] = [];
  for (const name of ['pollIntervalMs', 'maxPollIntervalMs', 'deadlineMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isFinite(value) && value > 0))
      issues.push({ path: name, message: 'must be a positive number of ms', code: 'too_small' });
  }
  if (issues.length === 0) return undefined;
  return createError('ValidationError', {
    message: `invalid argument ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    issues,
  });
}

/** Batches whose usage is remembered as recorded (a batch's results are read a few times at most, soon after it ends). */
const maxRecordedBatches = 10_000;

/** Builds the batch operations over an operation context. */
export function createBatchOperations(context: OperationContext): BatchOperations {
  const files = createFileOperations(context);
  const recordedUsage = new Set<string>();
  const batches = context.client.batches;
  const batchesCreate: CallSpec<BatchCreateParams, Batch> = {
    operation: 'batches.create',
    endpoint: 'batches',
    send: batches.create.bind(batches),
  };
  const batchesRetrieve: CallSpec<string, Batch> = {
    operation: 'batches.retrieve',
    endpoint: 'batches',
    send: batches.retrieve.bind(batches),
  };
  const batchesCancel: CallSpec<string, Batch> = {
    operation: 'batches.cancel',
    endpoint: 'batches',
    send: batches.cancel.bind(batches),
  };

  const byId = (
    spec: CallSpec<string, Batch>,
    batchId: string,
    options: CallOptions,
  ): ResultAsync<OperationResult<Batch>, IntegrationError> => {
    const id = checkId('batchId', batchId, 'batch_abc123');
    if (id.isErr()) return errAsync(id.error);
    return new ResultAsync(runCall(context, spec, { body: batchId, options }));
  };

  const retrieve: BatchOperations['retrieve'] = (batchId, options = {}) => byId(batchesRetrieve, batchId, options);

  const submit: BatchOperations['submit'] = (requests, options) => {
    const jsonl = toBatchJsonl(requests, options.endpoint);
    if (jsonl.isErr()) return errAsync(jsonl.error);
    const { endpoint, completionWindow, metadata, ...callOptions } = options;
    const run = async (): Promise<Result<OperationResult<Batch>, IntegrationError>> => {
      const uploaded = await files.upload(
        {
          file: new TextEncoder().encode(jsonl.value),
          purpose: 'batch',
          filename: `batch-${context.clock.now()}.jsonl`,
        },
        callOptions,
      );
      if (uploaded.isErr()) return err(uploaded.error);
      const inputFileId = uploaded.value.value.id;
      const created = await runCall(context, batchesCreate, {
        body: {
          input_file_id: inputFileId,
          endpoint,
          completion_window: completionWindow ?? '24h',
          ...(metadata === undefined ? {} : { metadata: { ...metadata } }),
        },
        options: callOptions,
      });
      if (created.isErr()) await files.delete(inputFileId, { retry: { maxRetries: 1 } });
      return created;
    };
    return new ResultAsync(run());
  };

  const wait: BatchOperations['wait'] = (batchId, options = {}) => {
    const invalid =
      checkWait(options) ??
      checkId('batchId', batchId, 'batch_abc123').match(
        () => undefined,
        (error) => error,
      );
    if (invalid !== undefined) return errAsync(invalid);
    const { signal, deadlineMs } = options;
    const startedAt = context.clock.now();
    const maxInterval = options.maxPollIntervalMs ?? 60_000;
    const run = async (): Promise<Result<OperationResult<Batch>, IntegrationError>> => {
      let interval = Math.min(options.pollIntervalMs ?? 5_000, maxInterval);
      let last: Batch | undefined;
      for (;;) {
        if (last !== undefined && deadlineMs !== undefined && context.clock.now() - startedAt >= deadlineMs) {
          return err(
            createError('TimeoutError', {
              message: `the batch ${last.id} did not end within ${deadlineMs} ms (it is ${last.status}); wait again or cancel it`,
              kind: 'deadline',
              timeoutMs: deadlineMs,
            }),
          );
        }
        const polled = await retrieve(batchId, {
          ...(signal === undefined ? {} : { signal }),
          ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
          ...(options.retry === undefined ? {} : { retry: options.retry }),
        });
        if (polled.isErr()) return err(polled.error);
        last = polled.value.value;
        options.onPoll?.(last);
        if (terminal.has(last.status)) return ok(polled.value);
        if (isAborted(signal)) return err(aborted(signal));
        const remaining =
          deadlineMs === undefined ? Number.POSITIVE_INFINITY : deadlineMs - (context.clock.now() - startedAt);
        await context.clock.sleep(Math.max(0, Math.min(interval, remaining)), signal);
        if (isAborted(signal)) return err(aborted(signal));
        interval = Math.min(interval * 1.5, maxInterval);
      }
    };
    return new ResultAsync(run());
  };

  const results = <Body = unknown>(
    batchOrId: Batch | string,
    options: CallOptions & { readonly customIds?: readonly string[] } = {},
  ): ResultAsync<OperationResult<BatchResults<Body>>, IntegrationError> => {
    const { customIds, ...callOptions } = options;
    const startedAt = context.clock.now();
    const run = async (): Promise<Result<OperationResult<BatchResults<Body>>, IntegrationError>> => {
      let batch: Batch;
      let attempts = 0;
      if (typeof batchOrId === 'string') {
        const retrieved = await retrieve(batchOrId, callOptions);
        if (retrieved.isErr()) return err(retrieved.error);
        batch = retrieved.value.value;
        attempts += retrieved.value.meta.attempts;
      } else {
        batch = batchOrId;
      }
      let requestId: string | null = null;
      const texts = { output: '', error: '' };
      for (const [name, fileId] of [
        ['output', batch.output_file_id],
        ['error', batch.error_file_id],
      ] as const) {
        if (fileId === undefined || fileId === '') continue;
        const downloaded = await files.downloadText(fileId, callOptions);
        if (downloaded.isErr()) return err(downloaded.error);
        texts[name] = downloaded.value.value;
        attempts += downloaded.value.meta.attempts;
        requestId ??= downloaded.value.meta.requestId;
      }
      const parsed = parseBatchResults(texts.output, texts.error, { knownSecrets: context.knownSecrets() });
      if (parsed.isErr()) return err(parsed.error);
      const outcomes = parsed.value;
      const notRun = `not in the output or error file (the batch is ${batch.status})`;
      const items = (customIds ?? [...outcomes.keys()]).map(
        (customId) => outcomes.get(customId) ?? { type: 'not-run' as const, customId, reason: notRun },
      ) as BatchItemOutcome<Body>[];
      const firstBody = [...outcomes.values()].find((outcome) => outcome.type === 'succeeded')?.body as
        { readonly model?: unknown } | undefined;
      const model = batch.model ?? (typeof firstBody?.model === 'string' ? firstBody.model : '');
      const usage: TokenUsage | null = batch.usage === undefined ? null : toTokenUsage(batch.usage).unwrapOr(null);
      // A batch's usage is recorded once, however often its results are read.
      const record = usage !== null && !recordedUsage.has(batch.id);
      if (record) {
        recordedUsage.add(batch.id);
        // The ids are the server's, one per batch read: the oldest are forgotten past a bound.
        if (recordedUsage.size > maxRecordedBatches) recordedUsage.delete(recordedUsage.values().next().value ?? '');
      }
      const meta = summarizeCalls(context, {
        operation: 'batches.results',
        model,
        startedAt,
        attempts,
        requestId,
        rateLimit: null,
        usage,
        record,
      });
      return ok({ value: { batch, items, summary: summarizeOutcomes(items) }, meta });
    };
    return new ResultAsync(run());
  };

  const run: BatchOperations['run'] = (requests, options) => {
    type Body = BatchResponseBodies[(typeof options)['endpoint']];
    const rounds = options.rounds ?? 3;
    if (!Number.isInteger(rounds) || rounds < 1) {
      return errAsync(
        createError('ValidationError', {
          message: 'invalid argument rounds: must be an integer of at least 1',
          issues: [{ path: 'rounds', message: 'must be an integer of at least 1', code: 'too_small' }],
        }),
      );
    }
    const checked = toBatchJsonl(requests, options.endpoint);
    if (checked.isErr()) return errAsync(checked.error);
    const invalidWait = checkWait(options);
    if (invalidWait !== undefined) return errAsync(invalidWait);
    const startedAt = context.clock.now();
    const resubmitAll = options.resubmit === 'failed';
    const { endpoint, completionWindow, metadata, signal, deadlineMs } = options;
    const work = async (): Promise<Result<OperationResult<BatchRunReport<Body>>, IntegrationError>> => {
      const outcomes = new Map<string, BatchItemOutcome<Body>>();
      const batches: Batch[] = [];
      let pending = [...requests];
      let attempts = 0;
      let usage: TokenUsage | null = null;
      let model = '';
      let stoppedBy: IntegrationError | null = null;
      for (let round = 1; round <= rounds && pending.length > 0; round++) {
        const left = deadlineMs === undefined ? undefined : deadlineMs - (context.clock.now() - startedAt);
        const callOptions = {
          ...(signal === undefined ? {} : { signal }),
          ...(options.retry === undefined ? {} : { retry: options.retry }),
        };
        const roundOutcome = await submit(pending, {
          endpoint,
          ...(completionWindow === undefined ? {} : { completionWindow }),
          ...(metadata === undefined ? {} : { metadata }),
          ...callOptions,
        })
          .andThen(({ value: submitted, meta }) => {
            attempts += meta.attempts;
            return wait(submitted.id, { ...options, ...(left === undefined ? {} : { deadlineMs: Math.max(1, left) }) });
          })
          .andThen(({ value: ended, meta }) => {
            attempts += meta.attempts;
            batches.push(ended);
            return results<Body>(ended, { ...callOptions, customIds: pending.map((request) => request.customId) });
          });
        if (roundOutcome.isErr()) {
          if (round === 1) return err(roundOutcome.error);
          stoppedBy = roundOutcome.error;
          break;
        }
        const { value: collected, meta } = roundOutcome.value;
        attempts += meta.attempts;
        model = meta.model || model;
        if (meta.usage !== null) usage = usage === null ? meta.usage : addTokenUsage(usage, meta.usage);
        for (const item of collected.items) outcomes.set(item.customId, item);
        if (collected.batch.status === 'failed' || collected.batch.status === 'cancelled') break;
        pending = collected.items.flatMap((item, position) => {
          const again = item.type === 'not-run' || (item.type === 'failed' && (resubmitAll || item.error.retryable));
          const request = pending[position];
          return again && request !== undefined ? [request] : [];
        });
      }
      const items = requests.map(
        (request) =>
          outcomes.get(request.customId) ?? {
            type: 'not-run' as const,
            customId: request.customId,
            reason: 'no batch ran it',
          },
      );
      const meta = summarizeCalls(context, {
        operation: 'batches.run',
        model,
        startedAt,
        attempts,
        requestId: null,
        rateLimit: null,
        usage,
        record: false,
      });
      return ok({
        value: { items, batches, summary: { ...summarizeOutcomes(items), rounds: batches.length }, stoppedBy },
        meta,
      });
    };
    return new ResultAsync(work());
  };

  return {
    submit,
    wait,
    results,
    run,
    retrieve,
    cancel: (batchId, options = {}) => byId(batchesCancel, batchId, options),
    list(query = {}, options = {}) {
      const { where, status, ...server } = query;
      const statuses = status === undefined ? undefined : typeof status === 'string' ? [status] : status;
      const matches =
        where === undefined && statuses === undefined
          ? undefined
          : (batch: Batch) =>
              (statuses === undefined || statuses.includes(batch.status)) && (where === undefined || where(batch));
      return createListWalk(context, {
        operation: 'batches.list',
        endpoint: 'batches',
        query: server,
        where: matches,
        options,
        fetch: (page, requestOptions) => batches.list(page, requestOptions),
      });
    },
  };
}
