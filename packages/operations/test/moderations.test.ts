import { describe, expect, it } from 'vitest';
import { moderationCategories } from '../src/index.ts';
import { useHarness } from './support/harness.ts';

const start = useHarness();

describe('moderations.create', () => {
  it('returns typed categories, scores and the flagged ones per input', async () => {
    const { operations, simulator } = await start();
    const { value, meta } = (
      await operations.moderations.create({ input: ['I will kill the process and attack the bug', 'A calm sentence'] })
    )._unsafeUnwrap();
    expect(value.flagged).toBe(true);
    expect(value.model).toBe('omni-moderation-latest');
    expect(value.id).toMatch(/^modr-/);
    const [violent, calm] = value.results;
    expect(violent?.flaggedCategories).toEqual(['violence']);
    expect(violent?.categories.violence).toBe(true);
    expect(violent?.categories['self-harm']).toBe(false);
    expect(violent?.scores.violence).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(violent?.scores ?? {})).toEqual([...moderationCategories]);
    expect(calm).toMatchObject({ flagged: false, flaggedCategories: [] });
    expect(calm?.scores.hate).toBeLessThan(0.01);
    expect(violent?.appliedInputTypes.violence).toEqual(['text']);
    expect(meta).toMatchObject({
      operation: 'moderations.create',
      model: 'omni-moderation-latest',
      usage: null,
      costUsd: null,
    });
    expect(simulator.requests[0]?.body).toEqual({
      model: 'omni-moderation-latest',
      input: ['I will kill the process and attack the bug', 'A calm sentence'],
    });
  });

  it('judges text and image parts together', async () => {
    const { operations } = await start();
    const input = [
      { type: 'text' as const, text: 'some gore here' },
      { type: 'image_url' as const, image_url: { url: 'https://example.com/a.png' } },
    ];
    const { value } = (await operations.moderations.create({ input }))._unsafeUnwrap();
    expect(value.results).toHaveLength(1);
    expect(value.results[0]?.flaggedCategories).toEqual(['violence/graphic']);
    expect(value.results[0]?.appliedInputTypes['violence/graphic']).toEqual(['text', 'image']);
  });

  it('treats a category the model leaves out as not flagged with score 0', async () => {
    const body = {
      id: 'modr-1',
      model: '',
      results: [
        {
          flagged: false,
          categories: { hate: false, illicit: null },
          category_scores: { hate: 0.001 },
          category_applied_input_types: null,
        },
      ],
    };
    const { operations } = await start({
      operations: {
        fetch: () =>
          Promise.resolve(
            new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
          ),
      },
    });
    const { value, meta } = (
      await operations.moderations.create({ input: 'text', model: 'text-moderation-stable' })
    )._unsafeUnwrap();
    expect(value.model).toBe('text-moderation-stable');
    expect(meta.model).toBe('text-moderation-stable');
    expect(value.results[0]?.categories.illicit).toBe(false);
    expect(value.results[0]?.scores.violence).toBe(0);
    expect(value.results[0]?.scores.hate).toBe(0.001);
    expect(value.results[0]?.appliedInputTypes).toEqual({});
  });

  it('refuses empty input before any request', async () => {
    const { operations, simulator } = await start();
    expect((await operations.moderations.create({ input: '' }))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'input' }],
    });
    expect((await operations.moderations.create({ input: [] }))._unsafeUnwrapErr()._tag).toBe('ValidationError');
    expect(simulator.requests).toHaveLength(0);
  });
});
