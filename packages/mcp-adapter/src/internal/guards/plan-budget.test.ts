import { createError } from '@openai-integration/core';
import { describe, expect, it } from 'vitest';
import { attributeBudgetError, planBudget } from './plan-budget.ts';

const used = (tokens: number, costUsd: number) => ({ requests: 1, tokens, costUsd, unpricedRequests: 0 });

describe('planBudget', () => {
  it('sends no budget when no limit is set', () => {
    expect(planBudget({}, used(10, 0))._unsafeUnwrap()).toMatchObject({
      budget: undefined,
      sessionBinds: { tokens: false, usd: false },
    });
  });

  it('sends the tighter of the per-call limit and what is left of the session', () => {
    const plan = planBudget(
      { callBudget: { maxTokens: 500, maxCostUsd: 1 }, sessionBudget: { maxTokens: 1_000, maxCostUsd: 2 } },
      used(800, 0.5),
    )._unsafeUnwrap();
    expect(plan.budget).toEqual({ maxTokens: 200, maxCostUsd: 1 });
    expect(plan.sessionBinds).toEqual({ tokens: true, usd: false });
  });

  it('refuses at once when the session has nothing left', () => {
    const tokens = planBudget({ sessionBudget: { maxTokens: 100 } }, used(100, 0))._unsafeUnwrapErr();
    expect(tokens).toMatchObject({
      _tag: 'BudgetExceededError',
      scope: 'session',
      unit: 'tokens',
      limit: 100,
      used: 100,
    });
    const usd = planBudget({ sessionBudget: { maxCostUsd: 0.5 } }, used(0, 0.75))._unsafeUnwrapErr();
    expect(usd).toMatchObject({ scope: 'session', unit: 'usd', limit: 0.5, used: 0.75 });
    expect(usd.message).toMatch(/^session budget exceeded: \$0\.750000 of \$0\.5 used/);
  });
});

describe('attributeBudgetError', () => {
  const callError = (unit: 'tokens' | 'usd', requested: number) =>
    createError('BudgetExceededError', {
      unit,
      scope: 'call',
      limit: 10,
      used: 0,
      requested,
      message: 'call budget exceeded',
    });
  const guards = {
    sessionBudget: { maxTokens: 1_000, maxCostUsd: 1 },
    callBudget: { maxTokens: 5_000, maxCostUsd: 5 },
  };

  it('reports a refusal caused by the session remainder as a session refusal', () => {
    const plan = planBudget(guards, used(990, 0.99))._unsafeUnwrap();
    expect(attributeBudgetError(callError('tokens', 40), plan, guards)).toMatchObject({
      scope: 'session',
      unit: 'tokens',
      limit: 1_000,
      used: 990,
      requested: 40,
    });
    expect(attributeBudgetError(callError('usd', 0.2), plan, guards)).toMatchObject({
      scope: 'session',
      unit: 'usd',
      limit: 1,
      used: 0.99,
    });
  });

  it('leaves per-call refusals, unknown prices and other errors as they are', () => {
    const loose = { sessionBudget: { maxTokens: 100_000 }, callBudget: { maxTokens: 500 } };
    const plan = planBudget(loose, used(0, 0))._unsafeUnwrap();
    const perCall = callError('tokens', 9_000);
    expect(attributeBudgetError(perCall, plan, loose)).toBe(perCall);
    const tight = planBudget(guards, used(990, 0.99))._unsafeUnwrap();
    const unpriced = callError('usd', 0);
    expect(attributeBudgetError(unpriced, tight, guards)).toBe(unpriced);
    const other = createError('AbortedError', { reason: null, message: 'aborted' });
    expect(attributeBudgetError(other, tight, guards)).toBe(other);
    expect(attributeBudgetError(callError('tokens', 40), tight, {})).toMatchObject({ scope: 'call' });
  });
});
