import { describe, expect, it } from 'vitest';
import { createHarness, textOf, useHarness } from './support/harness.ts';

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };
const start = useHarness();

describe('openai_usage_report', () => {
  it('reports nothing spent before the first call', async () => {
    const harness = await start();
    const result = await harness.call('openai_usage_report', {});
    expect(result.structuredContent).toEqual({
      session: {
        ledger: 'default',
        requests: 0,
        tokens: 0,
        costUsd: 0,
        maxTokens: null,
        maxCostUsd: null,
        remainingTokens: null,
        remainingCostUsd: null,
      },
      total: {
        requests: 0,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        totalTokens: 0,
        estimatedRequests: 0,
        costUsd: 0,
      },
      byModel: [],
      unpricedModels: [],
      budget: { remainingTokens: null, remainingCostUsd: null },
      breakers: [],
      breakersLeftOut: 0,
      httpSessions: null,
      rateLimit: null,
    });
    expect(textOf(result)).toBe(
      'session: 0 calls, 0 tokens, $0.000000\nserver: 0 calls, 0 tokens, $0.000000\ncircuits: all closed',
    );
  });

  it('reports tokens and cost by model, the session budget left, breakers and the latest rate limits', async () => {
    const harness = await start({ tools: { guards: { sessionBudget: { maxTokens: 100_000, maxCostUsd: 1 } } } });
    await harness.call('openai_chat', hello);
    await harness.call('openai_chat', { ...hello, model: 'gpt-4.1-mini' });
    const result = await harness.call('openai_usage_report', {});
    const report = result.structuredContent as {
      session: { requests: number; tokens: number; costUsd: number; remainingTokens: number; remainingCostUsd: number };
      total: { requests: number; totalTokens: number; costUsd: number };
      byModel: { model: string; requests: number }[];
      breakers: { key: string; state: string }[];
      rateLimit: { requests: { limit: number; remaining: number }; observedAt: string };
    };
    expect(report.session.requests).toBe(2);
    expect(report.session.tokens).toBe(report.total.totalTokens);
    expect(report.session.remainingTokens).toBe(100_000 - report.session.tokens);
    expect(report.session.remainingCostUsd).toBeCloseTo(1 - report.session.costUsd, 10);
    expect(report.total.requests).toBe(2);
    expect(report.byModel.map((entry) => entry.model).sort()).toEqual(['gpt-4.1-mini', 'gpt-4o-mini']);
    expect(report.breakers).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'chat:gpt-4o-mini', state: 'closed' })]),
    );
    expect(report.rateLimit.requests.limit).toBeGreaterThan(0);
    expect(report.rateLimit.observedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(textOf(result)).toMatch(
      /^session: 2 calls, \d+ tokens, \$\d\.\d+; left: \d+ tokens, \$0\.\d+\nserver: 2 calls/,
    );
    expect(textOf(result)).toMatch(/\ncircuits: all closed\nrate limit: \d+ requests and \d+ tokens left/);
  });

  it('shows an open circuit and how long until calls are tried again', async () => {
    const harness = await start({
      operations: {
        transport: { breaker: { consecutiveFailures: 1, openDurationMs: 60_000 }, retry: { jitter: 'none' } },
      },
    });
    harness.simulator.enqueue('chat.completions', { type: 'status', status: 503 });
    await harness.call('openai_chat', hello);
    const result = await harness.call('openai_usage_report', {});
    expect((result.structuredContent as { breakers: unknown[] }).breakers).toEqual([
      {
        key: 'chat:gpt-4o-mini',
        state: 'open',
        calls: expect.any(Number) as unknown,
        failures: expect.any(Number) as unknown,
        consecutiveFailures: expect.any(Number) as unknown,
        retryAfterMs: 60_000,
      },
    ]);
    expect(textOf(result)).toMatch(/circuits: chat:gpt-4o-mini open/);
  });

  it('counts each session on its own when servers share a ledger', async () => {
    const harness = await start();
    const other = await createHarness();
    try {
      await harness.call('openai_chat', hello);
      const report = await other.call('openai_usage_report', {});
      expect((report.structuredContent as { session: { requests: number } }).session.requests).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('openai_usage_report with many breakers', () => {
  it('lists at most 20 breakers, open ones first, and says how many were left out', async () => {
    const harness = await createHarness({
      operations: {
        transport: {
          retry: { jitter: 'none', maxRetries: 0 },
          attemptTimeoutMs: 600_000,
          breaker: { consecutiveFailures: 1 },
        },
      },
    });
    try {
      for (let index = 0; index < 30; index += 1) {
        await harness.call('openai_chat', {
          messages: [{ role: 'user', content: 'Hi' }],
          model: `gpt-4o-mini-${index}`,
        });
      }
      harness.simulator.enqueue('chat.completions', { type: 'status', status: 500 });
      await harness.call('openai_chat', { messages: [{ role: 'user', content: 'Hi' }], model: 'gpt-4o-mini-31' });
      const result = await harness.call('openai_usage_report', {});
      const report = result.structuredContent as {
        breakers: { key: string; state: string }[];
        breakersLeftOut: number;
      };
      expect(report.breakers).toHaveLength(20);
      expect(report.breakersLeftOut).toBe(11);
      expect(report.breakers[0]).toMatchObject({ key: 'chat:gpt-4o-mini-31', state: 'open' });
      expect(textOf(result)).toContain('(11 more breakers not listed)');
    } finally {
      await harness.close();
    }
  });
});
