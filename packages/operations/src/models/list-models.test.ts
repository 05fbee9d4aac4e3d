import { describe, expect, it } from 'vitest';
import { createModelRegistry } from './create-model-registry.ts';
import { checkModelFilter, listModels } from './list-models.ts';

const raw = [
  { id: 'gpt-4o', created: 300, owned_by: 'system' },
  { id: 'gpt-4o-mini', created: 100, owned_by: 'system' },
  { id: 'ft:gpt-4o-mini:acme::1', created: 200, owned_by: 'acme' },
];

describe('listModels', () => {
  it('sorts by id by default and by creation time when asked, ties broken by id in the same direction', () => {
    const registry = createModelRegistry();
    expect(listModels(raw, registry).map((model) => model.id)).toEqual([
      'ft:gpt-4o-mini:acme::1',
      'gpt-4o',
      'gpt-4o-mini',
    ]);
    expect(listModels(raw, registry, { sortBy: 'created' }).map((model) => model.created)).toEqual([100, 200, 300]);
    expect(
      listModels([...raw, { id: 'a', created: 300 }], registry, { sortBy: 'created', order: 'desc' }).map(
        (model) => model.id,
      ),
    ).toEqual(['gpt-4o', 'a', 'ft:gpt-4o-mini:acme::1', 'gpt-4o-mini']);
  });

  it('never matches a capability filter for a model the registry does not describe', () => {
    const registry = createModelRegistry();
    expect(listModels(raw, registry, { tools: true }).map((model) => model.id)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(listModels(raw, registry, { ownedBy: 'acme' })[0]).toMatchObject({
      id: 'ft:gpt-4o-mini:acme::1',
      descriptor: undefined,
    });
    expect(listModels(raw, registry, { tools: false })).toEqual([]);
    expect(listModels(raw, registry, { structuredOutput: false })).toEqual([]);
    expect(
      listModels([...raw, raw[0]!], registry, { prefix: 'gpt-4o', structuredOutput: true }).map((model) => model.id),
    ).toEqual(['gpt-4o', 'gpt-4o', 'gpt-4o-mini']);
  });

  it('uses a pattern with the global flag the same on every model', () => {
    const pattern = /mini/g;
    expect(listModels(raw, createModelRegistry(), { pattern }).map((model) => model.id)).toEqual([
      'ft:gpt-4o-mini:acme::1',
      'gpt-4o-mini',
    ]);
  });
});

describe('checkModelFilter', () => {
  it('accepts a good filter and names the field of a bad one', () => {
    expect(checkModelFilter({ prefix: 'gpt', sortBy: 'created', order: 'asc' }).isOk()).toBe(true);
    expect(checkModelFilter({ order: 'sideways' } as never)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'order' }],
    });
  });
});
