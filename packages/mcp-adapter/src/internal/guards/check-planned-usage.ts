import { createError, type ErrorOf, type IntegrationError } from '@openai-integration/core';
import type { Operations } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import type { AgentGuards } from '../../guards/agent-guards.ts';
import { attributeBudgetError, type BudgetPlan } from './plan-budget.ts';

/** What one request of a call is expected to use. */
export interface PlannedUsage {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

const refusal = (
  unit: 'tokens' | 'usd',
  limit: number,
  requested: number,
  detail: string,
): ErrorOf<'BudgetExceededError'> =>
  createError('BudgetExceededError', {
    message: `call budget exceeded: ${detail}`,
    unit,
    scope: 'call',
    limit,
    used: 0,
    requested,
  });

/**
 * Checks the estimated usage of a call made of several requests (embeddings, batches)
 * against the call's budget plan, for the operations that take no per-call budget
 * themselves. A refusal caused by the session's remainder is reported as a session
 * refusal.
 *
 * Fails with: `BudgetExceededError`.
 */
export function checkPlannedUsage(
  operations: Operations,
  plan: BudgetPlan,
  guards: AgentGuards,
  planned: readonly PlannedUsage[],
): Result<void, IntegrationError> {
  const budget = plan.budget;
  if (budget === undefined) return ok(undefined);
  const tokens = planned.reduce((sum, entry) => sum + entry.inputTokens + entry.outputTokens, 0);
  if (budget.maxTokens !== undefined && tokens > budget.maxTokens) {
    return err(
      attributeBudgetError(
        refusal('tokens', budget.maxTokens, tokens, `about ${tokens} tokens requested > ${budget.maxTokens}`),
        plan,
        guards,
      ),
    );
  }
  if (budget.maxCostUsd === undefined) return ok(undefined);
  let cost = 0;
  for (const entry of planned) {
    const usage = {
      inputTokens: entry.inputTokens,
      outputTokens: entry.outputTokens,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      totalTokens: entry.inputTokens + entry.outputTokens,
    };
    const price = operations.usage.costOf(entry.model, usage);
    if (price === null) {
      return err(
        refusal(
          'usd',
          budget.maxCostUsd,
          0,
          `the price of model ${entry.model} is unknown, so the call cannot be shown to fit a cost budget`,
        ),
      );
    }
    cost += price;
  }
  if (cost > budget.maxCostUsd) {
    return err(
      attributeBudgetError(
        refusal('usd', budget.maxCostUsd, cost, `about $${cost.toFixed(6)} requested > $${budget.maxCostUsd}`),
        plan,
        guards,
      ),
    );
  }
  return ok(undefined);
}
