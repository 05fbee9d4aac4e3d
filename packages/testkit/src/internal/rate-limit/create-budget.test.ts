import { describe, expect, it } from 'vitest';
import { createBudget } from './create-budget.ts';

describe('createBudget', () => {
  it('refills continuously and reports a full reset after reset()', () => {
    let now = 0;
    const budget = createBudget({ requestsPerMinute: 60, tokensPerMinute: 600 }, () => now);
    const first = budget.charge(300, 'gpt-4o');
    expect(first).toEqual({
      ok: true,
      headers: {
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-limit-tokens': '600',
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-remaining-tokens': '300',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-reset-tokens': '30s',
      },
    });
    now += 10_000;
    const second = budget.charge(0, 'gpt-4o');
    expect(second.ok && second.headers['x-ratelimit-remaining-tokens']).toBe('400');
    budget.reset();
    const third = budget.charge(0, 'gpt-4o');
    expect(third.ok && third.headers['x-ratelimit-remaining-tokens']).toBe('600');
  });

  it('refuses a call larger than the whole budget with a wait until the bucket is full', () => {
    const budget = createBudget({ requestsPerMinute: 10, tokensPerMinute: 100 }, () => 0);
    budget.charge(50, 'gpt-4o');
    const refused = budget.charge(500, 'gpt-4o');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.failure).toMatchObject({ status: 429, type: 'tokens', code: 'rate_limit_exceeded' });
    expect(refused.failure.headers?.['retry-after-ms']).toBe('30000');
    expect(refused.failure.message).toContain('Limit 100, Used 50, Requested 500');
  });
});
