import { describe, expect, it } from 'vitest';
import { parseBatchResults } from './parse-batch-results.ts';

const line = (value: unknown): string => JSON.stringify(value);

describe('parseBatchResults', () => {
  it('joins output and error lines by custom id', () => {
    const output = `${line({ id: 'r1', custom_id: 'a', response: { status_code: 200, request_id: 'req_1', body: { ok: true } }, error: null })}\r\n\n`;
    const errors = [
      line({
        id: 'r2',
        custom_id: 'b',
        response: {
          status_code: 429,
          request_id: 'req_2',
          body: { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded', param: null } },
        },
        error: null,
      }),
      line({
        id: 'r3',
        custom_id: 'c',
        response: null,
        error: {
          code: 'batch_expired',
          message: 'This request could not be executed before the completion window expired.',
        },
      }),
      line({ id: 'r4', custom_id: 'd', response: null, error: null }),
      line({ id: 'r5', custom_id: 'e', response: { status_code: 500, body: 'oops sk-proj-abcdefghijklmno' } }),
    ].join('\n');
    const outcomes = parseBatchResults(output, errors)._unsafeUnwrap();
    expect([...outcomes.keys()]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(outcomes.get('a')).toEqual({
      type: 'succeeded',
      customId: 'a',
      status: 200,
      requestId: 'req_1',
      body: { ok: true },
    });
    expect(outcomes.get('b')).toMatchObject({
      type: 'failed',
      status: 429,
      requestId: 'req_2',
      error: { _tag: 'RateLimitError', retryable: true, requestId: 'req_2', code: 'rate_limit_exceeded' },
    });
    expect(outcomes.get('c')).toEqual({
      type: 'not-run',
      customId: 'c',
      reason: 'batch_expired: This request could not be executed before the completion window expired.',
    });
    expect(outcomes.get('d')).toEqual({ type: 'not-run', customId: 'd', reason: 'no response' });
    expect(outcomes.get('e')).toMatchObject({
      type: 'failed',
      requestId: null,
      error: { _tag: 'InternalServerError' },
    });
    expect(JSON.stringify(outcomes.get('e'))).not.toContain('abcdefghijklmnop');
  });

  it('refuses a line that is not JSON or has no custom id', () => {
    expect(parseBatchResults('{"custom_id": "a", "response"', '')._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
      message: 'line 1 of the batch output file is not JSON',
    });
    expect(parseBatchResults('', '\n"text"\n')._unsafeUnwrapErr().message).toBe(
      'line 2 of the batch error file has no custom_id',
    );
  });
});
