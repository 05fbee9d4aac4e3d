import { ok } from 'neverthrow';
import { describe, expect, it, vi } from 'vitest';
import type { BatchRequest } from './batch-request.ts';
import { batchLimits, toBatchJsonl } from './to-batch-jsonl.ts';

describe('toBatchJsonl', () => {
  it('writes one POST line per request for the endpoint', () => {
    const jsonl = toBatchJsonl(
      [
        { customId: 'a', body: { model: 'text-embedding-3-small', input: 'x' } },
        { customId: 'b', body: { model: 'text-embedding-3-small', input: 'y' } },
      ],
      '/v1/embeddings',
    )._unsafeUnwrap();
    expect(jsonl.split('\n')).toEqual([
      '{"custom_id":"a","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"x"}}',
      '{"custom_id":"b","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"y"}}',
      '',
    ]);
    expect(toBatchJsonl([{ customId: 'm', body: { input: 'text' } }], '/v1/moderations').isOk()).toBe(true);
  });

  it('names every request at fault', () => {
    const requests = [
      { customId: '', body: { model: 'gpt-4o-mini', messages: [] } },
      { customId: 'x', body: { messages: [] } },
      { customId: 'x', body: { model: 'gpt-4o-mini', messages: [], stream: true } },
      { customId: 'y', body: null },
      null,
      { customId: 'z', body: [] },
    ] as unknown as BatchRequest<'/v1/chat/completions'>[];
    const error = toBatchJsonl(requests, '/v1/chat/completions')._unsafeUnwrapErr();
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'requests[0].customId',
      'requests[1].body.model',
      'requests[2].customId',
      'requests[2].body.stream',
      'requests[3].body',
      'requests[4].customId',
      'requests[4].body',
      'requests[5].body',
    ]);
    expect(error.message).toMatch(/^invalid arguments requests\[0\]\.customId: .* \(and 3 more\)$/);
  });

  it('refuses an unknown endpoint, no requests, and a file over 200 MB', () => {
    expect(
      toBatchJsonl([{ customId: 'a', body: { model: 'm' } }] as never, '/v1/images' as never)._unsafeUnwrapErr()
        .issues[0]?.path,
    ).toBe('endpoint');
    expect(toBatchJsonl([], '/v1/embeddings')._unsafeUnwrapErr().issues[0]?.path).toBe('requests');
    expect(toBatchJsonl('lines' as never, '/v1/embeddings')._unsafeUnwrapErr().issues).toEqual([
      { path: 'requests', message: 'must hold 1 to 50000 requests', code: 'invalid_length' },
    ]);
  });

  it('stops building the file at the first request past the size limit, and says where', () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    const requests = Array.from({ length: 1000 }, (_, index) => ({
      customId: `r${index}`,
      body: { model: 'text-embedding-3-small', input: 'x'.repeat(100) },
    }));
    const result = toBatchJsonl(requests, '/v1/embeddings', { maxRequests: 50_000, maxBytes: 1024 });
    expect(result._unsafeUnwrapErr().issues).toEqual([
      {
        path: 'requests',
        message:
          'pass the input file limit of 1024 bytes at requests[4] (the first 4 fit); split them into several batches',
        code: 'too_big',
      },
    ]);
    expect(stringify.mock.calls.length).toBeLessThanOrEqual(5);
  });

  it('checks the Batch API limits by default: 50000 requests and 200 MB', () => {
    expect(batchLimits).toEqual({ maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 });
    const requests = Array.from({ length: 50_001 }, (_, index) => ({
      customId: `r${index}`,
      body: { model: 'm', input: 'x' },
    }));
    expect(toBatchJsonl(requests, '/v1/embeddings')._unsafeUnwrapErr().issues).toEqual([
      { path: 'requests', message: 'must hold 1 to 50000 requests', code: 'invalid_length' },
    ]);
    const error = toBatchJsonl([{ customId: 'a', body: { model: 'm', input: 'x' } }], '/v1/embeddings', {
      maxRequests: 1,
      maxBytes: 2 * 1024 * 1024,
    });
    expect(error.isOk()).toBe(true);
    const tooBig = toBatchJsonl(
      [{ customId: 'a', body: { model: 'm', input: 'x'.repeat(2 * 1024 * 1024) } }],
      '/v1/embeddings',
      { maxRequests: 1, maxBytes: 2 * 1024 * 1024 },
    );
    expect(tooBig._unsafeUnwrapErr().message).toBe(
      'invalid argument requests: pass the input file limit of 2 MB at requests[0] (no request fits); split them into several batches',
    );
  });

  it('builds a file exactly at the limit', () => {
    const line = JSON.stringify({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/embeddings',
      body: { model: 'm', input: 'hi' },
    });
    const fits = toBatchJsonl([{ customId: 'a', body: { model: 'm', input: 'hi' } }], '/v1/embeddings', {
      maxRequests: 1,
      maxBytes: line.length + 1,
    });
    expect(fits).toEqual(ok(`${line}\n`));
    expect(
      toBatchJsonl([{ customId: 'a', body: { model: 'm', input: 'hi' } }], '/v1/embeddings', {
        maxRequests: 1,
        maxBytes: line.length,
      })._unsafeUnwrapErr().issues[0]?.code,
    ).toBe('too_big');
  });
});
