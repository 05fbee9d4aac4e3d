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

  it('with nothing left, says in its reset how long until the bucket is full, and in its retry hint how long until one more call fits', () => {
    let now = 0;
    const budget = createBudget({ requestsPerMinute: 600, tokensPerMinute: 60_000 }, () => now);
    for (let call = 0; call < 600; call += 1) expect(budget.charge(10, 'gpt-4o').ok).toBe(true);
    const refused = budget.charge(10, 'gpt-4o');
    if (refused.ok) throw new Error('expected a 429');
    expect(refused.failure.headers).toMatchObject({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1m0s',
      'retry-after-ms': '100',
      'retry-after': '1',
      'x-ratelimit-remaining-tokens': '54000',
      'x-ratelimit-reset-tokens': '6s',
    });
    now += 100;
    expect(budget.peek()).toMatchObject({
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-reset-requests': '59.9s',
    });
    expect(budget.charge(10, 'gpt-4o').ok).toBe(true);
    // Tokens: a call that needs more than remain is told when they will.
    now += 60_000;
    expect(budget.charge(59_990, 'gpt-4o').ok).toBe(true);
    const short = budget.charge(1_000, 'gpt-4o');
    if (short.ok) throw new Error('expected a 429');
    expect(short.failure).toMatchObject({
      type: 'tokens',
      headers: { 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '59.99s', 'retry-after-ms': '990' },
    });
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
