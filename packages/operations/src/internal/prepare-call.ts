import { parseInput, type IntegrationError } from '@openai-integration/core';
import { checkRequestObject } from './check-request-object.ts';
import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import type { UsageBudget } from '../usage/create-usage-tracker.ts';
import { bestLoadedCounter, countPromptTokens, loadTokenCounter, roughTokenCounter, type TokenCounter } from '../usage/estimate-tokens.ts';
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

/**
 * Validates a request with core's schema (before any network call), fills in the
 * default model, estimates its input tokens, checks the budgets, and works out the
 * fallback chain and its pre-flight check.
 *
 * Fails with: `ValidationError`, `BudgetExceededError`.
 */
export async function prepareCall<Request extends { readonly model?: string | undefined }>(
  context: OperationContext,
  schema: z.ZodType,
  input: Request,
  options: ModelCallOptions & {
    readonly promptOf: (request: Request) => unknown;
    readonly maxOutputOf: (request: Request) => number | null | undefined;
    /** A quick test that is true only for requests the schema certainly accepts (the schema runs otherwise). */
    readonly certainlyValid?: (request: unknown) => boolean;
  },
): Promise<Result<PreparedCall<Request & { readonly model: string }>, IntegrationError>> {
  // Plain async and Results here, not ResultAsync chains: this runs on every call.
  const isObject = checkRequestObject(input, 'model and messages (or input)');
  if (isObject.isErr()) return err(isObject.error);
  const model = input.model ?? context.defaultModel;
  const request = { ...input, model };
  if (options.certainlyValid?.(request) !== true) {
    const valid = parseInput(schema, request);
    if (valid.isErr()) return err(valid.error);
  }
  const prompt = options.promptOf(request);
  const maxOutputTokens = options.maxOutputOf(request) ?? undefined;
  const fallback = options.fallback ?? context.fallbacks[model] ?? [];
  // Pacing needs only the rough count OpenAI's own limiter uses; budgets and prompts
  // near a context window get the real tokenizer, loaded on first need.
  const rough = countPromptTokens(roughTokenCounter, prompt);
  const exact = needsExactCount(context, [model, ...fallback], rough + (maxOutputTokens ?? 0), options.budget !== undefined);
  const counter = exact ? await loadTokenCounter() : bestLoadedCounter();
  const tokens = exact ? countPromptTokens(counter, prompt) : rough;
  const budget = context.usage.checkBudget({ model, estimatedInputTokens: tokens, maxOutputTokens, callBudget: options.budget });
  if (budget.isErr()) return err(budget.error);
  return ok(prepared(context, request, model, fallback, tokens, maxOutputTokens, counter));
}

/** Whether a budget applies, or the call may not fit a context window of its chain. */
function needsExactCount(context: OperationContext, chain: readonly string[], roughTotal: number, callBudget: boolean): boolean {
  if (callBudget || context.usage.hasBudget()) return true;
  return chain.some((candidate) => {
    const window = context.models.get(candidate)?.contextWindow;
    return window !== undefined && roughTotal * 2 > window;
  });
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
  const chain = [model, ...fallback];
  const preflight = (candidate: string): string | undefined => {
    const known = context.models.get(candidate);
    if (known === undefined) return undefined;
    if (known.available === false) return 'not available at this endpoint';
    const needed = estimatedInputTokens + (maxOutputTokens ?? 0);
    return needed > known.contextWindow
      ? `about ${needed} tokens (prompt and output) do not fit its context window of ${known.contextWindow}`
      : undefined;
  };
  return { request, model, chain: [...new Set(chain)], estimatedInputTokens, maxOutputTokens, preflight, countTokens };
}

/** The model a request names, or `fallback` (also when the request is not an object at all). */
export function requestedModel(request: unknown, fallback: string): string {
  const model = typeof request === 'object' && request !== null ? (request as { readonly model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : fallback;
}
