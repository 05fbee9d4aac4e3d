import {
  addTokenUsage,
  createError,
  isErrorTag,
  parseInput,
  type IntegrationError,
  type RateLimitSnapshot,
  type TokenUsage,
} from '@openai-integration/core';
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import { z } from 'zod';
import type { OperationResult } from '../call/call-meta.ts';
import type { CallOptions } from '../call/call-options.ts';
import { runCall, summarizeCalls, type CallSpec } from '../call/run-call.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import type { UsageBudget } from '../usage/create-usage-tracker.ts';
import { loadTokenCounter } from '../usage/estimate-tokens.ts';
import { decodeEmbedding } from './decode-embedding.ts';
import { planEmbeddingRequests, type EmbeddingRequestGroup, type PlannedInput } from './plan-embedding-requests.ts';
import { checkRequestObject } from '../internal/check-request-object.ts';
import { modelIdSchema } from '../models/check-model-id.ts';

/** The model used when a request names none. */
export const defaultEmbeddingModel = 'text-embedding-3-small';

/** One embeddings request. */
export interface EmbeddingRequest {
  /** Default `text-embedding-3-small`. */
  readonly model?: string;
  /** One text, or up to 2048 texts (none empty). */
  readonly input: string | readonly string[];
  /** Shorter vectors (text-embedding-3 models only). */
  readonly dimensions?: number;
  /** How the vectors travel: `base64` (default, as the official SDK: about a third of the size) or `float`. Either way they come back as numbers. */
  readonly encodingFormat?: 'float' | 'base64';
  /** An end-user id for abuse monitoring. */
  readonly user?: string;
}

/** The vectors of one request. */
export interface EmbeddingsAnswer {
  /** The model that answered. */
  readonly model: string;
  /** One vector per input, in input order. */
  readonly embeddings: readonly (readonly number[])[];
}

/** Options of `embeddings.createMany`. */
export interface EmbedManyOptions {
  /** Default `text-embedding-3-small`. */
  readonly model?: string;
  readonly dimensions?: number;
  readonly encodingFormat?: 'float' | 'base64';
  readonly user?: string;
  /** Inputs per request. Default 2048 (the API's maximum). */
  readonly maxInputsPerRequest?: number;
  /** Tokens per request, counted with the o200k tokenizer. Default 300000 (the API's maximum). */
  readonly maxTokensPerRequest?: number;
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** A token or cost budget for the whole run, checked before anything is sent. */
  readonly budget?: UsageBudget;
  /** Aborting it ends the requests in flight and fails those not started with `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** The outcome of `embeddings.createMany`: every input's vector or error, by index. */
export interface EmbeddingsBatch {
  readonly model: string;
  /** `vectors[i]` is the vector of `inputs[i]`, or `null` when it failed (see `failures`). */
  readonly vectors: readonly (readonly number[] | null)[];
  /** The inputs that failed, by index (ascending), each with its last error. */
  readonly failures: readonly { readonly index: number; readonly error: IntegrationError }[];
  readonly summary: {
    readonly total: number;
    readonly succeeded: number;
    readonly failed: number;
    /** Requests planned, including the halves of a request the server rejected. */
    readonly requests: number;
    /** HTTP attempts, retries included. */
    readonly attempts: number;
  };
}

/** Embeddings: one request, or many inputs split into requests. */
export interface EmbeddingsOperations {
  /**
   * Embeds one text or a list of texts in one request. Each input is checked against
   * the model's input limit before anything is sent; the vectors come back as numbers
   * in input order, whatever the wire encoding. Usage is recorded.
   *
   * Fails with: `ValidationError` (naming the input), `BudgetExceededError`, any HTTP
   * variant, `ConnectionError`, `TimeoutError`, `AbortedError`, `CircuitOpenError`,
   * `RateLimitError`, `QuotaExceededError`, `MalformedResponseError`.
   *
   * @example
   * const result = await operations.embeddings.create({ input: ['first text', 'second text'] });
   * if (result.isOk()) console.log(result.value.value.embeddings.length); // 2
   */
  create(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): ResultAsync<OperationResult<EmbeddingsAnswer>, IntegrationError>;
  /**
   * Embeds any number of texts: split into requests by count and tokens, sent with a
   * concurrency limit through the transport (each request retried on its own), and
   * returned in input order. Nothing is thrown away: every success is kept, and every
   * input that still fails is listed by index with its error. An input over the
   * model's limit (or empty) is a `ValidationError` for that index only; a request the
   * server rejects as a whole (400/422) is split in halves until the bad input is
   * found. Usage of every request is recorded.
   *
   * Fails with (as a whole): `ValidationError` (options), `BudgetExceededError`. Per
   * input: any error of `create`.
   */
  createMany(
    inputs: readonly string[],
    options?: EmbedManyOptions,
  ): ResultAsync<OperationResult<EmbeddingsBatch>, IntegrationError>;
}

const text = z.string().min(1, 'must not be empty');
const requestSchema = z.object({
  model: modelIdSchema,
  input: z.union([text, z.array(text).min(1).max(2_048)]),
  dimensions: z.number().int().positive().optional(),
  encodingFormat: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

const manySchema = z.object({
  model: modelIdSchema,
  dimensions: z.number().int().positive().optional(),
  encodingFormat: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
  maxInputsPerRequest: z.number().int().min(1).max(2_048),
  maxTokensPerRequest: z.number().int().min(1),
  concurrency: z.number().int().min(1),
});

const fallbackInputLimit = 8_191;

const tooLong = (path: string, tokens: number, limit: number, model: string): IntegrationError => {
  const message = `about ${tokens} tokens; ${model} takes at most ${limit} per input`;
  return createError('ValidationError', {
    message: `invalid argument ${path}: ${message}`,
    issues: [{ path, message, code: 'too_big' }],
  });
};

/** Decodes the vectors of a response in input order, checking there is one per input. */
function toVectors(data: CreateEmbeddingResponse, expected: number): Result<number[][], IntegrationError> {
  const entries = Array.isArray(data.data) ? data.data : [];
  const vectors: (number[] | undefined)[] = new Array<number[] | undefined>(expected);
  for (const [position, entry] of entries.entries()) {
    const index = typeof entry.index === 'number' ? entry.index : position;
    const decoded = decodeEmbedding(entry.embedding);
    if (decoded.isErr()) return err(decoded.error);
    if (index < 0 || index >= expected) break;
    vectors[index] = decoded.value;
  }
  const complete = vectors.filter((vector): vector is number[] => vector !== undefined);
  if (entries.length !== expected || complete.length !== expected) {
    return err(
      createError('MalformedResponseError', {
        message: `the response has ${entries.length} embeddings for ${expected} inputs`,
        requestId: null,
        status: null,
      }),
    );
  }
  return ok(complete);
}

/** Runs `run` for every item, at most `concurrency` at once; the results in item order. */
async function inPool<Item, Out>(
  items: readonly Item[],
  concurrency: number,
  run: (item: Item) => Promise<Out>,
): Promise<Out[]> {
  const results: Out[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next; index < items.length; index = next) {
      next += 1;
      results[index] = await run(items[index] as Item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Builds the embeddings operations over an operation context. */
export function createEmbeddingsOperations(context: OperationContext): EmbeddingsOperations {
  const inputLimit = (model: string): number => context.models.get(model)?.contextWindow ?? fallbackInputLimit;
  const wire = (request: {
    readonly model: string;
    readonly dimensions?: number | undefined;
    readonly encodingFormat?: 'float' | 'base64' | undefined;
    readonly user?: string | undefined;
  }) => ({
    model: request.model,
    encoding_format: request.encodingFormat ?? ('base64' as const),
    ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
    ...(request.user === undefined ? {} : { user: request.user }),
  });

  const embeddings = context.client.embeddings;
  const embeddingsCreate: CallSpec<EmbeddingCreateParams, CreateEmbeddingResponse> = {
    operation: 'embeddings.create',
    endpoint: 'embeddings',
    send: embeddings.create.bind(embeddings),
    metered: true,
  };

  const create: EmbeddingsOperations['create'] = (request, options = {}) => {
    const checked = checkRequestObject(request, 'input (a string or strings)');
    if (checked.isErr()) return errAsync(checked.error);
    const model = request.model ?? defaultEmbeddingModel;
    const parsed = parseInput(requestSchema, { ...request, model });
    if (parsed.isErr()) return errAsync(parsed.error);
    const inputs = typeof request.input === 'string' ? [request.input] : [...request.input];
    const limit = inputLimit(model);
    const run = async (): Promise<Result<OperationResult<EmbeddingsAnswer>, IntegrationError>> => {
      const countTokens = await loadTokenCounter();
      let estimate = 0;
      for (const [index, input] of inputs.entries()) {
        const tokens = countTokens(input);
        if (tokens > limit)
          return err(tooLong(typeof request.input === 'string' ? 'input' : `input[${index}]`, tokens, limit, model));
        estimate += tokens;
      }
      const budget = context.usage.checkBudget({ model, estimatedInputTokens: estimate });
      if (budget.isErr()) return err(budget.error);
      return runCall(
        context,
        {
          ...embeddingsCreate,
          toValue: (data) =>
            toVectors(data, inputs.length).map((embeddings) => ({ model: data.model || model, embeddings })),
        },
        {
          body: { ...wire({ ...request, model }), input: typeof request.input === 'string' ? request.input : inputs },
          options,
          model,
          estimate,
        },
      );
    };
    return new ResultAsync(run());
  };

  const createMany: EmbeddingsOperations['createMany'] = (inputs, options = {}) => {
    const startedAt = context.clock.now();
    const settings = {
      ...options,
      model: options.model ?? defaultEmbeddingModel,
      maxInputsPerRequest: options.maxInputsPerRequest ?? 2_048,
      maxTokensPerRequest: options.maxTokensPerRequest ?? 300_000,
      concurrency: options.concurrency ?? 4,
    };
    const { signal: _signal, budget: _budget, ...checkable } = settings;
    const parsed = parseInput(manySchema, checkable);
    if (parsed.isErr()) return errAsync(parsed.error);
    if (!Array.isArray(inputs)) {
      return errAsync(
        createError('ValidationError', {
          message: 'invalid argument inputs: must be a list of texts',
          issues: [{ path: 'inputs', message: 'must be a list of texts', code: 'invalid_type' }],
        }),
      );
    }
    const model = settings.model;
    const limit = inputLimit(model);
    const run = async (): Promise<Result<OperationResult<EmbeddingsBatch>, IntegrationError>> => {
      const countTokens = await loadTokenCounter();
      const vectors: (readonly number[] | null)[] = new Array<readonly number[] | null>(inputs.length).fill(null);
      const failures: { index: number; error: IntegrationError }[] = [];
      const planned: PlannedInput[] = [];
      for (const [index, input] of (inputs as readonly unknown[]).entries()) {
        if (typeof input !== 'string' || input === '') {
          const message = 'must be a text that is not empty';
          failures.push({
            index,
            error: createError('ValidationError', {
              message: `invalid argument inputs[${index}]: ${message}`,
              issues: [{ path: `inputs[${index}]`, message, code: 'invalid_type' }],
            }),
          });
          continue;
        }
        const tokens = countTokens(input);
        if (tokens > limit) failures.push({ index, error: tooLong(`inputs[${index}]`, tokens, limit, model) });
        else planned.push({ index, text: input, tokens });
      }
      const estimate = planned.reduce((sum, input) => sum + input.tokens, 0);
      const budget = context.usage.checkBudget({ model, estimatedInputTokens: estimate, callBudget: options.budget });
      if (budget.isErr()) return err(budget.error);

      let queue = planEmbeddingRequests(planned, {
        maxInputs: settings.maxInputsPerRequest,
        maxTokens: settings.maxTokensPerRequest,
      });
      let requests = queue.length;
      // Written by the requests as they end, hence an object rather than narrowed locals.
      const seen: {
        attempts: number;
        usage: TokenUsage | null;
        servedModel: string | undefined;
        rateLimit: RateLimitSnapshot | null;
      } = {
        attempts: 0,
        usage: null,
        servedModel: undefined,
        rateLimit: null,
      };
      // Each request is a call of its own (retried, reported and recorded on its own); its attempts are counted as they are sent.
      const spec: CallSpec<EmbeddingCreateParams, CreateEmbeddingResponse> = {
        ...embeddingsCreate,
        operation: 'embeddings.createMany',
        send: (body, requestOptions) => {
          seen.attempts += 1;
          return embeddings.create(body, requestOptions);
        },
      };
      const callOptions = options.signal === undefined ? {} : { signal: options.signal };
      while (queue.length > 0) {
        const results = await inPool(queue, settings.concurrency, async (group) => {
          const texts = group.inputs.map((input) => input.text);
          const sent = await runCall(
            context,
            { ...spec, toValue: (data) => toVectors(data, texts.length) },
            { body: { ...wire(settings), input: texts }, options: callOptions, model, estimate: group.tokens },
          );
          if (sent.isOk()) {
            const { meta } = sent.value;
            seen.servedModel = meta.model;
            seen.rateLimit = meta.rateLimit ?? seen.rateLimit;
            if (meta.usage !== null)
              seen.usage = seen.usage === null ? meta.usage : addTokenUsage(seen.usage, meta.usage);
          }
          return sent.map(({ value }) => value);
        });
        const next: EmbeddingRequestGroup[] = [];
        queue.forEach((group, position) => {
          const result = results[position];
          /* v8 ignore next -- the pool returns one result per group */
          if (result === undefined) return;
          if (result.isOk()) {
            group.inputs.forEach((input, offset) => {
              vectors[input.index] = result.value[offset] ?? null;
            });
            return;
          }
          const error = result.error;
          if (group.inputs.length > 1 && isErrorTag(error, 'BadRequestError', 'UnprocessableEntityError')) {
            // The server rejected the request as a whole: split it to find the inputs it objects to.
            const half = Math.ceil(group.inputs.length / 2);
            for (const part of [group.inputs.slice(0, half), group.inputs.slice(half)]) {
              next.push({ inputs: part, tokens: part.reduce((sum, input) => sum + input.tokens, 0) });
            }
            return;
          }
          for (const input of group.inputs) failures.push({ index: input.index, error });
        });
        requests += next.length;
        queue = next;
      }
      failures.sort((left, right) => left.index - right.index);
      const succeeded = vectors.filter((vector) => vector !== null).length;
      const value: EmbeddingsBatch = {
        model: seen.servedModel ?? model,
        vectors,
        failures,
        summary: {
          total: inputs.length,
          succeeded,
          failed: inputs.length - succeeded,
          requests,
          attempts: seen.attempts,
        },
      };
      const meta = summarizeCalls(context, {
        operation: 'embeddings.createMany',
        model: value.model,
        startedAt,
        attempts: seen.attempts,
        requestId: null,
        rateLimit: seen.rateLimit,
        usage: seen.usage,
        record: false,
      });
      return ok({ value, meta });
    };
    return new ResultAsync(run());
  };

  return { create, createMany };
}
