import { createError } from '@openai-integration/core';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  RateLimitError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { fromSdkError } from './from-sdk-error.ts';

const headers = new Headers({
  'x-request-id': 'req_abc',
  'retry-after-ms': '250',
  'x-ratelimit-remaining-requests': '0',
  'x-ratelimit-reset-requests': '2s',
});

describe('fromSdkError', () => {
  it('maps an SDK status error through the status table, keeping request id, hint and rate limits', () => {
    const thrown = new RateLimitError(
      429,
      {
        message: 'Rate limit reached. Please try again in 250ms.',
        type: 'requests',
        code: 'rate_limit_exceeded',
        param: null,
      },
      undefined,
      headers,
    );
    const error = fromSdkError(thrown, { now: 1_000 });
    expect(error).toMatchObject({
      _tag: 'RateLimitError',
      origin: 'server',
      requestId: 'req_abc',
      retryAfterMs: 250,
      type: 'requests',
      code: 'rate_limit_exceeded',
    });
    expect(error._tag === 'RateLimitError' && error.rateLimit?.requests).toMatchObject({
      remaining: 0,
      resetMs: 2_000,
      resetAt: 3_000,
    });
    expect(error.cause).toBe(thrown);
  });

  it('maps a status error whose body was not JSON', () => {
    const thrown = APIError.generate(502, undefined, '<html>Bad gateway</html>', new Headers());
    expect(fromSdkError(thrown)).toMatchObject({ _tag: 'BadGatewayError', status: 502, retryable: true });
  });

  it('maps an error shaped like the SDK one from another copy of the SDK', () => {
    const foreign = {
      status: 404,
      message: '404 model not found',
      error: {
        message: 'The model `x` does not exist',
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: null,
      },
      headers: new Headers(),
    };
    expect(fromSdkError(foreign)).toMatchObject({ _tag: 'NotFoundError', code: 'model_not_found' });
  });

  it('maps aborts, timeouts and connection failures', () => {
    expect(fromSdkError(new APIUserAbortError())._tag).toBe('AbortedError');
    expect(fromSdkError(new APIConnectionTimeoutError())).toMatchObject({
      _tag: 'TimeoutError',
      kind: 'attempt',
      retryable: true,
    });
    const reset = new APIConnectionError({ cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(fromSdkError(reset)).toMatchObject({ _tag: 'ConnectionError', code: 'ECONNRESET', retryable: true });
    expect(fromSdkError(new TypeError('terminated'))).toMatchObject({ _tag: 'ConnectionError', code: null });
    expect(
      fromSdkError(Object.assign(new Error('other side closed'), { cause: { code: 'UND_ERR_SOCKET' } })),
    ).toMatchObject({ _tag: 'ConnectionError', code: 'UND_ERR_SOCKET' });
  });

  it('treats an abort of the attempt signal as a timeout when the attempt had one, and the caller abort as abort', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(fromSdkError(abort, { signal: controller.signal, timeoutMs: 5 })._tag).toBe('AbortedError');
    expect(fromSdkError(abort, { timeoutMs: 5 })).toMatchObject({ _tag: 'TimeoutError', timeoutMs: 5 });
  });

  it('maps an error event inside a stream to a StreamInterruptedError', () => {
    const thrown = new APIError(
      undefined,
      { message: 'The server had an error', code: 'server_error' },
      undefined,
      new Headers(),
    );
    expect(fromSdkError(thrown)).toMatchObject({
      _tag: 'StreamInterruptedError',
      reason: 'server-error-event',
      code: 'server_error',
      message: expect.stringMatching(/The server had an error/) as unknown,
    });
    expect(fromSdkError(new APIError(undefined, undefined, undefined, new Headers()))).toMatchObject({
      code: null,
      message: expect.stringMatching(/no message/) as unknown,
    });
  });

  it('maps malformed JSON and unknown throws without leaking keys', () => {
    expect(fromSdkError(new SyntaxError('Unexpected token'))._tag).toBe('MalformedResponseError');
    const odd = fromSdkError(new Error('boom with sk-proj-abcdefghijklmno'), { knownSecrets: [] });
    expect(odd).toMatchObject({ _tag: 'MalformedResponseError', retryable: false });
    expect(odd.message).not.toContain('abcdefghijklmnop');
    expect(fromSdkError('a string')._tag).toBe('MalformedResponseError');
  });

  it('maps HTTP 413, 414 and 431 to a RequestTooLargeError that says what was too large', () => {
    const body = APIError.generate(
      413,
      { message: 'Request body too large', type: 'invalid_request_error', code: null, param: null },
      undefined,
      new Headers(),
    );
    expect(fromSdkError(body)).toMatchObject({
      _tag: 'RequestTooLargeError',
      status: 413,
      part: 'body',
      retryable: false,
      message: expect.stringMatching(/^HTTP 413: the request body is too large/) as unknown,
    });
    expect(fromSdkError(APIError.generate(431, undefined, '', new Headers()))).toMatchObject({
      _tag: 'RequestTooLargeError',
      part: 'headers',
      message: expect.stringMatching(/^HTTP 431: the request headers are too large/) as unknown,
    });
    expect(fromSdkError(APIError.generate(414, undefined, '', new Headers()))).toMatchObject({
      _tag: 'RequestTooLargeError',
      part: 'url',
    });
  });

  it('maps a request the real SDK refuses to build to a ValidationError, without sending it', async () => {
    let sent = 0;
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://127.0.0.1:9/v1',
      maxRetries: 0,
      fetch: () => {
        sent += 1;
        return Promise.reject(new Error('nothing should be sent'));
      },
    });
    // The SDK throws some refusals at once and rejects with others.
    const thrownBy = async (send: () => Promise<unknown>): Promise<unknown> => {
      try {
        await send();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    };
    const refusals = [
      await thrownBy(() => client.files.retrieve('..')),
      await thrownBy(() =>
        client.chat.completions.create({ model: 'x', messages: [] }, { headers: { 'x-note': 'two\nlines' } }),
      ),
      await thrownBy(() =>
        client.chat.completions.create({ model: 'x', messages: [], metadata: { n: 1n as unknown as string } }),
      ),
    ];
    expect(sent).toBe(0);
    for (const thrown of refusals) {
      const error = fromSdkError(thrown);
      expect(error).toMatchObject({
        _tag: 'ValidationError',
        retryable: false,
        issues: [{ path: 'request', code: 'request_refused' }],
      });
      expect(error.message).toMatch(
        /^the openai SDK refused to build the request \(.+\); nothing was sent: fix the request$/,
      );
      expect(error.message).not.toContain('\n');
    }
    const huge = fromSdkError(new RangeError('Invalid string length'));
    expect(huge).toMatchObject({ _tag: 'ValidationError', issues: [{ code: 'request_too_large' }] });
    expect(huge.message).toMatch(/^the request body is too large to build in memory/);
  });

  it('says that a connection failing while a large body is sent is likely caused by its size', () => {
    const reset = (): APIConnectionError =>
      new APIConnectionError({ cause: Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) });
    const large = fromSdkError(reset(), { requestBytes: 12 * 1_048_576 });
    expect(large).toMatchObject({
      _tag: 'ConnectionError',
      code: 'EPIPE',
      requestBytes: 12 * 1_048_576,
      retryable: true,
    });
    expect(large.message).toBe(
      'the connection failed while a 12.0 MiB request was sent (EPIPE): the server or a proxy may refuse a body this large; send less or split the request',
    );
    const small = fromSdkError(reset(), { requestBytes: 2_000 });
    expect(small).toMatchObject({
      _tag: 'ConnectionError',
      requestBytes: 2_000,
      message: expect.stringMatching(/^could not reach the API \(EPIPE\): check OPENAI_BASE_URL/) as unknown,
    });
    const terminated = fromSdkError(new TypeError('terminated'), { requestBytes: 3 * 1_048_576 });
    expect(terminated).toMatchObject({
      _tag: 'ConnectionError',
      code: null,
      requestBytes: 3 * 1_048_576,
      message: expect.stringMatching(/^the connection failed while a 3\.0 MiB request was sent: /) as unknown,
    });
    expect('requestBytes' in fromSdkError(reset())).toBe(false);
  });

  it('passes errors of the union through unchanged', () => {
    const existing = createError('CircuitOpenError', { message: 'open', key: 'chat:x', retryAfterMs: 10 });
    expect(fromSdkError(existing)).toBe(existing);
  });
});
