import type { Result } from 'neverthrow';
import type { FileObject } from 'openai/resources/files';
import { describe, expect, it } from 'vitest';
import type { ListError, Operations } from '../src/index.ts';
import { type Harness, useHarness } from './support/harness.ts';

const start = useHarness();

/** Uploads `count` small files (`f0.txt`, `f1.txt`, ...) with the purpose given by `purposeOf`. */
async function uploadFiles(
  operations: Operations,
  count: number,
  purposeOf: (index: number) => 'user_data' | 'assistants' = () => 'user_data',
): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const uploaded = await operations.files.upload({
      file: new TextEncoder().encode(`file ${index}`),
      purpose: purposeOf(index),
      filename: `f${index}.txt`,
    });
    ids.push(uploaded._unsafeUnwrap().value.id);
  }
  return ids;
}

/** Reads a walk to its end; an error may only be its last value. */
async function drain<T>(
  walk: AsyncIterable<Result<T, ListError>>,
): Promise<{ readonly items: T[]; readonly error: ListError | undefined }> {
  const items: T[] = [];
  let error: ListError | undefined;
  for await (const entry of walk) {
    expect(error).toBeUndefined();
    if (entry.isErr()) error = entry.error;
    else items.push(entry.value);
  }
  return { items, error };
}

const pageRequests = (simulatorHarness: Harness) =>
  simulatorHarness.simulator.requests.filter((request) => request.operation === 'files.list');

describe('ListWalk', () => {
  it('walks every page through the transport, one request per page, in list order', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 7);
    const { items, error } = await drain(started.operations.files.list({ order: 'asc', limit: 3 }));
    expect(error).toBeUndefined();
    expect(items.map((file) => file.id)).toEqual(ids);
    const requests = pageRequests(started);
    expect(requests.map((request) => request.query)).toEqual([
      { order: 'asc', limit: '3' },
      { order: 'asc', limit: '3', after: ids[2] },
      { order: 'asc', limit: '3', after: ids[5] },
    ]);
    expect(started.records.filter((record) => record.fields['operation'] === 'files.list')).toHaveLength(3);
  });

  it('retries a failed page alone and goes on without a duplicate', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 5);
    started.simulator.enqueue('files.list', { type: 'pass' }, { type: 'status', status: 503 }, { type: 'reset' });
    const { items, error } = await drain(started.operations.files.list({ order: 'asc', limit: 2 }));
    expect(error).toBeUndefined();
    expect(items.map((file) => file.id)).toEqual(ids);
    expect(pageRequests(started).map((request) => request.query['after'] ?? null)).toEqual([
      null,
      ids[1],
      ids[1],
      ids[1],
      ids[3],
    ]);
  });

  it('ends an interrupted walk with the error and a cursor that resumes with no duplicates and no gaps', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 9);
    started.simulator.enqueue(
      'files.list',
      { type: 'pass' },
      { type: 'pass' },
      { type: 'status', status: 502 },
      { type: 'status', status: 502 },
    );
    const first = await drain(started.operations.files.list({ order: 'asc', limit: 2 }, { retry: { maxRetries: 1 } }));
    expect(first.error).toMatchObject({ _tag: 'BadGatewayError', status: 502, attempts: 2, resumeCursor: ids[3] });
    expect(first.items.map((file) => file.id)).toEqual(ids.slice(0, 4));

    const second = await drain(
      started.operations.files.list({ order: 'asc', limit: 2, after: first.error?.resumeCursor ?? '' }),
    );
    expect(second.error).toBeUndefined();
    const walked = [...first.items, ...second.items].map((file) => file.id);
    expect(walked).toEqual(ids);
    expect(new Set(walked).size).toBe(ids.length);
  });

  it('passes server filters through and applies the client-side predicate on top', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 6, (index) => (index % 2 === 0 ? 'assistants' : 'user_data'));
    const walk = started.operations.files.list({
      purpose: 'assistants',
      order: 'desc',
      limit: 2,
      where: (file) => file.filename !== 'f2.txt',
    });
    const { items } = await drain(walk);
    expect(items.map((file) => file.id)).toEqual([ids[4], ids[0]]);
    expect(
      pageRequests(started).every(
        (request) => request.query['purpose'] === 'assistants' && request.query['order'] === 'desc',
      ),
    ).toBe(true);
  });

  it('yields whole pages with their cursors and meta', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 3);
    const pages = [];
    for await (const page of started.operations.files.list({ order: 'asc', limit: 2 }).pages())
      pages.push(page._unsafeUnwrap());
    expect(
      pages.map((page) => [page.items.map((file) => file.id), page.received, page.cursor, page.nextCursor]),
    ).toEqual([
      [[ids[0], ids[1]], 2, null, ids[1]],
      [[ids[2]], 1, ids[1], null],
    ]);
    expect(pages[0]?.meta).toMatchObject({
      operation: 'files.list',
      attempts: 1,
      requestId: expect.stringMatching(/^req_/) as unknown,
    });
    started.simulator.enqueue('files.list', { type: 'status', status: 400 });
    const failed = [];
    for await (const page of started.operations.files.list().pages()) failed.push(page);
    expect(failed.map((page) => (page.isErr() ? page.error._tag : 'page'))).toEqual(['BadRequestError']);
  });

  it('takes the first items and a cursor that continues right after them', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 5);
    const first = (await started.operations.files.list({ order: 'asc' }).take(2))._unsafeUnwrap();
    expect(first.items.map((file) => file.id)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).toBe(ids[1]);
    expect(pageRequests(started)[0]?.query['limit']).toBe('2');
    const rest = (
      await started.operations.files.list({ order: 'asc', after: first.nextCursor ?? '' }).all()
    )._unsafeUnwrap();
    expect(rest.items.map((file) => file.id)).toEqual(ids.slice(2));
    expect(rest.nextCursor).toBeNull();
  });

  it('moves the take cursor over items the predicate skips, and reports the end of the list', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 6);
    const even = (file: FileObject): boolean => Number(/\d+/.exec(file.filename)?.[0]) % 2 === 0;
    const walk = started.operations.files.list({ order: 'asc', limit: 3, where: even });
    const first = (await walk.take(1))._unsafeUnwrap();
    expect(first.items.map((file) => file.id)).toEqual([ids[0]]);
    expect(first.nextCursor).toBe(ids[1]);
    const two = (await walk.take(2))._unsafeUnwrap();
    expect(two.items.map((file) => file.id)).toEqual([ids[0], ids[2]]);
    expect(two.nextCursor).toBe(ids[2]);
    const all = (await walk.take(3))._unsafeUnwrap();
    expect(all.items.map((file) => file.id)).toEqual([ids[0], ids[2], ids[4]]);
    expect(all.nextCursor).toBeNull();
    const more = (
      await started.operations.files.list({ order: 'asc', limit: 3, where: even }).take(10)
    )._unsafeUnwrap();
    expect(more).toMatchObject({ nextCursor: null, pages: 2 });
    const edge = (await started.operations.files.list({ order: 'asc', limit: 3 }).take(3))._unsafeUnwrap();
    expect(edge.nextCursor).toBe(ids[2]);
  });

  it('returns what was collected and the resume cursor when collecting fails', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 4);
    started.simulator.enqueue('files.list', { type: 'pass' }, { type: 'status', status: 404 });
    const error = (await started.operations.files.list({ order: 'asc', limit: 2 }).all())._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'NotFoundError', resumeCursor: ids[1] });
    expect(error.received.map((file) => file.id)).toEqual(ids.slice(0, 2));
  });

  it('rejects bad paging before any request', async () => {
    const started = await start();
    const walk = started.operations.files.list({ limit: 0, after: '' }, { maxPages: 0 });
    const { error } = await drain(walk);
    expect(error).toMatchObject({ _tag: 'ValidationError', resumeCursor: null });
    expect(error?._tag === 'ValidationError' ? error.issues.map((issue) => issue.path) : []).toEqual([
      'limit',
      'after',
      'maxPages',
    ]);
    expect((await started.operations.files.list().take(0))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      received: [],
      resumeCursor: null,
    });
    expect((await started.operations.files.list({}, { maxPages: 1.5 }).all())._unsafeUnwrapErr()._tag).toBe(
      'ValidationError',
    );
    expect(started.simulator.requests).toHaveLength(0);
  });

  it('ends with AbortedError and the cursor when the caller aborts between pages', async () => {
    const started = await start();
    const ids = await uploadFiles(started.operations, 4);
    const controller = new AbortController();
    const items: FileObject[] = [];
    let failure: ListError | undefined;
    for await (const entry of started.operations.files.list(
      { order: 'asc', limit: 2 },
      { signal: controller.signal },
    )) {
      if (entry.isErr()) {
        failure = entry.error;
        break;
      }
      items.push(entry.value);
      if (items.length === 2) controller.abort('enough');
    }
    expect(items.map((file) => file.id)).toEqual(ids.slice(0, 2));
    expect(failure).toMatchObject({ _tag: 'AbortedError', resumeCursor: ids[1] });
  });

  it('walks the input items of a stored response, and refuses a malformed response id', async () => {
    const started = await start();
    const input = ['one', 'two', 'three'].map((text) => ({ role: 'user' as const, content: text }));
    const created = (await started.operations.responses.create({ input, store: true }))._unsafeUnwrap();
    const { items, error } = await drain(
      started.operations.lists.responseInputItems(created.value.id, {
        order: 'asc',
        limit: 1,
        include: ['message.input_image.image_url'],
      }),
    );
    expect(error).toBeUndefined();
    expect(
      items.map((item) => (item.type === 'message' && 'content' in item ? JSON.stringify(item.content) : '')),
    ).toEqual([
      expect.stringContaining('one') as unknown,
      expect.stringContaining('two') as unknown,
      expect.stringContaining('three') as unknown,
    ]);
    const requests = started.simulator.requests.filter((request) => request.operation === 'responses.input_items');
    expect(requests).toHaveLength(3);
    expect(requests[0]?.query).toMatchObject({
      order: 'asc',
      limit: '1',
      'include[]': 'message.input_image.image_url',
    });
    const newest = (await started.operations.lists.responseInputItems(created.value.id).take(1))._unsafeUnwrap();
    expect(JSON.stringify(newest.items[0])).toContain('three');
    const bad = await drain(started.operations.lists.responseInputItems('../x'));
    expect(bad.error).toMatchObject({ _tag: 'ValidationError', issues: [{ path: 'responseId' }] });
  });
});

/** A server for `GET /chat/completions` (stored completions), which the simulator does not serve. */
function storedCompletionsFetch(
  total: number,
  options: { readonly alwaysMore?: boolean; readonly repeatCursor?: boolean } = {},
) {
  const seen: URL[] = [];
  const completion = (index: number) => ({
    id: `chatcmpl-${String(index).padStart(4, '0')}`,
    object: 'chat.completion',
    created: 1_700_000_000 + index,
    model: index % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        logprobs: null,
        message: { role: 'assistant', content: `answer ${index}`, refusal: null },
      },
    ],
    metadata: { topic: index % 2 === 0 ? 'even' : 'odd' },
  });
  const fetchStored: typeof fetch = (input) => {
    const url = new URL(typeof input === 'string' ? input : 'href' in input ? input.href : input.url);
    seen.push(url);
    const limit = Number(url.searchParams.get('limit') ?? '20');
    const after = url.searchParams.get('after');
    const start = after === null ? 0 : Number(after.slice('chatcmpl-'.length)) + 1;
    const from = options.repeatCursor === true ? 0 : start;
    const data = Array.from(
      {
        length:
          options.alwaysMore === true || options.repeatCursor === true
            ? limit
            : Math.max(0, Math.min(limit, total - from)),
      },
      (_, offset) => completion(from + offset),
    );
    const body = {
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: options.alwaysMore === true || options.repeatCursor === true || from + limit < total,
    };
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-request-id': `req_${seen.length}` },
      }),
    );
  };
  return { fetch: fetchStored, seen };
}

describe('ListOperations.chatCompletions', () => {
  it('sends model, metadata, order and limit to the server and filters on the client', async () => {
    const server = storedCompletionsFetch(10);
    const started = await start({ operations: { fetch: server.fetch } });
    const walk = started.operations.lists.chatCompletions({
      model: 'gpt-4o-mini',
      metadata: { topic: 'even' },
      order: 'asc',
      limit: 4,
      where: (completion) => completion.model === 'gpt-4o',
    });
    const { items, error } = await drain(walk);
    expect(error).toBeUndefined();
    expect(items.map((completion) => completion.id)).toEqual([
      'chatcmpl-0000',
      'chatcmpl-0003',
      'chatcmpl-0006',
      'chatcmpl-0009',
    ]);
    expect(server.seen).toHaveLength(3);
    expect(server.seen[0]?.pathname).toBe('/v1/chat/completions');
    expect(Object.fromEntries(server.seen[1]?.searchParams ?? [])).toEqual({
      model: 'gpt-4o-mini',
      'metadata[topic]': 'even',
      order: 'asc',
      limit: '4',
      after: 'chatcmpl-0003',
    });
  });

  it('stops a server that always says has_more at the page cap with a typed error and the cursor', async () => {
    const server = storedCompletionsFetch(0, { alwaysMore: true });
    const started = await start({ operations: { fetch: server.fetch } });
    const { items, error } = await drain(started.operations.lists.chatCompletions({ limit: 2 }, { maxPages: 5 }));
    expect(items).toHaveLength(10);
    expect(server.seen).toHaveLength(5);
    expect(error).toMatchObject({ _tag: 'MalformedResponseError', retryable: false, resumeCursor: 'chatcmpl-0009' });
    expect(error?.message).toMatch(/after 5 pages \(maxPages\)/);
  });

  it('caps a walk at 1000 pages by default', async () => {
    const server = storedCompletionsFetch(0, { alwaysMore: true });
    const started = await start({ operations: { fetch: server.fetch } });
    const collected = await started.operations.lists.chatCompletions({ limit: 1 }).all();
    expect(server.seen).toHaveLength(1_000);
    expect(collected._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
      resumeCursor: 'chatcmpl-0999',
    });
    expect(collected._unsafeUnwrapErr().received).toHaveLength(1_000);
  });

  it('ends the walk at a page whose items have no ids, since there is no cursor to go on', async () => {
    const body = { object: 'list', data: [{ object: 'chat.completion' }, 'odd'], has_more: true };
    const started = await start({
      operations: {
        fetch: () =>
          Promise.resolve(
            new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
          ),
      },
    });
    const slice = (await started.operations.lists.chatCompletions().all())._unsafeUnwrap();
    expect(slice).toMatchObject({ items: [{ object: 'chat.completion' }, 'odd'], nextCursor: null, pages: 1 });
    expect(
      (await started.operations.lists.chatCompletions({ after: 'chatcmpl-1' }).take(5))._unsafeUnwrap(),
    ).toMatchObject({ nextCursor: null, pages: 1 });
  });

  it('ends with MalformedResponseError when the server hands out a cursor it already gave', async () => {
    const server = storedCompletionsFetch(0, { repeatCursor: true });
    const started = await start({ operations: { fetch: server.fetch } });
    const { items, error } = await drain(started.operations.lists.chatCompletions({ limit: 2 }));
    expect(items).toHaveLength(2);
    expect(error).toMatchObject({ _tag: 'MalformedResponseError', retryable: false, resumeCursor: 'chatcmpl-0001' });
  });
});
