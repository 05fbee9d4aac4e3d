import { describe, expect, it } from 'vitest';
import { createUsageTracker } from './create-usage-tracker.ts';

const usage = (inputTokens: number, outputTokens: number, cachedInputTokens = 0, reasoningTokens = 0) => ({
  inputTokens,
  outputTokens,
  cachedInputTokens,
  reasoningTokens,
  totalTokens: inputTokens + outputTokens,
});

describe('createUsageTracker', () => {
  it('sums requests and tokens by model and by operation', () => {
    const tracker = createUsageTracker();
    tracker.record({ model: 'gpt-4o-mini', operation: 'chat.create', usage: usage(100, 50, 20, 0) });
    tracker.record({ model: 'gpt-4o-mini', operation: 'chat.stream', usage: usage(10, 5) });
    tracker.record({ model: 'o4-mini', operation: 'chat.create', usage: usage(1, 2, 0, 1) });
    const report = tracker.report();
    expect(report.total).toMatchObject({
      requests: 3,
      inputTokens: 111,
      outputTokens: 57,
      cachedInputTokens: 20,
      reasoningTokens: 1,
      totalTokens: 168,
    });
    expect(report.byModel['gpt-4o-mini']).toMatchObject({ requests: 2, inputTokens: 110 });
    expect(report.byOperation['chat.create']).toMatchObject({ requests: 2, outputTokens: 52 });
  });

  it('prices usage per million tokens, cached input at the cached price', () => {
    const tracker = createUsageTracker();
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million.
    const recorded = tracker.record({
      model: 'gpt-4o-mini',
      operation: 'chat.create',
      usage: usage(1_000_000, 1_000_000, 400_000),
    });
    const cost = tracker.report().byModel['gpt-4o-mini']?.costUsd ?? Number.NaN;
    expect(cost).toBeCloseTo(0.6 * 0.15 + 0.4 * 0.075 + 0.6, 10);
    // record says what it priced the call at.
    expect(recorded).toBe(cost);
  });

  it('keeps money exact: costs are whole nano-dollars inside, so they print as the decimal they are', () => {
    const tracker = createUsageTracker();
    const usage = { inputTokens: 100, cachedInputTokens: 0, outputTokens: 6, reasoningTokens: 0, totalTokens: 106 };
    expect(tracker.record({ model: 'gpt-4.1-mini', operation: 'chat.create', usage })).toBe(0.0000496);
    for (let call = 1; call < 10; call += 1) tracker.record({ model: 'gpt-4.1-mini', operation: 'chat.create', usage });
    expect(String(tracker.report().total.costUsd)).toBe('0.000496');
    expect(
      String(
        tracker.costOf('gpt-4.1-mini', {
          inputTokens: 12,
          cachedInputTokens: 0,
          outputTokens: 7,
          reasoningTokens: 0,
          totalTokens: 19,
        }),
      ),
    ).toBe('0.000016');
    const budgeted = createUsageTracker({ budget: { maxCostUsd: 0.0003 } });
    for (let call = 0; call < 6; call += 1) budgeted.record({ model: 'gpt-4.1-mini', operation: 'chat.create', usage });
    expect(String(budgeted.remaining().costUsd)).toBe('0.0000024');
  });

  it('prices a dated snapshot at its base model price', () => {
    const tracker = createUsageTracker();
    expect(tracker.costOf('gpt-4o-2024-08-06', usage(1_000_000, 0))).toBeCloseTo(2.5, 10);
  });

  it('reports the cost of an unknown model as unknown, never as zero', () => {
    const tracker = createUsageTracker();
    tracker.record({ model: 'gpt-4o-mini', operation: 'chat.create', usage: usage(10, 10) });
    expect(tracker.record({ model: 'my-finetune', operation: 'chat.create', usage: usage(10, 10) })).toBeNull();
    const report = tracker.report();
    expect(report.byModel['my-finetune']?.costUsd).toBeNull();
    expect(report.total.costUsd).toBeNull();
    expect(report.unpricedModels).toEqual(['my-finetune']);
    expect(report.byModel['gpt-4o-mini']?.costUsd).toBeGreaterThan(0);
  });

  it('uses prices given in options over the bundled table', () => {
    const tracker = createUsageTracker({ prices: { 'my-finetune': { input: 1, output: 2 } } });
    expect(tracker.costOf('my-finetune', usage(1_000_000, 1_000_000))).toBeCloseTo(3, 10);
  });

  it('counts estimated usage separately and can be reset', () => {
    const tracker = createUsageTracker();
    tracker.record({ model: 'gpt-4o-mini', operation: 'chat.stream', usage: usage(5, 5), estimated: true });
    expect(tracker.report().total.estimatedRequests).toBe(1);
    tracker.reset();
    expect(tracker.report().total.requests).toBe(0);
    expect(tracker.entries()).toEqual([]);
  });

  it('exports entries and totals as JSON, keeping only the most recent entries', () => {
    const tracker = createUsageTracker({ keepEntries: 2 });
    for (let index = 0; index < 5; index += 1)
      tracker.record({ model: 'gpt-4o-mini', operation: `op-${index}`, usage: usage(1, 1) });
    expect(tracker.entries().map((entry) => entry.operation)).toEqual(['op-3', 'op-4']);
    const exported = JSON.parse(tracker.exportJson()) as { total: { requests: number }; entries: unknown[] };
    expect(exported.total.requests).toBe(5);
    expect(exported.entries).toEqual(tracker.entries());
    tracker.record({ model: 'gpt-4o-mini', operation: 'op-5', usage: usage(1, 1) });
    expect(tracker.entries().map((entry) => entry.operation)).toEqual(['op-4', 'op-5']);
  });

  it('keeps no entries when asked for none', () => {
    const tracker = createUsageTracker({ keepEntries: 0 });
    tracker.record({ model: 'gpt-4o-mini', operation: 'op', usage: usage(1, 1) });
    expect(tracker.entries()).toEqual([]);
    expect(tracker.report().total.requests).toBe(1);
  });

  it.each([-3, 2.5, Number.NaN])('throws a TypeError that names keepEntries for %s', (keepEntries) => {
    expect(() => createUsageTracker({ keepEntries })).toThrow(/^keepEntries must be a whole number >= 0/);
  });

  it('refuses a call that would pass the tracker token budget', () => {
    const tracker = createUsageTracker({ budget: { maxTokens: 100 } });
    tracker.record({ model: 'gpt-4o-mini', operation: 'chat.create', usage: usage(40, 40) });
    expect(tracker.checkBudget({ model: 'gpt-4o-mini', estimatedInputTokens: 10, maxOutputTokens: 10 }).isOk()).toBe(
      true,
    );
    const refused = tracker.checkBudget({ model: 'gpt-4o-mini', estimatedInputTokens: 10, maxOutputTokens: 20 });
    expect(refused._unsafeUnwrapErr()).toMatchObject({
      _tag: 'BudgetExceededError',
      unit: 'tokens',
      scope: 'tracker',
      limit: 100,
      used: 80,
      requested: 30,
      retryable: false,
    });
    expect(tracker.remaining()).toEqual({ tokens: 20, costUsd: null });
  });

  it('refuses a call over its own budget before the tracker budget', () => {
    const tracker = createUsageTracker();
    const refused = tracker.checkBudget({
      model: 'gpt-4o-mini',
      estimatedInputTokens: 50,
      maxOutputTokens: 100,
      callBudget: { maxTokens: 120 },
    });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ _tag: 'BudgetExceededError', scope: 'call', requested: 150 });
  });

  it('refuses a cost budget it cannot check for an unpriced model, and one that would be passed', () => {
    const tracker = createUsageTracker({ budget: { maxCostUsd: 0.001 } });
    expect(tracker.checkBudget({ model: 'mystery', estimatedInputTokens: 1 })._unsafeUnwrapErr().message).toMatch(
      /price of model mystery is unknown/,
    );
    // gpt-4o: 10,000 output tokens cost $0.10.
    const refused = tracker.checkBudget({ model: 'gpt-4o', estimatedInputTokens: 10, maxOutputTokens: 10_000 });
    expect(refused._unsafeUnwrapErr()).toMatchObject({ unit: 'usd', scope: 'tracker' });
    expect(tracker.checkBudget({ model: 'gpt-4o-mini', estimatedInputTokens: 10, maxOutputTokens: 10 }).isOk()).toBe(
      true,
    );
    expect(tracker.remaining().costUsd).toBe(0.001);
  });
});
