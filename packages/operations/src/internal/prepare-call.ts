import { parseInput, type IntegrationError } from '@openai-integration/core';
import { checkModelId } from '../models/check-model-id.ts';
import { checkRequestObject } from './check-request-object.ts';
import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import type { UsageBudget } from '../usage/create-usage-tracker.ts';
import { bestLoadedCounter, loadTokenCounter, roughTokenCounter, type TokenCounter } from '../usage/estimate-tokens.ts';
import type { OperationContext } from './operation-context.ts';

/** Per-call options about models and budgets, shared by chat and responses. */
export interface ModelCallOptions {
  /** Models to try, in order, when the requested one cannot answer (overrides the configured chain). */
  readonly fallback?: readonly string[];
  /** A token or cost budget for this call alone. */
  readonly budget?: UsageBudget;
}

/** A validated call, ready to send. */
export interface PreparedCall<Request> {
  readonly request: Request;
  readonly model: string;
  readonly chain: readonly string[];
  readonly estimatedInputTokens: number;
  readonly maxOutputTokens: number | undefined;
  /** Returns why a model of the chain cannot take the call, without asking the server. */
  readonly preflight: (model: string) => string | undefined;
  /** The tokenizer if loaded (else the rough count), e.g. to estimate what a broken stream produced. */
  readonly countTokens: TokenCounter;
}

/** How an endpoint's requests are read: the same for every call of it. */
export interface RequestShape<Request> {
  readonly schema: z.ZodType;
  /** The prompt's input tokens by `counter`: its messages (with their framing) and what else is sent as text (tools, instructions). */
  readonly countPrompt: (counter: TokenCounter, request: Request) => number;
  readonly maxOutputOf: (request: Request) => number | null | undefined;
  /** A quick test that is true only for requests the schema certainly accepts (the schema runs otherwise). */
  readonly certainlyValid?: (request: unknown) => boolean;
}

/** The outcome of {@link prepareCallNow}: at once, or a promise when the tokenizer has to load first. */
export type Prepared<Request> = Result<PreparedCall<Request & { readonly model: string }>, IntegrationError>;

/**
 * Validates a request with core's schema (before any network call), fills in the
 * default model, estimates its input tokens, checks the budgets, and works out the
 * fallback chain and its pre-flight check.
 *
 * Fails with: `ValidationError`, `BudgetExceededError`.
 */
export async function prepareCall<Request extends { readonly model?: string | undefined }>(
  context: OperationContext,
  shape: RequestShape<Request>,
  input: Request,
  options: ModelCallOptions,
): Promise<Prepared<Request>> {
  return await prepareCallNow(context, shape, input, options);
}

/**
 * {@link prepareCall} without a promise unless one is needed: only a budget, or a
 * prompt near a context window, needs the tokenizer, which loads on first use.
 *
 * Fails with: `ValidationError`, `BudgetExceededError`.
 */
export function prepareCallNow<Request extends { readonly model?: string | undefined }>(
  context: OperationContext,
  shape: RequestShape<Request>,
  input: Request,
  options: ModelCallOptions,
): Prepared<Request> | Promise<Prepared<Request>> {
  const isObject = checkRequestObject(input, 'model and messages (or input)');
  if (isObject.isErr()) return err(isObject.error);
  const model = input.model ?? context.defaultModel;
  // A model id becomes the key of breakers, pacing and usage: only ids that could exist get that far.
  const checked = checkModelId(model);
  if (checked.isErr()) return err(checked.error);
  const fallback = options.fallback ?? context.fallbacks[model] ?? [];
  for (const [index, candidate] of fallback.entries()) {
    const checkedFallback = checkModelId(candidate, `fallback[${index}]`);
    if (checkedFallback.isErr()) return err(checkedFallback.error);
  }
  // The caller's object is never changed; it is copied only to fill in the default model.
  const request =
    typeof input.model === 'string' ? (input as Request & { readonly model: string }) : { ...input, model };
  if (shape.certainlyValid?.(request) !== true) {
    const valid = parseInput(shape.schema, request);
    if (valid.isErr()) return err(valid.error);
  }
  const maxOutputTokens = shape.maxOutputOf(request) ?? undefined;
  // Pacing needs only the rough count OpenAI's own limiter uses; budgets and prompts
  // near a context window get the real tokenizer, loaded on first need.
  const rough = shape.countPrompt(roughTokenCounter, request);
  const finish = (counter: TokenCounter, tokens: number): Prepared<Request> => {
    const budget = context.usage.checkBudget({
      model,
      estimatedInputTokens: tokens,
      maxOutputTokens,
      callBudget: options.budget,
    });
    if (budget.isErr()) return err(budget.error);
    return ok(prepared(context, request, model, fallback, tokens, maxOutputTokens, counter));
  };
  if (!needsExactCount(context, model, fallback, rough + (maxOutputTokens ?? 0), options.budget !== undefined))
    return finish(bestLoadedCounter(), rough);
  return loadTokenCounter().then((counter) => finish(counter, shape.countPrompt(counter, request)));
}

/** Whether a budget applies, or the call may not fit a context window of its chain. */
function needsExactCount(
  context: OperationContext,
  model: string,
  fallback: readonly string[],
  roughTotal: number,
  callBudget: boolean,
): boolean {
  if (callBudget || context.usage.hasBudget()) return true;
  const nearWindow = (candidate: string): boolean => {
    const window = context.models.get(candidate)?.contextWindow;
    return window !== undefined && roughTotal * 2 > window;
  };
  return nearWindow(model) || fallback.some(nearWindow);
}

function prepared<Request>(
  context: OperationContext,
  request: Request,
  model: string,
  fallback: readonly string[],
  estimatedInputTokens: number,
  maxOutputTokens: number | undefined,
  countTokens: TokenCounter,
): PreparedCall<Request> {
  const preflight = (candidate: string): string | undefined => {
    const known = context.models.get(candidate);
    if (known === undefined) return undefined;
    if (known.available === false) return 'not available at this endpoint';
    const needed = estimatedInputTokens + (maxOutputTokens ?? 0);
    return needed > known.contextWindow
      ? `about ${needed} tokens (prompt and output) do not fit its context window of ${known.contextWindow}`
      : undefined;
  };
  const chain = fallback.length === 0 ? [model] : [...new Set([model, ...fallback])];
  return { request, model, chain, estimatedInputTokens, maxOutputTokens, preflight, countTokens };
}

/** The model a request names, or `fallback` (also when the request is not an object at all). */
export function requestedModel(request: unknown, fallback: string): string {
  const model =
    typeof request === 'object' && request !== null ? (request as { readonly model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : fallback;
}
