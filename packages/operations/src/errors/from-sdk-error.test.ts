import { createError } from '@openai-integration/core';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { fromSdkError } from './from-sdk-error.ts';

const headers = new Headers({ 'x-request-id': 'req_abc', 'retry-after-ms': '250', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' });

describe('fromSdkError', () => {
  it('maps an SDK status error through the status table, keeping request id, hint and rate limits', () => {
    const thrown = new RateLimitError(429, { message: 'Rate limit reached. Please try again in 250ms.', type: 'requests', code: 'rate_limit_exceeded', param: null }, undefined, headers);
    const error = fromSdkError(thrown, { now: 1_000 });
    expect(error).toMatchObject({ _tag: 'RateLimitError', origin: 'server', requestId: 'req_abc', retryAfterMs: 250, type: 'requests', code: 'rate_limit_exceeded' });
    expect(error._tag === 'RateLimitError' && error.rateLimit?.requests).toMatchObject({ remaining: 0, resetMs: 2_000, resetAt: 3_000 });
    expect(error.cause).toBe(thrown);
  });

  it('maps a status error whose body was not JSON', () => {
    const thrown = APIError.generate(502, undefined, '<html>Bad gateway</html>', new Headers());
    expect(fromSdkError(thrown)).toMatchObject({ _tag: 'BadGatewayError', status: 502, retryable: true });
  });

  it('maps an error shaped like the SDK one from another copy of the SDK', () => {
    const foreign = { status: 404, message: '404 model not found', error: { message: 'The model `x` does not exist', type: 'invalid_request_error', code: 'model_not_found', param: null }, headers: new Headers() };
    expect(fromSdkError(foreign)).toMatchObject({ _tag: 'NotFoundError', code: 'model_not_found' });
  });

  it('maps aborts, timeouts and connection failures', () => {
    expect(fromSdkError(new APIUserAbortError())._tag).toBe('AbortedError');
    expect(fromSdkError(new APIConnectionTimeoutError())).toMatchObject({ _tag: 'TimeoutError', kind: 'attempt', retryable: true });
    const reset = new APIConnectionError({ cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(fromSdkError(reset)).toMatchObject({ _tag: 'ConnectionError', code: 'ECONNRESET', retryable: true });
    expect(fromSdkError(new TypeError('terminated'))).toMatchObject({ _tag: 'ConnectionError', code: null });
    expect(fromSdkError(Object.assign(new Error('other side closed'), { cause: { code: 'UND_ERR_SOCKET' } }))).toMatchObject({ _tag: 'ConnectionError', code: 'UND_ERR_SOCKET' });
  });

  it('treats an abort of the attempt signal as a timeout when the attempt had one, and the caller abort as abort', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(fromSdkError(abort, { signal: controller.signal, timeoutMs: 5 })._tag).toBe('AbortedError');
    expect(fromSdkError(abort, { timeoutMs: 5 })).toMatchObject({ _tag: 'TimeoutError', timeoutMs: 5 });
  });

  it('maps an error event inside a stream to a StreamInterruptedError', () => {
    const thrown = new APIError(undefined, { message: 'The server had an error', code: 'server_error' }, undefined, new Headers());
    expect(fromSdkError(thrown)).toMatchObject({ _tag: 'StreamInterruptedError', reason: 'server-error-event', code: 'server_error', message: expect.stringMatching(/The server had an error/) as unknown });
    expect(fromSdkError(new APIError(undefined, undefined, undefined, new Headers()))).toMatchObject({ code: null, message: expect.stringMatching(/no message/) as unknown });
  });

  it('maps malformed JSON and unknown throws without leaking keys', () => {
    expect(fromSdkError(new SyntaxError('Unexpected token'))._tag).toBe('MalformedResponseError');
    const odd = fromSdkError(new Error('boom with sk-proj-abcdefghijklmno'), { knownSecrets: [] });
    expect(odd).toMatchObject({ _tag: 'MalformedResponseError', retryable: false });
    expect(odd.message).not.toContain('abcdefghijklmnop');
    expect(fromSdkError('a string')._tag).toBe('MalformedResponseError');
  });

  it('passes errors of the union through unchanged', () => {
    const existing = createError('CircuitOpenError', { message: 'open', key: 'chat:x', retryAfterMs: 10 });
    expect(fromSdkError(existing)).toBe(existing);
  });
});
