import { describe, expect, it } from 'vitest';
import { errorFieldsOf, type Harness, textOf, useHarness } from './support/harness.ts';

const start = useHarness();

const chatRequest = (customId: string, content: string, extra: Record<string, unknown> = {}) => ({
  customId,
  body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra },
});

interface Status {
  batchId: string;
  status: string;
  ended: boolean;
  summary: { succeeded: number; failed: number; notRun: number } | null;
  results: { customId: string; outcome: string; text: string | null; error: string | null }[] | null;
  moreResults: number;
  usage: { totalTokens: number } | null;
}

async function until(
  target: Harness,
  batchId: string,
  args: Record<string, unknown> = {},
): Promise<{ status: Status; text: string }> {
  for (let poll = 0; poll < 20; poll += 1) {
    const result = await target.call('openai_batch_status', { batchId, ...args });
    const status = result.structuredContent as Status;
    if (status.ended) return { status, text: textOf(result) };
  }
  throw new Error('the batch did not end');
}

describe('openai_batch_submit and openai_batch_status', () => {
  it('submits chat requests, reports progress, then the answers matched by custom id', async () => {
    const harness = await start();
    harness.simulator.enqueue('chat.completions', { type: 'reply', content: 'First answer' });
    const submitted = await harness.call('openai_batch_submit', {
      requests: [chatRequest('q1', 'One?'), chatRequest('q2', 'Two?')],
      metadata: { job: 'test' },
    });
    expect(submitted.isError).toBeFalsy();
    const batch = submitted.structuredContent as {
      batchId: string;
      status: string;
      endpoint: string;
      inputFileId: string;
      requests: number;
      clampedRequests: number;
    };
    expect(batch).toMatchObject({
      batchId: expect.stringMatching(/^batch_/) as unknown,
      endpoint: '/v1/chat/completions',
      inputFileId: expect.stringMatching(/^file-/) as unknown,
      requests: 2,
      clampedRequests: 0,
    });
    expect(textOf(submitted)).toMatch(
      /^Submitted batch batch_\S+ with 2 requests to \/v1\/chat\/completions: \w+\. Check it with openai_batch_status\.$/,
    );

    const first = await harness.call('openai_batch_status', { batchId: batch.batchId });
    expect(first.structuredContent).toMatchObject({ ended: false, results: null, summary: null });
    expect(textOf(first)).toMatch(/Not finished yet: check again in a few minutes\.$/);

    const { status, text } = await until(harness, batch.batchId);
    expect(status).toMatchObject({
      status: 'completed',
      summary: { succeeded: 2, failed: 0, notRun: 0 },
      moreResults: 0,
      usage: { totalTokens: expect.any(Number) as unknown },
    });
    expect(status.results?.map((result) => result.customId)).toEqual(['q1', 'q2']);
    expect(
      status.results?.every(
        (result) => result.outcome === 'succeeded' && typeof result.text === 'string' && result.text !== '',
      ),
    ).toBe(true);
    expect(text).toMatch(/Results: 2 succeeded, 0 failed, 0 not run; \d+ tokens, \$/);
    expect(text).toMatch(/\nq1: .+\nq2: .+/);

    // The batch's usage counts once against the session, however often the results are read.
    await harness.call('openai_batch_status', { batchId: batch.batchId });
    const report = await harness.call('openai_usage_report', {});
    expect((report.structuredContent as { session: { requests: number; tokens: number } }).session).toEqual(
      expect.objectContaining({ requests: 1, tokens: status.usage?.totalTokens }),
    );
  });

  it('reports failed requests with their error and limits how many results it shows', async () => {
    const harness = await start();
    harness.simulator.failBatchItems(['bad'], { status: 500, message: 'The server had an error' });
    const submitted = await harness.call('openai_batch_submit', {
      requests: [chatRequest('bad', 'x'), chatRequest('ok1', 'y'), chatRequest('ok2', 'z')],
    });
    const { batchId } = submitted.structuredContent as { batchId: string };
    const { status, text } = await until(harness, batchId, { maxResults: 1 });
    expect(status.summary).toEqual({ succeeded: 2, failed: 1, notRun: 0 });
    expect(status.results).toHaveLength(1);
    expect(status.moreResults).toBe(2);
    expect(text).toMatch(/\.\.\. and 2 more \(raise maxResults\)\.$/);
    const all = await harness.call('openai_batch_status', { batchId });
    const failed = (all.structuredContent as Status).results?.find((result) => result.customId === 'bad');
    expect(failed).toMatchObject({
      outcome: 'failed',
      text: null,
      error: expect.stringMatching(/server had an error/) as unknown,
    });
  });

  it('summarises embeddings results and can skip collecting results', async () => {
    const harness = await start();
    const submitted = await harness.call('openai_batch_submit', {
      endpoint: '/v1/embeddings',
      requests: [{ customId: 'e1', body: { model: 'text-embedding-3-small', input: 'some text' } }],
    });
    const { batchId } = submitted.structuredContent as { batchId: string };
    const skipped = await until(harness, batchId, { results: false });
    expect(skipped.status).toMatchObject({ ended: true, results: null, summary: null });
    const { status } = await until(harness, batchId);
    expect(status.results?.[0]?.text).toMatch(/^1 embedding of \d+ dimensions$/);
  });

  it('lowers output limits above the ceiling and says how many', async () => {
    const harness = await start({ tools: { guards: { maxOutputTokens: 100 } } });
    const submitted = await harness.call('openai_batch_submit', {
      requests: [
        chatRequest('a', 'x', { max_tokens: 5_000 }),
        chatRequest('b', 'y', { max_completion_tokens: 50 }),
        chatRequest('c', 'z'),
      ],
    });
    expect(submitted.structuredContent).toMatchObject({ clampedRequests: 1 });
    expect(textOf(submitted)).toMatch(/with 3 requests \(1 with max output lowered to 100\)/);
    const upload = harness.simulator.requests.find((request) => request.operation === 'files.create');
    expect(upload).toBeDefined();
  });

  it('refuses disallowed models, refused output limits, budgets and invalid requests before submitting', async () => {
    const harness = await start({
      tools: {
        guards: {
          allowedModels: ['gpt-4o-mini'],
          maxOutputTokens: 100,
          outputTokenPolicy: 'refuse',
          callBudget: { maxTokens: 1_000 },
        },
      },
    });
    const model = await harness.call('openai_batch_submit', {
      requests: [{ customId: 'a', body: { model: 'gpt-5', messages: [] } }],
    });
    expect(textOf(model)).toMatch(/^invalid argument model: gpt-5 is not allowed on this server/);
    const limit = await harness.call('openai_batch_submit', {
      requests: [chatRequest('a', 'x', { max_completion_tokens: 500 })],
    });
    expect(textOf(limit)).toMatch(/^invalid argument max_output_tokens: must be at most 100/);
    const budget = await harness.call('openai_batch_submit', {
      requests: Array.from({ length: 20 }, (_unused, index) => chatRequest(`r${index}`, 'x')),
    });
    expect(errorFieldsOf(budget)).toMatchObject({ tag: 'BudgetExceededError', scope: 'call' });
    const duplicate = await harness.call('openai_batch_submit', {
      requests: [chatRequest('same', 'x'), chatRequest('same', 'y')],
    });
    expect(errorFieldsOf(duplicate)).toMatchObject({ tag: 'ValidationError' });
    expect(harness.simulator.requests).toHaveLength(0);
  });

  it('reports an unknown batch as not found', async () => {
    const harness = await start();
    const result = await harness.call('openai_batch_status', { batchId: 'batch_doesnotexist' });
    expect(textOf(result)).toMatch(/^not found \(HTTP 404\)/);
  });
});

describe('openai_batch_cancel', () => {
  it('cancels a running batch', async () => {
    const harness = await start();
    const submitted = await harness.call('openai_batch_submit', { requests: [chatRequest('a', 'x')] });
    const { batchId } = submitted.structuredContent as { batchId: string };
    const cancelled = await harness.call('openai_batch_cancel', { batchId });
    expect(cancelled.structuredContent).toEqual({ batchId, status: expect.stringMatching(/^cancel/) as unknown });
    expect(textOf(cancelled)).toMatch(new RegExp(`^Batch ${batchId} is cancel`));
    const { status } = await until(harness, batchId);
    expect(status.status).toBe('cancelled');
  });

  it('reports a failure to cancel', async () => {
    const harness = await start();
    harness.simulator.enqueue('batches.cancel', { type: 'status', status: 409 });
    const result = await harness.call('openai_batch_cancel', { batchId: 'batch_abc' });
    expect(textOf(result)).toMatch(/^conflict \(HTTP 409\)/);
  });
});
