import { parseInput, type IntegrationError } from '@openai-integration/core';
import { errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type {
  Moderation,
  ModerationCreateParams,
  ModerationCreateResponse,
  ModerationMultiModalInput,
} from 'openai/resources/moderations';
import { z } from 'zod';
import type { OperationResult } from '../call/call-meta.ts';
import type { CallOptions } from '../call/call-options.ts';
import { runCall, type CallSpec } from '../call/run-call.ts';
import type { OperationContext } from '../internal/operation-context.ts';
import { checkRequestObject } from '../internal/check-request-object.ts';
import { modelIdSchema } from '../models/check-model-id.ts';

/** A moderation category, e.g. `harassment`, `self-harm/intent`, `violence/graphic`. */
export type ModerationCategory = keyof Moderation.Categories;

/** Every moderation category, in the API's order. */
export const moderationCategories: readonly ModerationCategory[] = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
];

/** A moderation request. */
export interface ModerationRequest {
  /** A text, a list of texts, or one list of text and image parts (omni models). */
  readonly input: string | readonly string[] | readonly ModerationMultiModalInput[];
  /** Default `omni-moderation-latest`. */
  readonly model?: string;
}

/** The verdict on one input. */
export interface ModerationVerdict {
  readonly flagged: boolean;
  /** Whether each category applies (a category the model does not report is `false`). */
  readonly categories: Readonly<Record<ModerationCategory, boolean>>;
  /** The model's confidence for each category, from 0 to 1. */
  readonly scores: Readonly<Record<ModerationCategory, number>>;
  /** The categories that apply, in the API's order. */
  readonly flaggedCategories: readonly ModerationCategory[];
  /** Which kinds of input each category was judged on. */
  readonly appliedInputTypes: Readonly<Partial<Record<ModerationCategory, readonly ('text' | 'image')[]>>>;
}

/** The verdicts of one moderation request. */
export interface ModerationAnswer {
  readonly id: string;
  readonly model: string;
  /** True when any input was flagged. */
  readonly flagged: boolean;
  /** One verdict per input (one for a multimodal list), in input order. */
  readonly results: readonly ModerationVerdict[];
}

/** Moderations: classify text and images against the usage policies. */
export interface ModerationOperations {
  /**
   * Classifies the input and returns typed verdicts per category (flag and score).
   * Moderation is free, so no usage is recorded.
   *
   * Fails with: `ValidationError` (empty input), any HTTP variant, `ConnectionError`,
   * `TimeoutError`, `AbortedError`, `CircuitOpenError`, `RateLimitError`.
   *
   * @example
   * const verdict = await operations.moderations.create({ input: 'some user text' });
   * if (verdict.isOk() && verdict.value.value.flagged) console.log(verdict.value.value.results[0]?.flaggedCategories);
   */
  create(
    request: ModerationRequest,
    options?: CallOptions,
  ): ResultAsync<OperationResult<ModerationAnswer>, IntegrationError>;
}

const defaultModerationModel = 'omni-moderation-latest';

const part = z.union([
  z.object({ type: z.literal('text'), text: z.string().min(1) }),
  z.object({ type: z.literal('image_url'), image_url: z.object({ url: z.string().min(1) }) }),
]);
const requestSchema = z.object({
  model: modelIdSchema,
  input: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(z.string().min(1, 'must not be empty')).min(1),
    z.array(part).min(1),
  ]),
});

function toVerdict(result: Moderation): ModerationVerdict {
  const categories = {} as Record<ModerationCategory, boolean>;
  const scores = {} as Record<ModerationCategory, number>;
  const applied: Partial<Record<ModerationCategory, readonly ('text' | 'image')[]>> = {};
  for (const category of moderationCategories) {
    categories[category] = result.categories[category] === true;
    scores[category] = typeof result.category_scores[category] === 'number' ? result.category_scores[category] : 0;
    const types = (
      result.category_applied_input_types as
        Partial<Record<ModerationCategory, readonly ('text' | 'image')[]>> | undefined
    )?.[category];
    if (types !== undefined) applied[category] = types;
  }
  return {
    flagged: result.flagged,
    categories,
    scores,
    flaggedCategories: moderationCategories.filter((category) => categories[category]),
    appliedInputTypes: applied,
  };
}

function toAnswer(data: ModerationCreateResponse, model: string): Result<ModerationAnswer, IntegrationError> {
  const results = data.results.map(toVerdict);
  return ok({ id: data.id, model: data.model || model, flagged: results.some((result) => result.flagged), results });
}

/** Builds the moderation operations over an operation context. */
export function createModerationOperations(context: OperationContext): ModerationOperations {
  const moderations = context.client.moderations;
  const moderationsCreate: CallSpec<ModerationCreateParams, ModerationCreateResponse> = {
    operation: 'moderations.create',
    endpoint: 'moderations',
    send: moderations.create.bind(moderations),
    metered: true,
  };
  return {
    create(request, options = {}) {
      const checked = checkRequestObject(request, 'input (a string, strings or content parts)');
      if (checked.isErr()) return errAsync(checked.error);
      const model = request.model ?? defaultModerationModel;
      const parsed = parseInput(requestSchema, { ...request, model });
      if (parsed.isErr()) return errAsync(parsed.error);
      const input =
        typeof request.input === 'string'
          ? request.input
          : ([...request.input] as string[] | ModerationMultiModalInput[]);
      return new ResultAsync(
        runCall(
          context,
          { ...moderationsCreate, toValue: (data) => toAnswer(data, model) },
          { body: { model, input }, options, model },
        ),
      );
    },
  };
}
