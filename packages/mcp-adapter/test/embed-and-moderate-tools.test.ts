import { describe, expect, it } from 'vitest';
import { errorFieldsOf, textOf, useHarness } from './support/harness.ts';

const start = useHarness();

describe('openai_embed', () => {
  it('returns one vector per text in input order, with usage and cost', async () => {
    const harness = await start();
    const result = await harness.call('openai_embed', { input: ['first text', 'second text'], dimensions: 64 });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as {
      model: string;
      dimensions: number;
      embeddings: number[][];
      usage: { totalTokens: number };
      costUsd: number;
      requestId: string;
    };
    expect(answer).toMatchObject({
      model: expect.stringMatching(/^text-embedding-3-small/) as unknown,
      dimensions: 64,
      costUsd: expect.any(Number) as unknown,
      requestId: expect.stringMatching(/^req_/) as unknown,
    });
    expect(answer.embeddings).toHaveLength(2);
    expect(answer.embeddings[0]).toHaveLength(64);
    expect(answer.usage.totalTokens).toBeGreaterThan(0);
    expect(textOf(result)).toMatch(
      /^Embedded 2 texts with text-embedding-3-small: 64 dimensions each, \d+ tokens, \$\d\.\d+\. The vectors are in the structured result/,
    );
    expect(harness.simulator.requests[0]?.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      dimensions: 64,
    });
  });

  it('counts its usage against the session', async () => {
    const harness = await start();
    await harness.call('openai_embed', { input: 'one text' });
    const report = await harness.call('openai_usage_report', {});
    expect((report.structuredContent as { session: { requests: number; tokens: number } }).session).toMatchObject({
      requests: 1,
      tokens: expect.any(Number) as unknown,
    });
  });

  it('uses an allowed embedding model by default and refuses others', async () => {
    const harness = await start({ tools: { guards: { allowedModels: ['gpt-4o-mini', 'text-embedding-3-large'] } } });
    await harness.call('openai_embed', { input: 'text' });
    expect(harness.simulator.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-large' });
    const refused = await harness.call('openai_embed', { input: 'text', model: 'text-embedding-3-small' });
    expect(textOf(refused)).toMatch(/^invalid argument model: text-embedding-3-small is not allowed on this server/);
  });

  it('refuses its default model when only chat models are allowed', async () => {
    const harness = await start({ tools: { guards: { allowedModels: ['gpt-4o-mini'] } } });
    const refused = await harness.call('openai_embed', { input: 'text' });
    expect(textOf(refused)).toMatch(
      /^invalid argument model: text-embedding-3-small is not allowed on this server; use one of gpt-4o-mini/,
    );
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it('refuses texts over the per-call token budget before sending them', async () => {
    const harness = await start({ tools: { guards: { callBudget: { maxTokens: 5 } } } });
    const result = await harness.call('openai_embed', {
      input: 'a text that is clearly longer than five tokens of budget',
    });
    expect(textOf(result)).toMatch(/^per-call budget exceeded/);
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it('refuses texts over what is left of a session cost budget, as a session refusal', async () => {
    const harness = await start({ tools: { guards: { sessionBudget: { maxCostUsd: 0.0000001 } } } });
    const result = await harness.call('openai_embed', { input: 'many words '.repeat(50) });
    expect(errorFieldsOf(result)).toMatchObject({ tag: 'BudgetExceededError', scope: 'session', unit: 'usd' });
  });

  it('refuses a cost budget check for a model without a price', async () => {
    const harness = await start({ tools: { guards: { callBudget: { maxCostUsd: 1 } } } });
    const result = await harness.call('openai_embed', { input: 'text', model: 'my-custom-embedder' });
    expect(textOf(result)).toMatch(/^per-call budget exceeded/);
    expect(errorFieldsOf(result)).toMatchObject({ unit: 'usd', requested: 0 });
  });

  it('reports an empty text and API failures as tool errors', async () => {
    const harness = await start();
    const empty = await harness.call('openai_embed', { input: [''] });
    expect(textOf(empty)).toMatch(/^invalid argument input\[0\]: must not be empty; fix the arguments/);
    harness.simulator.enqueue('embeddings', { type: 'rate-limit', retryAfterMs: 2_500 });
    const limited = await harness.call('openai_embed', { input: 'text' });
    expect(textOf(limited)).toBe('rate limited: retry after 3 s');
  });
});

describe('openai_moderate', () => {
  it('returns the verdict per text with the flagged categories and scores', async () => {
    const harness = await start();
    const result = await harness.call('openai_moderate', { input: ['a friendly greeting', 'I will kill you'] });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as {
      model: string;
      flagged: boolean;
      results: { flagged: boolean; flaggedCategories: string[]; scores: Record<string, number> }[];
    };
    expect(answer.results).toHaveLength(2);
    expect(answer.results[0]?.flagged).toBe(false);
    expect(answer.results[0]?.scores['harassment']).toEqual(expect.any(Number));
    expect(textOf(result)).toMatch(/^(Flagged|Nothing flagged) by omni-moderation/);
    expect(textOf(result)).toMatch(/\n1: not flagged\n2: /);
  });

  it('flags a text the moderation model flags', async () => {
    const harness = await start({ simulator: { moderationTerms: { violence: ['smash'] } } });
    const result = await harness.call('openai_moderate', { input: 'I will smash it' });
    expect(result.structuredContent).toMatchObject({
      flagged: true,
      results: [{ flagged: true, flaggedCategories: expect.arrayContaining(['violence']) as unknown }],
    });
    expect(textOf(result)).toMatch(/^Flagged by .*\n1: flagged \(.*violence/);
  });

  it('names the moderation model under an allow-list and reports failures', async () => {
    const harness = await start({ tools: { guards: { allowedModels: ['omni-moderation-latest'] } } });
    harness.simulator.enqueue('moderations', { type: 'status', status: 500 });
    const failed = await harness.call('openai_moderate', { input: 'text' });
    expect(textOf(failed)).toMatch(/^OpenAI server error \(HTTP 500\)/);
    expect(harness.simulator.requests[0]?.body).toMatchObject({ model: 'omni-moderation-latest' });
    const refused = await harness.call('openai_moderate', { input: 'text', model: 'text-moderation-stable' });
    expect(textOf(refused)).toMatch(/is not allowed on this server/);
  });
});
