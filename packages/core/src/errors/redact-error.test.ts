import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHttpFailure } from './from-http-failure.ts';
import { createError } from './integration-error.ts';
import { redactError, scrubValue } from './redact-error.ts';

const key = 'sk-proj-Ab12Cd34Ef56Gh78Ij90';

/** An error shaped like the SDK's APIError: a message, the body, the response headers. */
class FakeApiError extends Error {
  readonly status = 400;
  readonly error: object;
  readonly headers: Headers;
  constructor(message: string, body: object, headers: Headers) {
    super(message);
    this.name = 'BadRequestError';
    this.error = body;
    this.headers = headers;
  }
}

const everywhere = (error: object): string =>
  `${JSON.stringify(error)} ${inspect(error, { depth: 10, showHidden: true })} ${inspect((error as { cause?: unknown }).cause, { depth: 10, showHidden: true })}`;

describe('redactError', () => {
  it('scrubs a key that the server echoes in param and code, in a header and in the cause', () => {
    const body = {
      error: { message: 'bad key', type: 'invalid_request_error', param: `api_key=${key}`, code: `bad_${key}` },
    };
    const headers = new Headers({ 'x-request-id': 'req_1', 'x-echo': `key ${key}` });
    const cause = new FakeApiError(`400 Incorrect API key provided: ${key}`, body.error, headers);
    const error = fromHttpFailure({ status: 400, headers, body, cause });
    expect(everywhere(error)).not.toContain(key.slice(3));
    expect(error).toMatchObject({
      _tag: 'BadRequestError',
      status: 400,
      requestId: 'req_1',
      type: 'invalid_request_error',
    });
    const scrubbedCause = error.cause as FakeApiError;
    expect(scrubbedCause).toBeInstanceOf(FakeApiError);
    expect(scrubbedCause.status).toBe(400);
    expect(scrubbedCause.message).toBe('400 Incorrect API key provided: [redacted]');
    expect(scrubbedCause.headers.get('x-request-id')).toBe('req_1');
    expect(scrubbedCause.headers.get('x-echo')).toBe('key [redacted]');
    expect(Object.keys(error)).not.toContain('cause');
    expect(cause.message).toContain(key);
  });

  it('scrubs known secrets that do not look like keys', () => {
    const azureKey = '0123456789abcdef0123456789abcdef';
    const error = fromHttpFailure({
      status: 401,
      body: { error: { message: `key ${azureKey} is wrong`, param: azureKey, code: null, type: null } },
      knownSecrets: [azureKey],
      cause: new Error(`401 ${azureKey}`),
    });
    expect(everywhere(error)).not.toContain(azureKey);
  });

  it('returns the same error when there is nothing to scrub, and scrubs a key out of the partial output of a stream', () => {
    const cause = new Error('plain');
    const error = createError('TimeoutError', { message: 'slow', kind: 'attempt', timeoutMs: 5, cause });
    expect(redactError(error)).toBe(error);
    expect(error.cause).toBe(cause);
    const partial = {
      text: `the model said ${key}`,
      toolCalls: [],
      eventsReceived: 1,
      responseId: null,
      lastSequenceNumber: null,
    };
    const interrupted = createError('StreamInterruptedError', {
      message: 'cut',
      reason: 'connection-lost',
      partial,
      requestId: null,
      code: null,
    });
    expect(interrupted.partial.text).toBe('the model said [redacted]');
    const clean = createError('StreamInterruptedError', {
      message: 'cut',
      reason: 'connection-lost',
      partial: { ...partial, text: 'hello' },
      requestId: null,
      code: null,
    });
    expect(redactError(clean)).toBe(clean);
  });

  it('follows a cause chain and cycles without looping', () => {
    const inner = new Error(`inner ${key}`);
    const outer = new Error('outer', { cause: inner }) as Error & { self?: unknown };
    outer.self = outer;
    const error = createError('ConnectionError', { message: 'down', code: null, cause: outer });
    expect(everywhere(error)).not.toContain(key.slice(3));
    const scrubbed = error.cause as Error & { self?: unknown };
    expect(scrubbed.self).toBe(scrubbed);
    expect((scrubbed.cause as Error).message).toBe('inner [redacted]');
  });

  it('stops at a depth and keeps objects of other classes and URLs without keys as they are', () => {
    let deep: Record<string, unknown> = { text: key };
    for (let level = 0; level < 12; level += 1) deep = { next: deep };
    expect(JSON.stringify(scrubValue(deep, []))).not.toContain(key);
    const stream = new ReadableStream();
    expect(scrubValue(stream, [])).toBe(stream);
    const url = new URL('https://example.com/v1');
    expect(scrubValue(url, [])).toBe(url);
    expect(scrubValue(new URL(`https://example.com/v1?key=${key}`), [])).toBe('https://example.com/v1?key=[redacted]');
    expect(scrubValue([1, 'a'], [])).toEqual([1, 'a']);
    expect(scrubValue([`x ${key}`], [])).toEqual(['x [redacted]']);
  });
});

describe('redactError, for any key', () => {
  const keyBody = fc
    .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split('')), {
      minLength: 20,
      maxLength: 80,
    })
    .map((characters) => characters.join(''))
    .filter((body) => /[0-9A-Z]/.test(body));
  const anyKey = fc
    .tuple(fc.constantFrom('sk-', 'sk-proj-', 'sk-svcacct-', 'sk-admin-'), keyBody)
    .map(([prefix, body]) => prefix + body);
  const place = fc.constantFrom(
    'message',
    'param',
    'code',
    'header',
    'url',
    'cause message',
    'cause stack',
    'cause body',
  );

  it('leaves no trace of it in JSON, in inspect or in the cause, wherever the server put it', () => {
    fc.assert(
      fc.property(anyKey, place, (secret, where) => {
        const inMessage = where === 'message' ? `Incorrect API key provided: ${secret}.` : 'bad request';
        const body = {
          error: {
            message: inMessage,
            type: 'invalid_request_error',
            param: where === 'param' ? secret : null,
            code: where === 'code' ? secret : null,
          },
        };
        const headers = new Headers(
          where === 'header'
            ? { 'x-echo': secret }
            : where === 'url'
              ? { location: `https://example.com/v1?api_key=${secret}` }
              : {},
        );
        const cause = new FakeApiError(where === 'cause message' ? `400 ${secret}` : '400', body.error, headers);
        if (where === 'cause stack') cause.stack = `Error: at ${secret}`;
        if (where === 'cause body')
          Object.defineProperty(cause, 'body', { value: `{"echo":"${secret}"}`, enumerable: false });
        const error = fromHttpFailure({ status: 400, headers, body, cause });
        expect(everywhere(error)).not.toContain(secret.slice(3));
      }),
      { numRuns: 300 },
    );
  });
});
