import { describe, expect, it } from 'vitest';
import type { BatchRequest } from './batch-request.ts';
import { toBatchJsonl } from './to-batch-jsonl.ts';

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
    expect(toBatchJsonl([{ customId: 'a', body: { model: 'm' } }] as never, '/v1/images' as never)._unsafeUnwrapErr().issues[0]?.path).toBe('endpoint');
    expect(toBatchJsonl([], '/v1/embeddings')._unsafeUnwrapErr().issues[0]?.path).toBe('requests');
    expect(toBatchJsonl('lines' as never, '/v1/embeddings')._unsafeUnwrapErr().issues).toEqual([{ path: 'requests', message: 'must hold 1 to 50000 requests', code: 'invalid_length' }]);
    const big = 'x'.repeat(1024 * 1024);
    const requests = Array.from({ length: 201 }, (_, index) => ({ customId: `r${index}`, body: { model: 'text-embedding-3-small', input: big } }));
    expect(toBatchJsonl(requests, '/v1/embeddings')._unsafeUnwrapErr().issues).toEqual([{ path: 'requests', message: expect.stringMatching(/200 MB/) as unknown, code: 'too_big' }]);
  });
});
