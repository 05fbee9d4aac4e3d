import { createError, type ErrorOf } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { defaultModelCatalogue } from './default-model-catalogue.ts';
import type { Modality, ModelDescriptor } from './model-descriptor.ts';

/** What a call needs from a model. */
export interface ModelRequirements {
  /** Prompt tokens (estimate); with `outputTokens` it must fit the context window. */
  readonly promptTokens?: number;
  /** Output tokens the call needs room for. */
  readonly outputTokens?: number;
  readonly tools?: boolean;
  readonly structuredOutput?: boolean;
  readonly reasoning?: boolean;
  readonly inputModalities?: readonly Modality[];
  /** `chat` (default) or `embedding`. */
  readonly kind?: ModelDescriptor['kind'];
  /** Only these models may be chosen. */
  readonly allow?: readonly string[];
  /** These models may not be chosen. */
  readonly exclude?: readonly string[];
  /** `cheapest` (default), `largest-context`, or `most-capable` (reasoning first, then price descending). */
  readonly prefer?: 'cheapest' | 'largest-context' | 'most-capable';
}

/** The model chosen, why, and why each other model was not. */
export interface ModelSelection {
  readonly model: ModelDescriptor;
  readonly reason: string;
  /** Models that fit but ranked lower, best first. */
  readonly alternatives: readonly string[];
  readonly rejected: readonly { readonly id: string; readonly reason: string }[];
}

/** The models the integration knows, with their limits and capabilities. */
export interface ModelRegistry {
  get(id: string): ModelDescriptor | undefined;
  list(): readonly ModelDescriptor[];
  /** Adds or replaces a model. */
  register(model: ModelDescriptor): void;
  /**
   * Marks which models the endpoint really serves: listed ids stay available, unlisted
   * known models become unavailable, and unknown listed ids are added with
   * conservative capabilities (no tools, 8k context) until described.
   */
  refresh(availableIds: readonly string[]): void;
  /**
   * Picks the best model for the requirements: prompt plus output within the context
   * window, the needed capabilities, then the cheapest (unless `prefer` says otherwise).
   *
   * Fails with: `ValidationError` when no model fits (each model's reason is listed).
   */
  select(requirements?: ModelRequirements): Result<ModelSelection, ErrorOf<'ValidationError'>>;
}

function unfit(model: ModelDescriptor, needs: ModelRequirements): string | undefined {
  if (model.available === false) return 'not available at this endpoint';
  if (needs.allow !== undefined && !needs.allow.includes(model.id)) return 'not in the allow-list';
  if (needs.exclude?.includes(model.id) === true) return 'excluded';
  if (model.kind !== (needs.kind ?? 'chat')) return `a ${model.kind} model`;
  const needed = (needs.promptTokens ?? 0) + (needs.outputTokens ?? 0);
  if (needed > model.contextWindow) return `needs ${needed} tokens, context window is ${model.contextWindow}`;
  if ((needs.outputTokens ?? 0) > model.maxOutputTokens)
    return `needs ${needs.outputTokens ?? 0} output tokens, maximum is ${model.maxOutputTokens}`;
  if (needs.tools === true && !model.tools) return 'no tool calling';
  if (needs.structuredOutput === true && !model.structuredOutput) return 'no structured output';
  if (needs.reasoning === true && !model.reasoning) return 'not a reasoning model';
  const missing = (needs.inputModalities ?? []).filter((modality) => !model.inputModalities.includes(modality));
  if (missing.length > 0) return `no ${missing.join('/')} input`;
  return undefined;
}

const costFor = (model: ModelDescriptor, needs: ModelRequirements): number =>
  model.price === undefined
    ? Number.POSITIVE_INFINITY
    : (model.price.input * (needs.promptTokens ?? 1_000) + model.price.output * (needs.outputTokens ?? 1_000)) /
      1_000_000;

/**
 * Creates a model registry from the bundled catalogue (or the models given), for
 * `select` and for pre-flight context checks.
 *
 * @example
 * const models = createModelRegistry();
 * models.select({ promptTokens: 3_000, tools: true })._unsafeUnwrap().model.id; // 'gpt-5-nano'
 */
export function createModelRegistry(options: { readonly models?: readonly ModelDescriptor[] } = {}): ModelRegistry {
  const models = new Map<string, ModelDescriptor>(
    (options.models ?? defaultModelCatalogue).map((model) => [model.id, model]),
  );

  return {
    get: (id) => models.get(id),
    list: () => [...models.values()],
    register(model) {
      models.set(model.id, model);
    },
    refresh(availableIds) {
      const listed = new Set(availableIds);
      for (const [id, model] of models) models.set(id, { ...model, available: listed.has(id) });
      for (const id of listed) {
        if (models.has(id)) continue;
        models.set(id, {
          id,
          contextWindow: 8_192,
          maxOutputTokens: 4_096,
          inputModalities: ['text'],
          tools: false,
          structuredOutput: false,
          reasoning: false,
          // `text-embedding-3-small`, and local ones such as `nomic-embed-text` or `mxbai-embed-large`.
          kind: /embed/i.test(id) ? 'embedding' : id.includes('moderation') ? 'moderation' : 'chat',
          available: true,
        });
      }
    },
    select(needs = {}) {
      const rejected: { id: string; reason: string }[] = [];
      const fitting: ModelDescriptor[] = [];
      for (const model of models.values()) {
        const reason = unfit(model, needs);
        if (reason === undefined) fitting.push(model);
        else rejected.push({ id: model.id, reason });
      }
      const prefer = needs.prefer ?? 'cheapest';
      const rank = (a: ModelDescriptor, b: ModelDescriptor): number => {
        if (prefer === 'largest-context')
          return b.contextWindow - a.contextWindow || costFor(a, needs) - costFor(b, needs);
        if (prefer === 'most-capable')
          return Number(b.reasoning) - Number(a.reasoning) || costFor(b, needs) - costFor(a, needs);
        return costFor(a, needs) - costFor(b, needs) || b.contextWindow - a.contextWindow;
      };
      fitting.sort(rank);
      const [best, ...rest] = fitting;
      if (best === undefined) {
        return err(
          createError('ValidationError', {
            message: `no model meets the requirements: ${rejected.map((entry) => `${entry.id} (${entry.reason})`).join('; ')}`,
            issues: rejected.map((entry) => ({ path: entry.id, message: entry.reason, code: 'unfit_model' })),
          }),
        );
      }
      const cost = costFor(best, needs);
      const why =
        prefer === 'largest-context'
          ? `largest context window (${best.contextWindow} tokens) among ${fitting.length} fitting models`
          : prefer === 'most-capable'
            ? `most capable of ${fitting.length} fitting models${best.reasoning ? ' (reasoning)' : ''}`
            : `cheapest of ${fitting.length} fitting models${Number.isFinite(cost) ? ` (about $${cost.toFixed(6)} for this call)` : ''}`;
      return ok({ model: best, reason: why, alternatives: rest.map((model) => model.id), rejected });
    },
  };
}
