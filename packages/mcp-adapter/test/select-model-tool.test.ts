import { describe, expect, it } from 'vitest';
import { errorFieldsOf, textOf, useHarness } from './support/harness.ts';

const start = useHarness();

describe('openai_select_model', () => {
  it('chooses the cheapest model that fits and says why, without calling the API', async () => {
    const harness = await start();
    const result = await harness.call('openai_select_model', { promptTokens: 3_000, outputTokens: 1_000, tools: true });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      model: expect.any(String) as unknown,
      reason: expect.stringMatching(/^cheapest of \d+ fitting models/) as unknown,
      contextWindow: expect.any(Number) as unknown,
      tools: true,
      price: { inputPerMillionUsd: expect.any(Number) as unknown, outputPerMillionUsd: expect.any(Number) as unknown },
      alternatives: expect.any(Array) as unknown,
      rejected: expect.arrayContaining([
        expect.objectContaining({ model: 'text-embedding-3-small', reason: 'a embedding model' }),
      ]) as unknown,
    });
    const model = (result.structuredContent as { model: string }).model;
    expect(textOf(result)).toMatch(new RegExp(`^${model}: cheapest of`));
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it('honours the preference, the kind and the exclusions', async () => {
    const harness = await start();
    const largest = await harness.call('openai_select_model', {
      prefer: 'largest-context',
      reasoning: false,
      inputModalities: ['image'],
      structuredOutput: true,
      exclude: ['gpt-4.1'],
    });
    expect((largest.structuredContent as { model: string }).model).toMatch(/^gpt-4\.1-/);
    const embedding = await harness.call('openai_select_model', {
      kind: 'embedding',
      promptTokens: 100,
      outputTokens: 0,
    });
    expect((embedding.structuredContent as { model: string }).model).toBe('text-embedding-3-small');
  });

  it('chooses only among the allowed models', async () => {
    const harness = await start({ tools: { guards: { allowedModels: ['gpt-4o', 'gpt-4.1'] } } });
    const result = await harness.call('openai_select_model', { prefer: 'cheapest' });
    expect((result.structuredContent as { model: string }).model).toBe('gpt-4.1');
    expect((result.structuredContent as { rejected: { model: string; reason: string }[] }).rejected).toContainEqual({
      model: 'gpt-4o-mini',
      reason: 'not in the allow-list',
    });
  });

  it('explains why no model fits', async () => {
    const harness = await start();
    const result = await harness.call('openai_select_model', { promptTokens: 5_000_000 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^no model meets the requirements: .*gpt-4o-mini \(needs 5000000 tokens, context window is 128000\).*; fix the arguments and call again$/,
    );
    expect(errorFieldsOf(result)).toMatchObject({ tag: 'ValidationError' });
  });
});
