import { describe, expect, it } from 'vitest';
import { errorFieldsOf, type Harness, textOf, useHarness } from './support/harness.ts';

const start = useHarness();

interface Listed {
  models: { id: string; created: string | null; ownedBy: string; kind: string | null; allowed: boolean }[];
  total: number;
  matching: number;
  fromCache: boolean;
}

describe('openai_list_models', () => {
  it('lists the endpoint models with what the catalogue knows of them', async () => {
    const harness = await start();
    const result = await harness.call('openai_list_models', {});
    const answer = result.structuredContent as Listed;
    expect(answer.total).toBeGreaterThan(3);
    expect(answer.matching).toBe(answer.total);
    expect(answer.fromCache).toBe(false);
    expect(answer.models.find((model) => model.id === 'gpt-4o-mini')).toMatchObject({
      kind: 'chat',
      allowed: true,
      created: expect.stringMatching(/^\d{4}-/) as unknown,
      ownedBy: expect.any(String) as unknown,
    });
    expect(textOf(result)).toMatch(/^\d+ of \d+ models match: /);
  });

  it('filters, sorts, limits, and serves a second listing from the cache', async () => {
    const harness = await start({ tools: { guards: { allowedModels: ['gpt-4o-mini'] } } });
    const result = await harness.call('openai_list_models', {
      prefix: 'gpt-4',
      kind: 'chat',
      tools: true,
      structuredOutput: true,
      reasoning: false,
      ownedBy: 'system',
      createdAfter: '2020-01-01',
      sortBy: 'id',
      order: 'desc',
      limit: 2,
    });
    const answer = result.structuredContent as Listed;
    expect(answer.models).toHaveLength(2);
    expect(answer.models.every((model) => model.id.startsWith('gpt-4'))).toBe(true);
    expect(answer.models[0]!.id > answer.models[1]!.id).toBe(true);
    expect(answer.matching).toBeGreaterThanOrEqual(2);
    expect(textOf(result)).toMatch(/\(first 2\)/);
    const again = await harness.call('openai_list_models', { prefix: 'gpt-4o-mini' });
    expect(again.structuredContent).toMatchObject({ fromCache: true, models: [{ id: 'gpt-4o-mini', allowed: true }] });
    const refreshed = await harness.call('openai_list_models', { prefix: 'o', refresh: true });
    expect((refreshed.structuredContent as Listed).fromCache).toBe(false);
    expect(textOf(refreshed)).toMatch(/not allowed here/);
    expect(harness.simulator.requests.filter((request) => request.path === '/v1/models')).toHaveLength(2);
  });

  it('refuses a bad date or limit and reports API failures', async () => {
    const harness = await start();
    expect(textOf(await harness.call('openai_list_models', { createdAfter: 'last week' }))).toBe(
      'invalid argument createdAfter: must be an ISO 8601 date such as 2025-01-01; fix the arguments and call again',
    );
    expect(textOf(await harness.call('openai_list_models', { limit: 0 }))).toMatch(
      /^invalid argument limit: must be from 1 to 500/,
    );
    harness.simulator.enqueue('models', { type: 'status', status: 401 });
    expect(errorFieldsOf(await harness.call('openai_list_models', { refresh: true }))).toMatchObject({
      tag: 'AuthenticationError',
    });
    expect(textOf(await harness.call('openai_list_models', { prefix: 'nothing-like-this' }))).toMatch(
      /^0 of \d+ models match: none$/,
    );
  });
});

async function upload(target: Harness, name: string): Promise<string> {
  const uploaded = await target.operations.files.upload({
    file: new TextEncoder().encode(`content of ${name}`),
    purpose: 'user_data',
    filename: name,
  });
  return uploaded._unsafeUnwrap().value.id;
}

interface Files {
  files: {
    id: string;
    filename: string;
    purpose: string;
    bytes: number;
    createdAt: string;
    expiresAt: string | null;
  }[];
  nextCursor: string | null;
}

describe('openai_list_files', () => {
  it('returns one page of files and the cursor for the next, until the last page', async () => {
    const harness = await start();
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await upload(harness, name);
    const first = await harness.call('openai_list_files', { limit: 2 });
    const page = first.structuredContent as Files;
    expect(page.files).toHaveLength(2);
    expect(page.files[0]).toMatchObject({
      id: expect.stringMatching(/^file-/) as unknown,
      purpose: 'user_data',
      bytes: expect.any(Number) as unknown,
      createdAt: expect.stringMatching(/^\d{4}-/) as unknown,
      expiresAt: null,
    });
    expect(page.nextCursor).toBe(page.files[1]?.id);
    expect(textOf(first)).toMatch(new RegExp(`More files: call again with after=${page.nextCursor ?? ''}\\.$`));
    const second = await harness.call('openai_list_files', { limit: 2, after: page.nextCursor });
    const last = second.structuredContent as Files;
    expect(last.files).toHaveLength(1);
    expect(last.nextCursor).toBeNull();
    expect(textOf(second)).toMatch(/No more files\.$/);
    const names = [...page.files, ...last.files].map((file) => file.filename).sort();
    expect(names).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('filters by purpose, orders, and says when there are none', async () => {
    const harness = await start();
    await upload(harness, 'a.txt');
    const none = await harness.call('openai_list_files', { purpose: 'batch', order: 'asc' });
    expect(none.structuredContent).toEqual({ files: [], nextCursor: null });
    expect(textOf(none)).toBe('No files.\nNo more files.');
    expect(harness.simulator.requests.at(-1)?.query).toMatchObject({ purpose: 'batch', order: 'asc' });
  });

  it('refuses a page size out of range and reports API failures', async () => {
    const harness = await start();
    expect(textOf(await harness.call('openai_list_files', { limit: 500 }))).toMatch(
      /^invalid argument limit: must be from 1 to 100/,
    );
    harness.simulator.enqueue('files.list', { type: 'status', status: 503 });
    expect(errorFieldsOf(await harness.call('openai_list_files', {}))).toMatchObject({
      tag: 'ServiceUnavailableError',
    });
  });
});

describe('openai_delete_file', () => {
  it('deletes a file, and a second delete says it is not found', async () => {
    const harness = await start();
    const id = await upload(harness, 'old.txt');
    const deleted = await harness.call('openai_delete_file', { fileId: id });
    expect(deleted.structuredContent).toEqual({ id, deleted: true });
    expect(textOf(deleted)).toBe(`Deleted ${id}.`);
    const again = await harness.call('openai_delete_file', { fileId: id });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/^not found \(HTTP 404\)/);
  });

  it('refuses a malformed id without a request', async () => {
    const harness = await start();
    const result = await harness.call('openai_delete_file', { fileId: 'not an id!' });
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text: 'Input validation error: Invalid arguments for tool openai_delete_file: fileId: must be an id of letters, digits, _ . and - (e.g. file-abc123)',
      },
    ]);
    expect(harness.simulator.requests).toHaveLength(0);
  });
});
