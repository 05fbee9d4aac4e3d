import { createTestClock } from '@openai-integration/testkit';
import { describe, expect, it } from 'vitest';
import { createModelRegistry } from '../src/index.ts';
import { type Harness, useHarness } from './support/harness.ts';

const start = useHarness();

const listRequests = (started: Harness) =>
  started.simulator.requests.filter((request) => request.operation === 'models.list');

describe('models.list', () => {
  it('lists every model the endpoint serves with what the registry knows', async () => {
    const { operations } = await start();
    const { value, meta } = (await operations.models.list())._unsafeUnwrap();
    expect(value.total).toBe(14);
    expect(value.fromCache).toBe(false);
    expect(value.models.map((model) => model.id)).toEqual([...value.models.map((model) => model.id)].sort());
    expect(value.models.find((model) => model.id === 'gpt-4o-mini')).toMatchObject({
      ownedBy: 'system',
      created: 1721172741,
      descriptor: { kind: 'chat', tools: true },
    });
    expect(value.models.find((model) => model.id === 'text-embedding-ada-002')?.descriptor).toBeUndefined();
    expect(meta).toMatchObject({
      operation: 'models.list',
      attempts: 1,
      requestId: expect.stringMatching(/^req_/) as unknown,
    });
  });

  it('filters by prefix, pattern, owner, creation time and capabilities, and sorts', async () => {
    const { operations } = await start();
    const ids = async (filter: Parameters<typeof operations.models.list>[0]) =>
      (await operations.models.list(filter))._unsafeUnwrap().value.models.map((model) => model.id);
    expect(await ids({ prefix: 'gpt-4.1' })).toEqual(['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano']);
    expect(await ids({ pattern: /^o\d/g })).toEqual(['o3-mini', 'o4-mini']);
    expect(await ids({ ownedBy: 'openai-internal' })).toEqual(['text-embedding-ada-002']);
    expect(await ids({ ownedBy: ['openai-internal', 'nobody'] })).toEqual(['text-embedding-ada-002']);
    expect(await ids({ createdAfter: new Date('2025-08-01'), sortBy: 'created', order: 'desc' })).toEqual([
      'gpt-5-nano',
      'gpt-5-mini',
      'gpt-5',
    ]);
    expect(await ids({ createdBefore: new Date('2024-01-01') })).toEqual(['text-embedding-ada-002']);
    expect(await ids({ kind: 'embedding' })).toEqual(['text-embedding-3-large', 'text-embedding-3-small']);
    expect(await ids({ reasoning: true, inputModalities: ['image'], prefix: 'o' })).toEqual(['o4-mini']);
    expect(await ids({ tools: true, structuredOutput: true, reasoning: false, prefix: 'gpt-4o' })).toEqual([
      'gpt-4o',
      'gpt-4o-mini',
    ]);
    expect(await ids({ kind: 'moderation', tools: false })).toEqual(['omni-moderation-latest']);
  });

  it('serves the cached list for five minutes, then fetches it again', async () => {
    const clock = createTestClock({ instantUpToMs: 300_000 });
    const started = await start({ clock });
    (await started.operations.models.list())._unsafeUnwrap();
    const cached = (await started.operations.models.list({ prefix: 'gpt-5' }))._unsafeUnwrap();
    expect(cached.value).toMatchObject({ fromCache: true, total: 14 });
    expect(cached.value.models).toHaveLength(3);
    expect(cached.meta).toMatchObject({ attempts: 0, latencyMs: 0 });
    expect(listRequests(started)).toHaveLength(1);
    await clock.sleep(300_000);
    expect((await started.operations.models.list())._unsafeUnwrap().value.fromCache).toBe(false);
    expect(listRequests(started)).toHaveLength(2);
    expect((await started.operations.models.list({}, { maxAgeMs: 0 }))._unsafeUnwrap().value.fromCache).toBe(false);
    expect(listRequests(started)).toHaveLength(3);
  });

  it('refreshes the registry so that selection skips models the endpoint does not serve', async () => {
    const registry = createModelRegistry();
    const started = await start({ operations: { models: registry } });
    expect(started.operations.models.registry).toBe(registry);
    expect(registry.get('o3')?.available).toBeUndefined();
    (await started.operations.models.list())._unsafeUnwrap();
    expect(registry.get('text-embedding-ada-002')).toBeUndefined();
    const refreshed = (await started.operations.models.list({ kind: 'embedding' }, { refresh: true }))._unsafeUnwrap();
    expect(refreshed.value.fromCache).toBe(false);
    expect(registry.get('o3')?.available).toBe(false);
    expect(registry.get('gpt-5')?.available).toBe(true);
    expect(refreshed.value.models.map((model) => model.id)).toEqual([
      'text-embedding-3-large',
      'text-embedding-3-small',
      'text-embedding-ada-002',
    ]);
    expect(registry.get('text-embedding-ada-002')).toMatchObject({ kind: 'embedding', available: true });
    expect(
      started.operations.models.select({ allow: ['o3', 'o4-mini'], reasoning: true })._unsafeUnwrap().model.id,
    ).toBe('o4-mini');
  });

  it('rejects a bad filter before any request', async () => {
    const started = await start();
    const bad = [
      { prefix: 3 },
      { pattern: 'gpt' },
      { createdAfter: new Date('not a date') },
      { createdBefore: '2024-01-01' },
      { sortBy: 'price' },
      { order: 'up' },
    ] as unknown as Parameters<typeof started.operations.models.list>[0][];
    for (const filter of bad)
      expect((await started.operations.models.list(filter))._unsafeUnwrapErr()._tag).toBe('ValidationError');
    expect((await started.operations.models.list({}, { maxAgeMs: -1 }))._unsafeUnwrapErr().message).toMatch(/maxAgeMs/);
    expect(started.simulator.requests).toHaveLength(0);
  });

  it('reports a list without model ids as malformed', async () => {
    const body = { object: 'list', data: [{ object: 'model', created: 1 }] };
    const started = await start({
      operations: {
        fetch: () =>
          Promise.resolve(
            new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
          ),
      },
    });
    expect((await started.operations.models.list())._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
    });
    expect((await started.operations.models.retrieve('gpt-4o'))._unsafeUnwrapErr()._tag).toBe('MalformedResponseError');
  });

  it('keeps models with a missing date or owner', async () => {
    const body = { object: 'list', data: [{ id: 'local-model', object: 'model' }] };
    const started = await start({
      operations: {
        fetch: () =>
          Promise.resolve(
            new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
          ),
      },
    });
    expect((await started.operations.models.list())._unsafeUnwrap().value.models).toEqual([
      { id: 'local-model', created: 0, ownedBy: '', descriptor: undefined },
    ]);
  });

  it('returns the error of a failed fetch and caches nothing', async () => {
    const started = await start();
    started.simulator.enqueue('models.list', { type: 'status', status: 401 });
    expect((await started.operations.models.list())._unsafeUnwrapErr()._tag).toBe('AuthenticationError');
    expect((await started.operations.models.list())._unsafeUnwrap().value.fromCache).toBe(false);
  });
});

describe('models.retrieve', () => {
  it('retrieves one model, maps an unknown one to NotFoundError and refuses a malformed id', async () => {
    const { operations, simulator } = await start();
    expect((await operations.models.retrieve('gpt-4.1-mini'))._unsafeUnwrap().value).toMatchObject({
      id: 'gpt-4.1-mini',
      ownedBy: 'system',
      descriptor: { contextWindow: 1_047_576 },
    });
    expect((await operations.models.retrieve('gpt-unknown'))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'NotFoundError',
      status: 404,
    });
    expect((await operations.models.retrieve('../files'))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'modelId' }],
    });
    expect(simulator.requests).toHaveLength(2);
  });
});
