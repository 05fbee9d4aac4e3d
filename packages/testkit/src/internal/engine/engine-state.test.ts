import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions, toSimulatedModel } from './engine-state.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('resolveOptions', () => {
  it('fills in every default', () => {
    const resolved = resolveOptions({});
    expect(resolved).toMatchObject({
      seed: 0,
      replyTokens: { min: 12, max: 40 },
      progressOnRetrieve: true,
      progressStepMs: null,
      rateLimit: { requestsPerMinute: 10_000, tokensPerMinute: 30_000_000 },
    });
    expect(resolved.models.map((model) => model.id)).toContain('gpt-4o-mini');
    expect(resolveOptions({ replyTokens: 5 }).replyTokens).toEqual({ min: 5, max: 5 });
  });

  it('throws a TypeError for nonsense options', () => {
    expect(() => resolveOptions({ replyTokens: 0 })).toThrow(TypeError);
    expect(() => resolveOptions({ replyTokens: { min: 5, max: 2 } })).toThrow(TypeError);
    expect(() => resolveOptions({ rateLimit: { requestsPerMinute: 0 } })).toThrow(TypeError);
  });

  it('defaults to the openai profile and names the profiles when given an unknown one', () => {
    expect(resolveOptions({}).profile).toBe('openai');
    // A JavaScript caller (or a configuration file) can pass any string.
    const profile = 'ollama' as unknown as 'compatible';
    expect(() => resolveOptions({ profile })).toThrow(
      new TypeError("Unknown profile 'ollama': expected one of 'openai', 'azure', 'compatible'."),
    );
  });

  it("resolves the azure settings: deployments' models join the catalogue, the filter lower-cased or off", () => {
    const resolved = resolveOptions({
      profile: 'azure',
      azure: { deployments: { chat: 'gpt-4o-2024-08-06' }, contentFilter: { hate: ['Grr'] }, entraTokens: ['t'] },
    });
    expect(resolved.models.at(-1)).toMatchObject({ id: 'gpt-4o-2024-08-06', kind: 'chat' });
    expect(resolved.azure.contentFilter).toEqual(new Map([['hate', ['grr']]]));
    expect(resolved.azure.entraTokens).toEqual(new Set(['t']));
    expect(resolveOptions({ azure: { contentFilter: false } }).azure.contentFilter.size).toBe(0);
    expect(resolveOptions({}).azure.contentFilter.get('violence')).toEqual(['murder']);
  });

  it('waits with setTimeout by default, and stops waiting when the signal aborts', async () => {
    vi.useFakeTimers();
    const { sleep } = resolveOptions({});
    let done = false;
    const waiting = sleep(500, new AbortController().signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
    const controller = new AbortController();
    const aborted = sleep(60_000, controller.signal);
    controller.abort();
    await aborted;
    await sleep(60_000, controller.signal);
  });
});

describe('toSimulatedModel', () => {
  it('infers the kind and reasoning of a bare id', () => {
    expect(toSimulatedModel('text-embedding-x')).toMatchObject({ kind: 'embedding', dimensions: 1536 });
    expect(toSimulatedModel('omni-moderation-2')).toMatchObject({ kind: 'moderation' });
    expect(toSimulatedModel('o1')).toMatchObject({ kind: 'chat', reasoning: true });
    expect(toSimulatedModel('gpt-4o-custom')).toMatchObject({ kind: 'chat', reasoning: false });
  });
});
