import { describe, expect, it } from 'vitest';
import { errorFieldsOf, textOf, useHarness } from './support/harness.ts';

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };
const start = useHarness();

describe('guards of registerOpenAITools', () => {
  it('refuses a model outside the allow-list before any request, and uses the first allowed model by default', async () => {
    const harness = await start({ tools: { guards: { allowedModels: ['gpt-4.1-mini', 'gpt-4o-mini'] } } });
    const refused = await harness.call('openai_chat', { ...hello, model: 'gpt-5' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(
      'invalid argument model: gpt-5 is not allowed on this server; use one of gpt-4.1-mini, gpt-4o-mini; fix the arguments and call again',
    );
    expect(harness.simulator.requests).toHaveLength(0);
    const answered = await harness.call('openai_chat', hello);
    expect(harness.simulator.requests[0]?.body).toMatchObject({ model: 'gpt-4.1-mini' });
    expect(answered.isError).toBeFalsy();
  });

  it('uses the configured default model when one is given', async () => {
    const harness = await start({
      tools: { guards: { allowedModels: ['gpt-4.1-mini', 'gpt-4o-mini'], defaultModel: 'gpt-4o-mini' } },
    });
    await harness.call('openai_chat', hello);
    expect(harness.simulator.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('clamps max_output_tokens to the ceiling and says so in the result', async () => {
    const harness = await start({ tools: { guards: { maxOutputTokens: 20 } } });
    const result = await harness.call('openai_chat', { ...hello, max_output_tokens: 5_000 });
    expect(harness.simulator.requests[0]?.body).toMatchObject({ max_completion_tokens: 20 });
    expect(result.structuredContent).toMatchObject({ maxOutputTokens: 20, clampedFromMaxOutputTokens: 5_000 });
    expect(textOf(result)).toMatch(/max_output_tokens lowered from 5000 to 20\]$/);
  });

  it('sends the ceiling when the call names no output limit', async () => {
    const harness = await start({ tools: { guards: { maxOutputTokens: 64 } } });
    await harness.call('openai_chat', hello);
    expect(harness.simulator.requests[0]?.body).toMatchObject({ max_completion_tokens: 64 });
  });

  it('refuses a larger max_output_tokens under the refuse policy', async () => {
    const harness = await start({ tools: { guards: { maxOutputTokens: 20, outputTokenPolicy: 'refuse' } } });
    const result = await harness.call('openai_chat', { ...hello, max_output_tokens: 21 });
    expect(textOf(result)).toBe(
      'invalid argument max_output_tokens: must be at most 20 on this server (asked for 21); fix the arguments and call again',
    );
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it('refuses a call whose estimate exceeds the per-call budget', async () => {
    const harness = await start({ tools: { guards: { callBudget: { maxTokens: 50 } } } });
    const result = await harness.call('openai_chat', { ...hello, max_output_tokens: 100 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^per-call budget exceeded \(0 tokens used of 50 tokens, this call needs about \d+ tokens\): ask for less/,
    );
    expect(errorFieldsOf(result)).toMatchObject({ tag: 'BudgetExceededError', scope: 'call', unit: 'tokens' });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it('stops a session once its token budget is used up, and says so', async () => {
    const harness = await start({ tools: { guards: { sessionBudget: { maxTokens: 45 } } } });
    harness.simulator.enqueue('chat.completions', { type: 'reply', tokens: 40 });
    const first = await harness.call('openai_chat', hello);
    expect(first.isError).toBeFalsy();
    const second = await harness.call('openai_chat', hello);
    expect(second.isError).toBe(true);
    expect(textOf(second)).toMatch(
      /^session budget exceeded \(\d+ tokens used of 45 tokens, this call needs about 0 tokens\): do not retry in this session$/,
    );
    expect(errorFieldsOf(second)).toMatchObject({ scope: 'session', unit: 'tokens', limit: 45 });
    expect(harness.simulator.requests).toHaveLength(1);
  });

  it('refuses a call that would not fit what is left of the session budget', async () => {
    const harness = await start({ tools: { guards: { sessionBudget: { maxTokens: 400 } } } });
    harness.simulator.enqueue('chat.completions', { type: 'reply', tokens: 20 });
    await harness.call('openai_chat', hello);
    const result = await harness.call('openai_chat', { ...hello, max_output_tokens: 390 });
    expect(textOf(result)).toMatch(
      /^session budget exceeded \(\d+ tokens used of 400 tokens, this call needs about \d+ tokens\): do not retry in this session$/,
    );
    expect(harness.simulator.requests).toHaveLength(1);
  });

  it('stops a session once its cost budget is used up', async () => {
    const harness = await start({ tools: { guards: { sessionBudget: { maxCostUsd: 0.000001 } } } });
    harness.simulator.enqueue('chat.completions', { type: 'reply', tokens: 40 });
    await harness.call('openai_chat', hello);
    const second = await harness.call('openai_chat', hello);
    expect(errorFieldsOf(second)).toMatchObject({ scope: 'session', unit: 'usd' });
  });

  it('counts the tokens of a stream that broke off against the session', async () => {
    const harness = await start();
    harness.simulator.enqueue('chat.completions', { type: 'stream-cut', afterChunks: 6 });
    await harness.call('openai_chat', hello);
    const report = await harness.call('openai_usage_report', {});
    expect((report.structuredContent as { session: { requests: number; tokens: number } }).session).toMatchObject({
      requests: 1,
      tokens: expect.any(Number) as unknown,
    });
    expect((report.structuredContent as { session: { tokens: number } }).session.tokens).toBeGreaterThan(0);
  });

  it('states the limits in the tool descriptions', async () => {
    const harness = await start({
      tools: {
        guards: {
          allowedModels: ['gpt-4o-mini'],
          maxOutputTokens: 500,
          callBudget: { maxTokens: 2_000, maxCostUsd: 0.1 },
          sessionBudget: { maxCostUsd: 1 },
        },
      },
    });
    const { tools } = await harness.client.listTools();
    const chat = tools.find((tool) => tool.name === 'openai_chat');
    expect(chat?.description).toContain('Only these models are allowed: gpt-4o-mini.');
    expect(chat?.description).toContain('Without `model`, gpt-4o-mini is used.');
    expect(chat?.description).toContain(
      'Output is capped at 500 tokens: a larger max_output_tokens is lowered to 500 (clamped, and the result says so)',
    );
    expect(chat?.description).toContain('One call may use at most 2000 tokens and $0.1');
    expect(chat?.description).toContain('This session may use at most $1 in total');
  });

  it('says in the description when a larger output limit is refused', async () => {
    const harness = await start({ tools: { guards: { maxOutputTokens: 500, outputTokenPolicy: 'refuse' } } });
    const { tools } = await harness.client.listTools();
    expect(tools.find((tool) => tool.name === 'openai_chat')?.description).toContain(
      'a call with a larger max_output_tokens is refused with an error',
    );
  });
});
