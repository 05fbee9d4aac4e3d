import {
  createError,
  parseInput,
  toTokenUsage,
  withErrorFields,
  type IntegrationError,
  type RateLimitSnapshot,
  type TokenUsage,
} from '@openai-integration/core';
import type { ExecuteOptions, TransportOperation } from '@openai-integration/transport';
import { err, errAsync, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { capText } from '../internal/body-logging-fetch.ts';
import { checkRequestObject } from '../internal/check-request-object.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { fromSdkError } from '../errors/from-sdk-error.ts';
import { checkModelId, quoteModelId } from '../models/check-model-id.ts';
import { createEventStream, type StreamOutcome } from '../streaming/event-stream.ts';
import type { StreamAccumulator } from '../streaming/stream-event.ts';
import { bestLoadedCounter, loadTokenCounter, roughTokenCounter, type TokenCounter } from '../usage/estimate-tokens.ts';
import type { CallTelemetry } from '../telemetry/create-operations-telemetry.ts';
import type { CallMeta, OperationResult, SkippedModel } from './call-meta.ts';
import type { CallOptions, ModelCallOptions, StreamCallOptions } from './call-options.ts';
import type { ModelStream } from './model-stream.ts';
import {
  callAttempt,
  sentCallReaders,
  streamAttempt,
  type JsonShape,
  type OpenedModelStream,
  type SdkRequest,
  type SdkRequestOptions,
  type SentCall,
  type StreamSend,
} from './send-attempt.ts';
import { shouldFallBack } from './should-fall-back.ts';

/*
 * The call pipeline. Every call of every operation runs here, in this order:
 *
 *   1. the call starts (`runCall`, `runStream`): its start time is taken;
 *   2. a model call is prepared (`prepareModelCall`): the request is checked, the
 *      default model filled in, the prompt counted, the budgets checked and the
 *      fallback chain worked out; a call without a model (files, batches, lists) has a
 *      chain of one and nothing to prepare;
 *   3. each model of the chain is tried in turn through the transport (retry, breaker,
 *      pacing, timeouts); each attempt is `callAttempt` or `streamAttempt` of
 *      `send-attempt.ts`, the only place that talks to the SDK;
 *   4. the call ends (`reportCall`): its usage is recorded, its log line written and
 *      its `CallMeta` built, whether it succeeded or failed.
 */

/** How an endpoint's requests are read: the same for every call of it. */
export interface RequestShape<Request> {
  readonly schema: z.ZodType;
  /** The prompt's input tokens by `counter`: its messages (with their framing) and what else is sent as text (tools, instructions). */
  readonly countPrompt: (counter: TokenCounter, request: Request) => number;
  readonly maxOutputOf: (request: Request) => number | null | undefined;
  /** A quick test that is true only for requests the schema certainly accepts (the schema runs otherwise). */
  readonly certainlyValid?: (request: unknown) => boolean;
}

/** The request a model call sends: the caller's, with the model of the chain being tried. */
type SentRequest<Request, Streamed extends boolean> = Request & {
  readonly model: string;
  readonly stream: Streamed;
};

/** What every call of one operation shares, declared once by the operation. */
export interface CallSpec<Body, Data, Value = Data> {
  /** e.g. `chat.create`; names the log line and the usage entry. */
  readonly operation: string;
  /** The transport key's first part (`chat`, `files`): breakers and pacing are per endpoint and model. */
  readonly endpoint: string;
  /** Sends one attempt's request: an SDK method, e.g. `client.files.retrieve`. */
  readonly send: (body: Body, requestOptions: SdkRequestOptions) => SdkRequest<Data>;
  /** When given, the response body is read and checked here, against this shape, rather than by the SDK. */
  readonly expected?: JsonShape<Data>;
  /** For model endpoints: the response's `usage` is recorded and its `model` reported. */
  readonly metered?: boolean;
  /** Turns the response into the operation's value, or a `MalformedResponseError` (the call then counts as failed). */
  readonly toValue?: (data: Data) => Result<Value, IntegrationError>;
}

/** A model call's declaration: its request is validated, counted, budgeted and sent down the fallback chain. */
export interface ModelCallSpec<Request, Data> extends CallSpec<SentRequest<Request, false>, Data> {
  readonly shape: RequestShape<Request>;
}

/** A model call: the caller's request (its `model` optional) and options. */
export interface ModelCallInput<Request> {
  readonly request: Request;
  readonly options: CallOptions & ModelCallOptions;
}

/** A call without a request shape: the body as sent, and the model when the endpoint has one. */
export interface PlainCallInput<Body> {
  readonly body: Body;
  readonly options: CallOptions;
  /** The model (embeddings, moderations): the transport key and the usage entry name it. Default: none. */
  readonly model?: string;
  /** Tokens the call is expected to use, for pacing. Default 0. */
  readonly estimate?: number;
}

/** A call planned: the chain to try and what to send to each model of it. */
interface CallPlan<Body> {
  /** The model asked for (`''` for an endpoint without models). */
  readonly model: string;
  readonly chain: readonly string[];
  /** Prompt tokens, estimated before sending. */
  readonly inputTokens: number;
  /** Tokens the call may use (prompt and output limit), for pacing. */
  readonly estimate: number;
  /** Why a model of the chain cannot take the call, without asking the server (undefined: it can). */
  readonly preflight: ((model: string) => string | undefined) | undefined;
  readonly bodyFor: (model: string) => Body;
  /** The tokenizer if loaded (else the rough count), to estimate what a broken stream produced. */
  readonly countTokens: TokenCounter;
}

type Planned<Body> = Result<CallPlan<Body>, IntegrationError>;

const keys = new Map<string, Map<string, string>>();

/**
 * The transport key of a call: breakers and pacing are per endpoint and model (`any`
 * for endpoints without one). Keys are remembered, so that the breaker and pacing
 * maps look up the same flat string on every call instead of hashing a new one.
 */
export function transportKey(endpoint: string, model: string): string {
  let byModel = keys.get(endpoint);
  if (byModel === undefined) {
    byModel = new Map();
    keys.set(endpoint, byModel);
  }
  let key = byModel.get(model);
  if (key === undefined) {
    key = `${endpoint}:${model === '' ? 'any' : model}`;
    // Model names come from callers; a bounded cache cannot grow without end.
    if (byModel.size < 1_000) byModel.set(model, key);
  }
  return key;
}

/** The transport's options for one call (the common call, with no optional setting, needs no object spreads). */
function executeOptions<T>(
  key: string,
  estimate: number,
  options: CallOptions,
  readers: Required<Pick<ExecuteOptions<T>, 'rateLimitOf' | 'usageOf'>>,
): ExecuteOptions<T> {
  if (
    options.signal === undefined &&
    options.deadlineMs === undefined &&
    options.attemptTimeoutMs === undefined &&
    options.retry === undefined
  )
    return { key, estimate, rateLimitOf: readers.rateLimitOf, usageOf: readers.usageOf };
  return {
    key,
    estimate,
    rateLimitOf: readers.rateLimitOf,
    usageOf: readers.usageOf,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs: options.attemptTimeoutMs }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  };
}

/**
 * Runs one call: prepares it (a model call: validation, default model, token estimate,
 * budgets, fallback chain), tries each model of the chain through the transport, and
 * reports it once (usage, one log line, `CallMeta`). A call without a request shape
 * (files, batches, lists, embeddings) is the same with a chain of one. Never rejects.
 *
 * A model of the chain that fails the pre-flight check (the prompt does not fit its
 * context window, the endpoint does not serve it) is skipped without a request; one
 * whose call fails with an error for which {@link shouldFallBack} holds hands over to
 * the next. Any other error, or the last model's error, ends the call.
 *
 * Fails with: `ValidationError`, `BudgetExceededError` (before sending), and any error
 * of the transport or the attempt.
 */
export function runCall<Request extends { readonly model?: string | undefined }, Data>(
  context: OperationContext,
  spec: ModelCallSpec<Request, Data>,
  input: ModelCallInput<Request>,
): Promise<Result<OperationResult<Data>, IntegrationError>>;
export function runCall<Body, Data, Value>(
  context: OperationContext,
  spec: CallSpec<Body, Data, Value>,
  input: PlainCallInput<Body>,
): Promise<Result<OperationResult<Value>, IntegrationError>>;
export function runCall<Body, Data, Value>(
  context: OperationContext,
  spec: CallSpec<Body, Data, Value> & { readonly shape?: RequestShape<{ readonly model?: string | undefined }> },
  input: ModelCallInput<{ readonly model?: string | undefined }> | PlainCallInput<Body>,
): Promise<Result<OperationResult<Value>, IntegrationError>> {
  // 1. The call starts, and its span (a no-op without an OpenTelemetry SDK).
  const startedAt = context.clock.now();
  const telemetry = context.telemetry.startCall(
    spec.operation,
    'request' in input ? requestedModel(input, context.defaultModel) : (input.model ?? ''),
    'request' in input ? input.request : undefined,
    startedAt,
  );
  // 2. It is prepared.
  const planned =
    spec.shape === undefined
      ? plainPlan(input as PlainCallInput<Body>)
      : (prepareModelCall(context, spec.shape, input as ModelCallInput<{ readonly model?: string }>, false) as
          Planned<Body> | Promise<Planned<Body>>);
  // A prepared call goes on at once; only a tokenizer that has to load first makes it wait.
  return planned instanceof Promise
    ? planned.then((plan) => sendAndReport(context, spec, plan, input, { startedAt, telemetry }))
    : sendAndReport(context, spec, planned, input, { startedAt, telemetry });
}

/** The plan of a call without a request shape: its one model (or none), sent as it is. */
function plainPlan<Body>(input: PlainCallInput<Body>): Planned<Body> {
  const model = input.model ?? '';
  const estimate = input.estimate ?? 0;
  return ok({
    model,
    chain: [model],
    inputTokens: estimate,
    estimate,
    preflight: undefined,
    bodyFor: () => input.body,
    countTokens: roughTokenCounter,
  });
}

/** Steps 3 and 4 of a call: the chain through the transport, then the report. */
async function sendAndReport<Body, Data, Value>(
  context: OperationContext,
  spec: CallSpec<Body, Data, Value>,
  planned: Planned<Body>,
  input: { readonly options: CallOptions },
  started: { readonly startedAt: number; readonly telemetry: CallTelemetry },
): Promise<Result<OperationResult<Value>, IntegrationError>> {
  const { operation } = spec;
  const { startedAt, telemetry } = started;
  if (planned.isErr()) {
    // Refused before sending (invalid input, budget): still one log line for the call.
    const requested = requestedModel(input, context.defaultModel);
    return failed(
      context,
      { operation, model: requested, startedAt, attempts: 0, skipped: noneSkipped, telemetry },
      planned.error,
    );
  }
  const plan = planned.value;
  // 3. Each model of the chain in turn, through the transport.
  const skipped: SkippedModel[] = [];
  let attempts = 0;
  let model = plan.model;
  let sent: Result<SentCall<Data>, IntegrationError> | undefined;
  for (let index = 0; index < plan.chain.length; index += 1) {
    model = plan.chain[index] ?? model;
    const unfit = plan.preflight?.(model);
    if (unfit !== undefined) {
      skipped.push({ model, reason: unfit, errorTag: null });
      continue;
    }
    const attempt = callAttempt(context, { body: plan.bodyFor(model), send: spec.send, expected: spec.expected });
    sent = await telemetry.run(
      context.transport,
      attempt,
      executeOptions(transportKey(spec.endpoint, model), plan.estimate, input.options, sentCallReaders),
    );
    if (sent.isOk() || index + 1 >= plan.chain.length || !shouldFallBack(sent.error)) break;
    attempts = sent.error.attempts ?? attempts;
    skipped.push({ model, reason: sent.error.message, errorTag: sent.error._tag });
    sent = undefined;
  }
  const passedOver = skipped.length === 0 ? noneSkipped : skipped;
  const base = { operation, model: plan.model, startedAt, attempts, skipped: passedOver, telemetry };
  if (sent === undefined) return failed(context, base, noModelFits(skipped));
  if (sent.isErr()) return failed(context, base, sent.error);
  const { data, requestId, rateLimit } = sent.value;
  const converted: Result<Value, IntegrationError> =
    spec.toValue === undefined ? ok(data as unknown as Value) : spec.toValue(data);
  if (converted.isErr()) {
    const error = withErrorFields(converted.error, { attempts: sent.value.attempts });
    return failed(context, { ...base, attempts: sent.value.attempts, requestId, rateLimit }, error);
  }
  // 4. The call ends.
  const metered = spec.metered === true || 'request' in input;
  const meta = reportCall(context, {
    operation,
    model: metered ? servedModel(data, model) : model,
    startedAt,
    attempts: sent.value.attempts,
    requestId,
    rateLimit,
    skipped: passedOver,
    usage: metered ? usageOf(data) : null,
    usageEstimated: false,
    error: undefined,
    value: converted.value,
    telemetry,
  });
  return ok({ value: converted.value, meta });
}

/** Reports a call that failed (or was refused before sending) and returns its error. */
function failed(
  context: OperationContext,
  call: {
    readonly operation: string;
    readonly model: string;
    readonly startedAt: number;
    readonly attempts: number;
    readonly skipped: readonly SkippedModel[];
    readonly requestId?: string | null;
    readonly rateLimit?: RateLimitSnapshot | null;
    readonly telemetry: CallTelemetry;
  },
  error: IntegrationError,
): Result<never, IntegrationError> {
  reportCall(context, {
    operation: call.operation,
    model: call.model,
    startedAt: call.startedAt,
    attempts: error.attempts ?? call.attempts,
    requestId: call.requestId ?? ('requestId' in error ? error.requestId : null),
    rateLimit: call.rateLimit ?? null,
    skipped: call.skipped,
    usage: null,
    usageEstimated: false,
    error,
    telemetry: call.telemetry,
  });
  return err(error);
}

/** The error of a chain none of whose models could take the call. */
function noModelFits(skipped: readonly SkippedModel[]): IntegrationError {
  const reasons = skipped.map((entry) => `${entry.model}: ${entry.reason}`).join('; ');
  return createError('ValidationError', {
    message: `no model of the chain could take the call (${reasons}); choose a model that fits, or shorten the prompt`,
    issues: skipped.map((entry) => ({ path: entry.model, message: entry.reason, code: 'model_skipped' })),
  });
}

/** The model a response names (as the server served it), or the one asked for. */
function servedModel(data: unknown, model: string): string {
  const named = typeof data === 'object' && data !== null ? (data as { readonly model?: unknown }).model : undefined;
  return typeof named === 'string' && named !== '' ? named : model;
}

/** The usage a response reports (`usage` of a completion, a response or an embedding list), or null. */
function usageOf(data: unknown): TokenUsage | null {
  const usage = typeof data === 'object' && data !== null ? (data as { readonly usage?: unknown }).usage : undefined;
  return usage === undefined || usage === null ? null : toTokenUsage(usage).unwrapOr(null);
}

/**
 * The model a call names, for a report made before its plan: a model id that could
 * exist as it is, else a short quote of it (the text is the caller's and unbounded).
 * A model call without one (or whose request is not an object at all) names
 * `defaultModel`; a call of an endpoint without models names none.
 */
function requestedModel(input: object, defaultModel: string): string {
  let model: unknown;
  if ('request' in input) {
    const { request } = input as { readonly request: unknown };
    model =
      typeof request === 'object' && request !== null ? (request as { readonly model?: unknown }).model : undefined;
    model ??= defaultModel;
  } else {
    model = (input as { readonly model?: unknown }).model ?? '';
  }
  if (typeof model !== 'string') return defaultModel;
  return model === '' || checkModelId(model).isOk() ? model : quoteModelId(model);
}

/**
 * Step 2 of a model call: validates the request with its schema (before any network
 * call), fills in the default model, checks the model ids of the chain, estimates the
 * input tokens, checks the budgets, and works out the fallback chain and its pre-flight
 * check. Returns at once, or a promise when the tokenizer has to load first (only a
 * budget, or a prompt near a context window, needs it).
 *
 * Fails with: `ValidationError`, `BudgetExceededError`.
 */
function prepareModelCall<Request extends { readonly model?: string | undefined }>(
  context: OperationContext,
  shape: RequestShape<Request>,
  input: ModelCallInput<Request>,
  streamed: boolean,
  extra?: Readonly<Record<string, unknown>>,
): Planned<SentRequest<Request, boolean>> | Promise<Planned<SentRequest<Request, boolean>>> {
  const { options } = input;
  const isObject = checkRequestObject(input.request, 'model and messages (or input)');
  if (isObject.isErr()) return err(isObject.error);
  const model = input.request.model ?? context.defaultModel;
  // A model id becomes the key of breakers, pacing and usage: only ids that could exist get that far.
  const checked = checkModelId(model);
  if (checked.isErr()) return err(checked.error);
  const fallback = options.fallback ?? context.fallbacks[model] ?? [];
  for (const [index, candidate] of fallback.entries()) {
    const checkedFallback = checkModelId(candidate, `fallback[${index}]`);
    if (checkedFallback.isErr()) return err(checkedFallback.error);
  }
  // The caller's object is never changed; it is copied only to fill in the default model.
  const request: Request = typeof input.request.model === 'string' ? input.request : { ...input.request, model };
  if (shape.certainlyValid?.(request) !== true) {
    const valid = parseInput(shape.schema, request);
    if (valid.isErr()) return err(valid.error);
  }
  const maxOutputTokens = shape.maxOutputOf(request) ?? undefined;
  const chain = fallback.length === 0 ? [model] : [...new Set([model, ...fallback])];
  const plan = (countTokens: TokenCounter, inputTokens: number): Planned<SentRequest<Request, boolean>> => {
    const budget = context.usage.checkBudget({
      model,
      estimatedInputTokens: inputTokens,
      maxOutputTokens,
      callBudget: options.budget,
    });
    if (budget.isErr()) return err(budget.error);
    const needed = inputTokens + (maxOutputTokens ?? 0);
    return ok({
      model,
      chain,
      inputTokens,
      estimate: needed,
      preflight: (candidate) => {
        const known = context.models.get(candidate);
        if (known === undefined) return undefined;
        if (known.available === false) return 'not available at this endpoint';
        return needed > known.contextWindow
          ? `about ${needed} tokens (prompt and output) do not fit its context window of ${known.contextWindow}`
          : undefined;
      },
      bodyFor: (candidate) => ({ ...request, model: candidate, stream: streamed, ...extra }),
      countTokens,
    });
  };
  // Pacing needs only the rough count OpenAI's own limiter uses; budgets and prompts
  // near a context window get the real tokenizer, loaded on first need.
  const rough = shape.countPrompt(roughTokenCounter, request);
  const nearWindow = (candidate: string): boolean => {
    const window = context.models.get(candidate)?.contextWindow;
    return window !== undefined && (rough + (maxOutputTokens ?? 0)) * 2 > window;
  };
  const exact = options.budget !== undefined || context.usage.hasBudget() || chain.some(nearWindow);
  if (!exact) return plan(bestLoadedCounter(), rough);
  return loadTokenCounter().then((counter) => plan(counter, shape.countPrompt(counter, request)));
}

/** No model passed over (shared: the list is frozen). */
const noneSkipped: readonly SkippedModel[] = Object.freeze([]);

/** What is known of a finished call: the one shape every call is reported in. */
export interface CallReport {
  readonly operation: string;
  /** The model that answered (as the server named it), or the one asked for. */
  readonly model: string;
  readonly startedAt: number;
  readonly attempts: number;
  readonly requestId: string | null;
  readonly rateLimit: RateLimitSnapshot | null;
  readonly skipped: readonly SkippedModel[];
  readonly usage: TokenUsage | null;
  /** True when `usage` was estimated (a broken stream, or a stream without a usage chunk) rather than reported by the server. */
  readonly usageEstimated: boolean;
  /** Why the call failed; undefined when it succeeded. */
  readonly error: IntegrationError | undefined;
  /** What the call answered (for the span's response attributes); absent when it failed. */
  readonly value?: unknown;
  /** The call's telemetry, started with the call; absent for a call reported without one (its span is made now). */
  readonly telemetry?: CallTelemetry;
}

/**
 * Step 4, the end of a call: records its usage, writes its one structured log line
 * (operation, model, status, attempts, latency, tokens, request id; never prompt or
 * completion text) and returns its {@link CallMeta}.
 */
function reportCall(context: OperationContext, call: CallReport): CallMeta {
  const latencyMs = context.clock.now() - call.startedAt;
  const costUsd =
    call.usage === null
      ? null
      : context.usage.record(
          call.usageEstimated
            ? { model: call.model, operation: call.operation, usage: call.usage, estimated: true }
            : { model: call.model, operation: call.operation, usage: call.usage },
        );
  const { error } = call;
  const meta = callMeta(call, latencyMs, costUsd);
  context.telemetry.finish(call, meta);
  if (error === undefined) {
    // The fields are only built when the line is written (info is below the default level).
    if (context.logger.isLevelEnabled?.('info') !== false)
      context.logger.info({ ...logFields(call, latencyMs), status: 'ok' }, 'openai call');
  } else {
    // A call refused at once by an open circuit is expected while it is open (the
    // opening itself is logged at warn); a warn line per refusal would flood the log.
    const level = error._tag === 'CircuitOpenError' ? 'debug' : 'warn';
    if (context.logger.isLevelEnabled?.(level) !== false) {
      context.logger[level](
        {
          ...logFields(call, latencyMs),
          status: 'error',
          errorTag: error._tag,
          httpStatus: 'status' in error ? error.status : null,
          retryable: error.retryable,
        },
        `openai call failed: ${error.message}`,
      );
    }
  }
  return meta;
}

/**
 * The meta of a call made of calls that were each reported already (the requests of
 * `embeddings.createMany`, the rounds of `batches.run`): their usage summed and
 * priced, no log line. `record` adds the usage to the tracker when none of the parts
 * did (a batch's results).
 */
export function summarizeCalls(
  context: OperationContext,
  call: Omit<CallReport, 'error' | 'skipped' | 'usageEstimated'> & { readonly record: boolean },
): CallMeta {
  const report: CallReport = { ...call, skipped: noneSkipped, usageEstimated: false, error: undefined };
  const { usage } = call;
  const costUsd =
    usage === null
      ? null
      : call.record
        ? context.usage.record({ model: call.model, operation: call.operation, usage })
        : context.usage.costOf(call.model, usage);
  return callMeta(report, context.clock.now() - call.startedAt, costUsd);
}

/** The one place a {@link CallMeta} is made. */
function callMeta(call: CallReport, latencyMs: number, costUsd: number | null): CallMeta {
  return {
    operation: call.operation,
    model: call.model,
    requestId: call.requestId,
    attempts: call.attempts,
    latencyMs,
    rateLimit: call.rateLimit,
    skippedModels: call.skipped,
    usage: call.usage,
    usageEstimated: call.usage !== null && call.usageEstimated,
    costUsd,
  };
}

/** The fields of a call's log line; never prompt or completion text. */
function logFields(call: CallReport, latencyMs: number): Record<string, unknown> {
  return {
    operation: call.operation,
    model: call.model,
    attempts: call.attempts,
    latencyMs,
    requestId: call.requestId,
    inputTokens: call.usage?.inputTokens ?? null,
    outputTokens: call.usage?.outputTokens ?? null,
    usageEstimated: call.usageEstimated,
    ...(call.skipped.length > 0 ? { skippedModels: call.skipped.map((entry) => entry.model) } : {}),
  };
}

/** What every stream of one operation shares, declared once by the operation. */
export interface StreamSpec<Body, Chunk, Final> {
  /** e.g. `chat.stream`; names the log line and the usage entry. */
  readonly operation: string;
  /** The transport key's first part (`chat`, `responses`). */
  readonly endpoint: string;
  /** Opens the stream for one attempt: an SDK method, e.g. `client.chat.completions.create`. */
  readonly send: StreamSend<Body, Chunk>;
  /**
   * Reads the chunks from the response body itself instead of through the SDK's
   * stream, which is then never made; cancelling the body stops the request.
   */
  readonly readBody?: (response: Response) => AsyncIterator<Chunk>;
  /** Folds the chunks into events and the whole answer. */
  readonly accumulator: () => StreamAccumulator<Chunk, Final>;
}

/** A model stream's declaration: its request is validated, counted, budgeted and sent down the fallback chain. */
export interface ModelStreamSpec<Request, Chunk, Final> extends StreamSpec<SentRequest<Request, true>, Chunk, Final> {
  readonly shape: RequestShape<Request>;
  /** Fields every request of the stream carries besides the caller's (e.g. `stream_options`). */
  readonly extraBody?: Readonly<Record<string, unknown>>;
}

/**
 * Runs a streamed call, the stream counterpart of {@link runCall}: prepared the same
 * way; the fallback chain and the retry policy cover opening the stream and its first
 * chunk (nothing delivered yet); after that the stream is read with idle and total
 * timeouts, and a break yields `StreamInterruptedError` with the partial output. The
 * stream is reported once when it settles, whatever the outcome; its usage is
 * estimated (and flagged) when the server never sent it, and `meta` gives the report
 * for a failure too.
 */
export function runStream<Request extends { readonly model?: string | undefined }, Chunk, Final>(
  context: OperationContext,
  spec: ModelStreamSpec<Request, Chunk, Final>,
  input: ModelCallInput<Request> & { readonly options: StreamCallOptions },
): ModelStream<Final>;
export function runStream<Body, Chunk, Final>(
  context: OperationContext,
  spec: StreamSpec<Body, Chunk, Final>,
  input: PlainCallInput<Body> & { readonly options: StreamCallOptions },
): ModelStream<Final>;
export function runStream<Body, Chunk, Final>(
  context: OperationContext,
  spec: StreamSpec<Body, Chunk, Final> & {
    readonly shape?: RequestShape<{ readonly model?: string | undefined }>;
    readonly extraBody?: Readonly<Record<string, unknown>>;
  },
  input: (ModelCallInput<{ readonly model?: string | undefined }> | PlainCallInput<Body>) & {
    readonly options: StreamCallOptions;
  },
): ModelStream<Final> {
  // 1. The call starts, and its span (a no-op without an OpenTelemetry SDK).
  const startedAt = context.clock.now();
  const { options } = input;
  const telemetry = context.telemetry.startCall(
    spec.operation,
    'request' in input ? requestedModel(input, context.defaultModel) : (input.model ?? ''),
    'request' in input ? input.request : undefined,
    startedAt,
  );
  // 2. It is prepared (before anything is sent; the stream waits for it when it opens).
  const planned = Promise.resolve(
    spec.shape === undefined
      ? plainPlan(input as PlainCallInput<Body>)
      : (prepareModelCall(
          context,
          spec.shape,
          input as ModelCallInput<{ readonly model?: string }>,
          true,
          spec.extraBody,
        ) as Planned<Body> | Promise<Planned<Body>>),
  );
  const skipped: SkippedModel[] = [];
  let model = requestedModel(input, context.defaultModel);
  let plan: CallPlan<Body> | undefined;
  let rateLimit: RateLimitSnapshot | null = null;
  let open:
    | ((
        signal: AbortSignal,
        info: Parameters<TransportOperation<unknown>>[2],
      ) => Promise<Result<OpenedModelStream<Chunk>, IntegrationError>>)
    | undefined;
  // The stream's usage comes only at its end: pacing settles the opening's headers, and keeps the estimate.
  const streamReaders = { rateLimitOf: () => rateLimit, usageOf: () => null };

  // 3. Each model of the chain in turn, through the transport; the attempt opens the stream and reads its first chunk.
  const execute = async <T>(operation: TransportOperation<T>): Promise<Result<T, IntegrationError>> => {
    const prepared = await planned;
    if (prepared.isErr()) return err(prepared.error);
    plan = prepared.value;
    const { chain } = plan;
    for (let index = 0; index < chain.length; index += 1) {
      model = chain[index] ?? model;
      const unfit = plan.preflight?.(model);
      if (unfit !== undefined) {
        skipped.push({ model, reason: unfit, errorTag: null });
        continue;
      }
      const opening = streamAttempt(context, { body: plan.bodyFor(model), send: spec.send, readBody: spec.readBody });
      open = async (signal, info) => {
        const opened = await opening(signal, info);
        if (opened.isOk()) rateLimit = opened.value.rateLimit;
        return opened;
      };
      const result = await telemetry.run(
        context.transport,
        operation,
        executeOptions<T>(transportKey(spec.endpoint, model), plan.estimate, options, streamReaders),
      );
      if (result.isOk() || index + 1 >= chain.length || !shouldFallBack(result.error)) return result;
      skipped.push({ model, reason: result.error.message, errorTag: result.error._tag });
    }
    return err(noModelFits(skipped));
  };

  // 4. The call ends, when the stream settles.
  // Replaced by `settle`, which always runs before the result settles.
  let meta = callMeta(
    {
      operation: spec.operation,
      model,
      startedAt,
      attempts: 0,
      requestId: null,
      rateLimit: null,
      skipped: noneSkipped,
      usage: null,
      usageEstimated: false,
      error: undefined,
    },
    0,
    null,
  );
  const settle = (outcome: StreamOutcome<Final>): void => {
    const usage = streamUsage(outcome, plan);
    if (context.logBodies && outcome.partial.eventsReceived > 0 && context.logger.isLevelEnabled?.('debug') !== false) {
      context.logger.debug(
        {
          operation: spec.operation,
          model,
          requestId: outcome.requestId,
          responseBody: {
            ...capText(outcome.partial.text),
            toolCalls: outcome.partial.toolCalls.length,
            complete: outcome.result.isOk(),
          },
        },
        'openai stream body',
      );
    }
    meta = reportCall(context, {
      operation: spec.operation,
      model,
      startedAt,
      attempts: outcome.attempts,
      requestId: outcome.requestId,
      rateLimit,
      skipped: skipped.length === 0 ? noneSkipped : skipped,
      usage,
      // Any stream that delivered something without a usage chunk, complete or not, is estimated.
      usageEstimated: usage !== null && outcome.usage === undefined,
      error: outcome.result.isErr() ? outcome.result.error : undefined,
      ...(outcome.result.isOk() ? { value: outcome.result.value } : {}),
      telemetry,
    });
  };

  const stream = createEventStream<Chunk, Final>({
    open: (signal, info) => {
      /* v8 ignore next -- the stream opens only inside `execute`, which sets `open` first */
      if (open === undefined) throw new TypeError('a stream opened outside its call');
      return open(signal, info);
    },
    accumulator: spec.accumulator,
    execute,
    toError: (error, signal) =>
      fromSdkError(error, { knownSecrets: context.knownSecrets(), now: context.clock.now(), signal }),
    clock: context.clock,
    idleTimeoutMs: options.idleTimeoutMs ?? context.streamIdleTimeoutMs,
    totalTimeoutMs: options.totalTimeoutMs ?? context.streamTotalTimeoutMs,
    signal: options.signal,
    onSettled: settle,
  });

  let settledMeta: Promise<CallMeta> | undefined;
  return {
    [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    get result() {
      return stream.result.map((value) => ({ value, meta }));
    },
    get meta() {
      return (settledMeta ??= new Promise<CallMeta>((resolve) => {
        void stream.result.then(() => {
          resolve(meta);
        });
      }));
    },
  };
}

/**
 * A stream refused for its arguments before it was prepared (a malformed id), as
 * operations refuse such calls: not reported, since nothing was attempted; its one
 * event is the error.
 */
export function refusedStream<Final>(
  context: OperationContext,
  operation: string,
  error: IntegrationError,
): ModelStream<Final> {
  const startedAt = context.clock.now();
  const meta = callMeta(
    {
      operation,
      model: '',
      startedAt,
      attempts: 0,
      requestId: null,
      rateLimit: null,
      skipped: noneSkipped,
      usage: null,
      usageEstimated: false,
      error,
    },
    0,
    null,
  );
  return {
    async *[Symbol.asyncIterator]() {
      await Promise.resolve();
      yield { type: 'error', error };
    },
    get result() {
      return errAsync<OperationResult<Final>, IntegrationError>(error);
    },
    meta: Promise.resolve(meta),
  };
}

/** A settled stream's usage: the server's, or estimated from what arrived (null when nothing did). */
function streamUsage<Final>(outcome: StreamOutcome<Final>, plan: CallPlan<unknown> | undefined): TokenUsage | null {
  const reported = outcome.usage;
  if (reported !== undefined)
    return { ...reported, totalTokens: reported.totalTokens || reported.inputTokens + reported.outputTokens };
  if (outcome.partial.eventsReceived === 0 || plan === undefined) return null;
  const { countTokens } = plan;
  const outputTokens =
    countTokens(outcome.partial.text) +
    countTokens(outcome.partial.toolCalls.map((toolCall) => toolCall.arguments).join(''));
  return {
    inputTokens: plan.inputTokens,
    outputTokens,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    totalTokens: plan.inputTokens + outputTokens,
  };
}
