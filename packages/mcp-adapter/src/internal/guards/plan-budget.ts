import { createError, type ErrorOf, type IntegrationError } from '@openai-integration/core';
import type { UsageBudget } from '@openai-integration/operations';
import { err, ok, type Result } from 'neverthrow';
import type { AgentGuards } from '../../guards/agent-guards.ts';
import type { SessionUsage } from '../../sessions/create-session-ledger.ts';

/** The budget one call is sent with, and which of its limits come from the session. */
export interface BudgetPlan {
  /** The per-call budget for the operations (`undefined`: no limit). */
  readonly budget: UsageBudget | undefined;
  readonly sessionBinds: { readonly tokens: boolean; readonly usd: boolean };
  readonly used: SessionUsage;
}

const sessionExceeded = (
  unit: 'tokens' | 'usd',
  limit: number,
  used: number,
  requested: number,
): ErrorOf<'BudgetExceededError'> =>
  createError('BudgetExceededError', {
    message: `session budget exceeded: ${unit === 'usd' ? `$${used.toFixed(6)} of $${limit}` : `${used} of ${limit} tokens`} used in this MCP session`,
    unit,
    scope: 'session',
    limit,
    used,
    requested,
  });

function tighter(
  call: number | undefined,
  session: number | undefined,
): { readonly value: number | undefined; readonly session: boolean } {
  if (session === undefined) return { value: call, session: false };
  if (call === undefined || session < call) return { value: session, session: true };
  return { value: call, session: false };
}

/**
 * Works out the budget of one call from the per-call budget and what is left of the
 * session's budget: the tighter limit of each unit is sent to the operations, which
 * refuse the call before it is sent when its estimate does not fit.
 *
 * Fails with: `BudgetExceededError` (scope `session`, when nothing is left).
 */
export function planBudget(
  guards: AgentGuards,
  used: SessionUsage,
): Result<BudgetPlan, ErrorOf<'BudgetExceededError'>> {
  const session = guards.sessionBudget ?? {};
  const call = guards.callBudget ?? {};
  if (session.maxTokens !== undefined && used.tokens >= session.maxTokens)
    return err(sessionExceeded('tokens', session.maxTokens, used.tokens, 0));
  if (session.maxCostUsd !== undefined && used.costUsd >= session.maxCostUsd)
    return err(sessionExceeded('usd', session.maxCostUsd, used.costUsd, 0));
  const tokens = tighter(call.maxTokens, session.maxTokens === undefined ? undefined : session.maxTokens - used.tokens);
  const usd = tighter(
    call.maxCostUsd,
    session.maxCostUsd === undefined ? undefined : session.maxCostUsd - used.costUsd,
  );
  const budget: UsageBudget = {
    ...(tokens.value === undefined ? {} : { maxTokens: tokens.value }),
    ...(usd.value === undefined ? {} : { maxCostUsd: usd.value }),
  };
  return ok({
    budget: tokens.value === undefined && usd.value === undefined ? undefined : budget,
    sessionBinds: { tokens: tokens.session, usd: usd.session },
    used,
  });
}

/**
 * Reports a per-call budget refusal caused by the session's remaining budget as a
 * session refusal (with the session's limit and usage); any other error is returned
 * as it is.
 */
export function attributeBudgetError(error: IntegrationError, plan: BudgetPlan, guards: AgentGuards): IntegrationError {
  if (error._tag !== 'BudgetExceededError' || error.scope !== 'call') return error;
  const session = guards.sessionBudget ?? {};
  if (error.unit === 'tokens' && plan.sessionBinds.tokens && session.maxTokens !== undefined) {
    return sessionExceeded('tokens', session.maxTokens, plan.used.tokens, error.requested);
  }
  // `requested: 0` is the refusal of a model without a price, which is not about what is left.
  if (error.unit === 'usd' && error.requested > 0 && plan.sessionBinds.usd && session.maxCostUsd !== undefined) {
    return sessionExceeded('usd', session.maxCostUsd, plan.used.costUsd, error.requested);
  }
  return error;
}
