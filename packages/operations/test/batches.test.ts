import type { Batch } from 'openai/resources/batches';
import { describe, expect, it } from 'vitest';
import type { BatchRequest, Operations } from '../src/index.ts';
import { useHarness } from './support/harness.ts';

const start = useHarness();

const chatRequests = (ids: readonly string[]): BatchRequest<'/v1/chat/completions'>[] =>
  ids.map((customId) => ({
    customId,
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Question ${customId}` }] },
  }));

/** The custom ids in a batch's input file, as the server received it. */
async function inputIds(operations: Operations, batch: Batch): Promise<string[]> {
  const text = (await operations.files.downloadText(batch.input_file_id))._unsafeUnwrap().value;
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);
}

describe('batches.run', () => {
  it('resubmits exactly the failed requests and returns every final outcome in input order', async () => {
    const { operations, simulator } = await start();
    const ids = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];
    simulator.failBatchItems(['q2', 'q5'], { status: 500 });
    const { value, meta } = (
      await operations.batches.run(chatRequests(ids), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap();

    expect(value.batches).toHaveLength(2);
    expect(await inputIds(operations, value.batches[0]!)).toEqual(ids);
    expect(await inputIds(operations, value.batches[1]!)).toEqual(['q2', 'q5']);
    expect(value.items.map((item) => [item.customId, item.type])).toEqual(ids.map((id) => [id, 'succeeded']));
    const first = value.items[0];
    expect(first?.type === 'succeeded' ? first.body.choices[0]?.message.content : null).toEqual(expect.any(String));
    expect(value.summary).toEqual({ total: 6, succeeded: 6, failed: 0, notRun: 0, rounds: 2 });
    expect(value.stoppedBy).toBeNull();
    expect(value.batches.map((batch) => batch.status)).toEqual(['completed', 'completed']);
    expect(meta).toMatchObject({ operation: 'batches.run', model: 'gpt-4o-mini' });
    expect(meta.usage?.outputTokens).toBeGreaterThan(0);
    expect(operations.usage.report().byOperation['batches.results']?.requests).toBe(2);
  });

  it('keeps failures that a resubmission would not fix and stops after the allowed rounds', async () => {
    const { operations, simulator } = await start();
    simulator.failBatchItems(['bad'], { status: 400, message: 'Invalid messages', times: 5 });
    simulator.failBatchItems(['flaky'], { status: 503, times: 5 });
    const { value } = (
      await operations.batches.run(chatRequests(['ok', 'bad', 'flaky']), {
        endpoint: '/v1/chat/completions',
        rounds: 2,
      })
    )._unsafeUnwrap();
    expect(value.batches).toHaveLength(2);
    expect(await inputIds(operations, value.batches[1]!)).toEqual(['flaky']);
    expect(value.items.map((item) => item.type)).toEqual(['succeeded', 'failed', 'failed']);
    const [, bad, flaky] = value.items;
    expect(bad?.type === 'failed' ? bad.error : null).toMatchObject({
      _tag: 'BadRequestError',
      status: 400,
      retryable: false,
      requestId: expect.stringMatching(/^req_/) as unknown,
    });
    expect(flaky?.type === 'failed' ? flaky.error : null).toMatchObject({
      _tag: 'ServiceUnavailableError',
      retryable: true,
    });
    expect(value.summary).toMatchObject({ succeeded: 1, failed: 2, rounds: 2 });
  });

  it('resubmits every failure when asked to', async () => {
    const { operations, simulator } = await start();
    simulator.failBatchItems(['bad'], { status: 400 });
    const { value } = (
      await operations.batches.run(chatRequests(['ok', 'bad']), {
        endpoint: '/v1/chat/completions',
        resubmit: 'failed',
      })
    )._unsafeUnwrap();
    expect(value.items.map((item) => item.type)).toEqual(['succeeded', 'succeeded']);
    expect(value.summary.rounds).toBe(2);
  });

  it('runs embeddings batches whose bodies are typed by endpoint', async () => {
    const { operations } = await start();
    const requests: BatchRequest<'/v1/embeddings'>[] = [
      { customId: 'e1', body: { model: 'text-embedding-3-small', input: 'first', dimensions: 4 } },
      { customId: 'e2', body: { model: 'text-embedding-3-small', input: 'second', dimensions: 4 } },
    ];
    const { value } = (
      await operations.batches.run(requests, { endpoint: '/v1/embeddings', rounds: 1 })
    )._unsafeUnwrap();
    const item = value.items[1];
    expect(item?.type === 'succeeded' ? item.body.data[0]?.embedding : null).toHaveLength(4);
  });

  it('returns the error when the first round cannot be submitted, and stops later rounds with stoppedBy', async () => {
    const first = await start();
    first.simulator.enqueue('batches.create', { type: 'status', status: 401 });
    expect(
      (await first.operations.batches.run(chatRequests(['a']), { endpoint: '/v1/chat/completions' }))._unsafeUnwrapErr()
        ._tag,
    ).toBe('AuthenticationError');
    await first.close();

    const later = await start();
    later.simulator.failBatchItems(['b'], { status: 500 });
    later.simulator.enqueue('batches.create', { type: 'pass' }, { type: 'status', status: 403 });
    const { value } = (
      await later.operations.batches.run(chatRequests(['a', 'b']), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap();
    expect(value.stoppedBy).toMatchObject({ _tag: 'PermissionDeniedError' });
    expect(value.items.map((item) => item.type)).toEqual(['succeeded', 'failed']);
    expect(value.summary.rounds).toBe(1);
  });

  it('passes its options to every round and honours the deadline across rounds', async () => {
    const { operations, simulator } = await start();
    simulator.failBatchItems(['b'], { status: 500 });
    const controller = new AbortController();
    const { value } = (
      await operations.batches.run(chatRequests(['a', 'b']), {
        endpoint: '/v1/chat/completions',
        completionWindow: '24h',
        metadata: { job: 'weekly' },
        signal: controller.signal,
        retry: { maxRetries: 2 },
        attemptTimeoutMs: 600_000,
        pollIntervalMs: 1_000,
        deadlineMs: 3_600_000,
      })
    )._unsafeUnwrap();
    expect(value.batches.map((batch) => batch.metadata)).toEqual([{ job: 'weekly' }, { job: 'weekly' }]);
    expect(value.summary).toMatchObject({ succeeded: 2, rounds: 2 });
  });

  it('refuses invalid requests and options before sending anything', async () => {
    const { operations, simulator } = await start();
    const run = (requests: readonly BatchRequest<'/v1/chat/completions'>[], rounds?: number) =>
      operations.batches.run(requests, {
        endpoint: '/v1/chat/completions',
        ...(rounds === undefined ? {} : { rounds }),
      });
    expect((await run(chatRequests(['a']), 0))._unsafeUnwrapErr().message).toMatch(/rounds/);
    expect((await run(chatRequests(['a', 'a'])))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'requests[1].customId', code: 'duplicate' }],
    });
    expect((await run([]))._unsafeUnwrapErr()).toMatchObject({ issues: [{ path: 'requests' }] });
    expect(
      (
        await operations.batches.run(chatRequests(['a']), { endpoint: '/v1/chat/completions', pollIntervalMs: 0 })
      )._unsafeUnwrapErr().message,
    ).toMatch(/pollIntervalMs/);
    expect(simulator.requests).toHaveLength(0);
  });
});

describe('batches.submit, wait, results', () => {
  it('submits, waits through every state with growing pauses, and joins the results by custom id', async () => {
    const { operations, simulator, clock } = await start();
    const submitted = (
      await operations.batches.submit(chatRequests(['x', 'y']), {
        endpoint: '/v1/chat/completions',
        metadata: { job: 'nightly' },
      })
    )._unsafeUnwrap();
    expect(submitted.value).toMatchObject({
      status: 'validating',
      endpoint: '/v1/chat/completions',
      metadata: { job: 'nightly' },
    });
    const upload = simulator.requests.find((request) => request.operation === 'files.create');
    expect(upload?.body).toMatchObject({
      fields: { purpose: 'batch' },
      files: [{ filename: expect.stringMatching(/^batch-\d+\.jsonl$/) as unknown }],
    });

    const seen: string[] = [];
    const waited = (
      await operations.batches.wait(submitted.value.id, {
        pollIntervalMs: 1_000,
        maxPollIntervalMs: 2_000,
        onPoll: (batch) => seen.push(batch.status),
      })
    )._unsafeUnwrap();
    expect(waited.value.status).toBe('completed');
    expect(seen).toEqual(['in_progress', 'finalizing', 'completed']);
    expect(clock.waits.filter((ms) => ms < 600_000)).toEqual([1_000, 1_500]);

    const results = (await operations.batches.results(waited.value.id, { customIds: ['y', 'x', 'z'] }))._unsafeUnwrap();
    expect(results.value.items.map((item) => [item.customId, item.type])).toEqual([
      ['y', 'succeeded'],
      ['x', 'succeeded'],
      ['z', 'not-run'],
    ]);
    expect(results.value.summary).toEqual({ total: 3, succeeded: 2, failed: 0, notRun: 1 });
    expect(results.meta.usage?.inputTokens).toBeGreaterThan(0);
    const again = (await operations.batches.results(waited.value))._unsafeUnwrap();
    expect(again.value.items.map((item) => item.customId)).toEqual(['x', 'y']);
    expect(operations.usage.report().byOperation['batches.results']?.requests).toBe(1);
  });

  it('ends the wait at the deadline with TimeoutError', async () => {
    const { operations } = await start({ simulator: { progress: { onRetrieve: false } } });
    const submitted = (
      await operations.batches.submit(chatRequests(['a']), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap();
    const error = (
      await operations.batches.wait(submitted.value.id, { pollIntervalMs: 4_000, deadlineMs: 10_000 })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'TimeoutError', kind: 'deadline', timeoutMs: 10_000 });
    expect(error.message).toMatch(/validating/);
  });

  it('ends the wait with AbortedError when the caller aborts', async () => {
    const { operations } = await start({ simulator: { progress: { onRetrieve: false } } });
    const submitted = (
      await operations.batches.submit(chatRequests(['a']), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap();
    const controller = new AbortController();
    let polls = 0;
    const error = (
      await operations.batches.wait(submitted.value.id, {
        signal: controller.signal,
        onPoll: () => {
          polls += 1;
          if (polls === 2) controller.abort('user left');
        },
      })
    )._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'AbortedError', reason: 'user left' });
    // Aborted (without a reason) once the first poll is done, while the wait sleeps before the next one.
    const sleeping = new AbortController();
    const slept = operations.batches.wait(submitted.value.id, {
      pollIntervalMs: 1_000_000,
      maxPollIntervalMs: 1_000_000,
      signal: sleeping.signal,
      onPoll: () => {
        setImmediate(() => {
          sleeping.abort();
        });
      },
    });
    expect((await slept)._unsafeUnwrapErr()).toMatchObject({ _tag: 'AbortedError', reason: null });
  });

  it('cancels a batch; its requests are reported as not run', async () => {
    const { operations } = await start();
    const submitted = (
      await operations.batches.submit(chatRequests(['a', 'b']), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap();
    expect((await operations.batches.cancel(submitted.value.id))._unsafeUnwrap().value.status).toBe('cancelling');
    const ended = (await operations.batches.wait(submitted.value.id))._unsafeUnwrap().value;
    expect(ended.status).toBe('cancelled');
    expect((await operations.batches.cancel(submitted.value.id))._unsafeUnwrapErr()._tag).toBe('ConflictError');
    const results = (await operations.batches.results(ended, { customIds: ['a', 'b'] }))._unsafeUnwrap().value;
    expect(results.items).toEqual([
      { type: 'not-run', customId: 'a', reason: 'not in the output or error file (the batch is cancelled)' },
      { type: 'not-run', customId: 'b', reason: 'not in the output or error file (the batch is cancelled)' },
    ]);
  });

  it('stops the rounds of a cancelled batch', async () => {
    const { operations } = await start();
    let cancelled = false;
    const { value } = (
      await operations.batches.run(chatRequests(['a']), {
        endpoint: '/v1/chat/completions',
        onPoll: (batch) => {
          if (!cancelled) {
            cancelled = true;
            void operations.batches.cancel(batch.id);
          }
        },
      })
    )._unsafeUnwrap();
    expect(value.batches.map((batch) => batch.status)).toEqual(['cancelled']);
    expect(value.items[0]?.type).toBe('not-run');
  });

  it('returns the upload error of a submission, and refuses invalid requests', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('files.create', { type: 'status', status: 413, message: 'too large' });
    expect(
      (
        await operations.batches.submit(chatRequests(['a']), {
          endpoint: '/v1/chat/completions',
          retry: { maxRetries: 0 },
        })
      )._unsafeUnwrapErr(),
    ).toMatchObject({ _tag: 'RequestTooLargeError', status: 413, part: 'body', attempts: 1 });
    expect((await operations.batches.submit([], { endpoint: '/v1/chat/completions' }))._unsafeUnwrapErr()._tag).toBe(
      'ValidationError',
    );
    expect(
      (
        await operations.batches.wait('batch_missing', { attemptTimeoutMs: 600_000, retry: { maxRetries: 0 } })
      )._unsafeUnwrapErr()._tag,
    ).toBe('NotFoundError');
    expect(
      (await operations.batches.wait('batch_missing', { maxPollIntervalMs: -1 }))._unsafeUnwrapErr().message,
    ).toMatch(/maxPollIntervalMs/);
  });

  it('deletes the uploaded file when the batch cannot be created', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('batches.create', { type: 'status', status: 400, message: 'bad window' });
    expect(
      (await operations.batches.submit(chatRequests(['a']), { endpoint: '/v1/chat/completions' }))._unsafeUnwrapErr()
        ._tag,
    ).toBe('BadRequestError');
    expect((await operations.files.list({ purpose: 'batch' }).all())._unsafeUnwrap().items).toHaveLength(0);
    expect(simulator.requests.map((request) => request.operation)).toEqual([
      'files.create',
      'batches.create',
      'files.delete',
      'files.list',
    ]);
  });

  it('retrieves, lists by status and refuses malformed ids', async () => {
    const { operations, simulator } = await start();
    const one = (
      await operations.batches.submit(chatRequests(['a']), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap().value;
    const two = (
      await operations.batches.submit(chatRequests(['b']), { endpoint: '/v1/chat/completions' })
    )._unsafeUnwrap().value;
    await operations.batches.wait(one.id);
    expect((await operations.batches.retrieve(one.id))._unsafeUnwrap().value.status).toBe('completed');
    const listed = (await operations.batches.list({ limit: 1 }).all())._unsafeUnwrap();
    expect(listed.items.map((batch) => batch.id)).toEqual([two.id, one.id]);
    expect(
      (await operations.batches.list({ status: 'completed' }).all())._unsafeUnwrap().items.map((batch) => batch.id),
    ).toEqual([one.id]);
    expect(
      (await operations.batches.list({ status: ['validating'], where: (batch) => batch.id === two.id }).all())
        ._unsafeUnwrap()
        .items.map((batch) => batch.id),
    ).toEqual([two.id]);
    const before = simulator.requests.length;
    expect((await operations.batches.retrieve('batch/../x'))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'batchId' }],
    });
    expect((await operations.batches.wait('batch/../x'))._unsafeUnwrapErr()._tag).toBe('ValidationError');
    expect((await operations.batches.results('batch/../x'))._unsafeUnwrapErr()._tag).toBe('ValidationError');
    expect(simulator.requests).toHaveLength(before);
  });

  it('reports a results file that is not JSONL as malformed', async () => {
    const { operations } = await start();
    const file = (
      await operations.files.upload({
        file: new TextEncoder().encode('not json\n'),
        purpose: 'user_data',
        filename: 'out.jsonl',
      })
    )._unsafeUnwrap().value;
    const batch = { id: 'batch_fake', status: 'completed', output_file_id: file.id } as Batch;
    expect((await operations.batches.results(batch))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
    });
    expect(
      (await operations.batches.results({ ...batch, output_file_id: 'file-missing' }))._unsafeUnwrapErr()._tag,
    ).toBe('NotFoundError');
  });
});
