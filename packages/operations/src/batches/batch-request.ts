import type { IntegrationError } from '@openai-integration/core';
import type { Batch } from 'openai/resources/batches';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { ModerationCreateParams, ModerationCreateResponse } from 'openai/resources/moderations';
import type { Response as ModelResponse, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';

/** The request body of each endpoint a batch can run. */
export interface BatchBodies {
  readonly '/v1/chat/completions': ChatCompletionCreateParamsNonStreaming;
  readonly '/v1/embeddings': EmbeddingCreateParams;
  readonly '/v1/responses': ResponseCreateParamsNonStreaming;
  readonly '/v1/moderations': ModerationCreateParams;
}

/** The response body of each endpoint a batch can run. */
export interface BatchResponseBodies {
  readonly '/v1/chat/completions': ChatCompletion;
  readonly '/v1/embeddings': CreateEmbeddingResponse;
  readonly '/v1/responses': ModelResponse;
  readonly '/v1/moderations': ModerationCreateResponse;
}

/** An endpoint a batch can run. */
export type BatchEndpoint = keyof BatchBodies;

/** One request of a batch: a `customId` unique within the batch and the endpoint's request body. */
export interface BatchRequest<Endpoint extends BatchEndpoint = BatchEndpoint> {
  readonly customId: string;
  readonly body: BatchBodies[Endpoint];
}

/**
 * What became of one request of a batch, discriminated by `type`:
 * - `succeeded`: the endpoint answered 200; `body` is its response (as the server sent it, not validated).
 * - `failed`: the endpoint answered with an error; `error` is the variant of the error
 *   union for that status and body (so `error.retryable` says whether a resubmission may help).
 * - `not-run`: the batch never ran it (expired, cancelled, failed validation); `reason` says why.
 */
export type BatchItemOutcome<Body = unknown> =
  | {
      readonly type: 'succeeded';
      readonly customId: string;
      readonly status: number;
      readonly requestId: string | null;
      readonly body: Body;
    }
  | {
      readonly type: 'failed';
      readonly customId: string;
      readonly status: number;
      readonly requestId: string | null;
      readonly error: IntegrationError;
    }
  | { readonly type: 'not-run'; readonly customId: string; readonly reason: string };

/** Counts of a set of outcomes. */
export interface BatchOutcomeSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly notRun: number;
}

/** The results of one batch, joined by custom id. */
export interface BatchResults<Body = unknown> {
  /** The batch as retrieved. */
  readonly batch: Batch;
  /** One outcome per request: in the order of `customIds` when given, else output file then error file order. */
  readonly items: readonly BatchItemOutcome<Body>[];
  readonly summary: BatchOutcomeSummary;
}

/** Counts outcomes by type. */
export function summarizeOutcomes(items: readonly BatchItemOutcome[]): BatchOutcomeSummary {
  return {
    total: items.length,
    succeeded: items.filter((item) => item.type === 'succeeded').length,
    failed: items.filter((item) => item.type === 'failed').length,
    notRun: items.filter((item) => item.type === 'not-run').length,
  };
}
