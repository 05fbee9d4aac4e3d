import { describe, expect, it } from 'vitest';
import { createModelRegistry } from './create-model-registry.ts';

describe('createModelRegistry', () => {
  it('selects the cheapest chat model that fits and says why', () => {
    const selection = createModelRegistry().select({ promptTokens: 2_000, outputTokens: 500 })._unsafeUnwrap();
    expect(selection.model.id).toBe('gpt-5-nano');
    expect(selection.reason).toMatch(/^cheapest of \d+ fitting models \(about \$/);
    expect(selection.alternatives[0]).toBe('gpt-4.1-nano');
    expect(selection.rejected.map((entry) => entry.id)).toContain('text-embedding-3-small');
  });

  it('honours capabilities, the context window and the allow-list', () => {
    const registry = createModelRegistry();
    const large = registry.select({ promptTokens: 600_000, outputTokens: 1_000 })._unsafeUnwrap();
    expect(large.model.id).toBe('gpt-4.1-nano');
    expect(large.rejected.find((entry) => entry.id === 'gpt-5')?.reason).toBe(
      'needs 601000 tokens, context window is 400000',
    );
    expect(
      registry
        .select({ reasoning: true, allow: ['gpt-4o', 'o4-mini', 'o3-mini'], inputModalities: ['image'] })
        ._unsafeUnwrap().model.id,
    ).toBe('o4-mini');
    expect(registry.select({ kind: 'embedding' })._unsafeUnwrap().model.id).toBe('text-embedding-3-small');
    expect(registry.select({ exclude: ['gpt-5-nano'] })._unsafeUnwrap().model.id).toBe('gpt-4.1-nano');
  });

  it('prefers the largest context or the most capable model when asked', () => {
    const registry = createModelRegistry();
    expect(registry.select({ prefer: 'largest-context' })._unsafeUnwrap().model.id).toBe('gpt-4.1-nano');
    const capable = registry.select({ prefer: 'most-capable' })._unsafeUnwrap();
    expect(capable.model.reasoning).toBe(true);
    expect(capable.reason).toMatch(/most capable .* \(reasoning\)/);
  });

  it('returns a ValidationError listing every model and its reason when nothing fits', () => {
    const result = createModelRegistry().select({ promptTokens: 2_000_000 });
    expect(result._unsafeUnwrapErr()).toMatchObject({ _tag: 'ValidationError', retryable: false });
    expect(result._unsafeUnwrapErr().message).toMatch(/^no model meets the requirements: gpt-5 \(needs 2000000 tokens/);
  });

  it('refreshes availability from the models endpoint and adds unknown models conservatively', () => {
    const registry = createModelRegistry();
    registry.refresh(['gpt-4o-mini', 'my-finetune', 'text-embedding-custom']);
    expect(registry.get('gpt-5')?.available).toBe(false);
    expect(registry.get('my-finetune')).toMatchObject({
      kind: 'chat',
      tools: false,
      contextWindow: 8_192,
      available: true,
    });
    expect(registry.get('text-embedding-custom')?.kind).toBe('embedding');
    expect(registry.select({ tools: true })._unsafeUnwrap().model.id).toBe('gpt-4o-mini');
    expect(registry.select({ allow: ['gpt-5'] })._unsafeUnwrapErr().issues).toContainEqual({
      path: 'gpt-5',
      message: 'not available at this endpoint',
      code: 'unfit_model',
    });
  });

  it('registers models and lists them', () => {
    const registry = createModelRegistry({ models: [] });
    expect(registry.select().isErr()).toBe(true);
    registry.register({
      id: 'local',
      contextWindow: 4_096,
      maxOutputTokens: 1_024,
      inputModalities: ['text'],
      tools: false,
      structuredOutput: false,
      reasoning: false,
      kind: 'chat',
    });
    expect(registry.list().map((model) => model.id)).toEqual(['local']);
    expect(registry.select({ outputTokens: 2_000 })._unsafeUnwrapErr().message).toMatch(/maximum is 1024/);
    expect(registry.select({ tools: true })._unsafeUnwrapErr().message).toMatch(/no tool calling/);
    expect(registry.select({ structuredOutput: true })._unsafeUnwrapErr().message).toMatch(/no structured output/);
    expect(registry.select({ reasoning: true })._unsafeUnwrapErr().message).toMatch(/not a reasoning model/);
    expect(registry.select({ inputModalities: ['audio'] })._unsafeUnwrapErr().message).toMatch(/no audio input/);
    expect(registry.select({ allow: [] })._unsafeUnwrapErr().message).toMatch(/not in the allow-list/);
  });
});
