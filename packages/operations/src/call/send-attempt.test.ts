import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { readJsonBody, sdkRequestOptions, type JsonShape } from './send-attempt.ts';

const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeout: 600_000, maxRetries: 0 });
const attemptSignal = new AbortController().signal;

describe('sdkRequestOptions', () => {
  it('leaves the signal out when only the attempt timeout can abort it, and the timeout when it is the client one', () => {
    expect(sdkRequestOptions(client, attemptSignal, { timeoutMs: 600_000, cancellable: false })).toEqual({});
  });

  it('passes the signal when a caller signal or a deadline can abort the attempt early', () => {
    expect(sdkRequestOptions(client, attemptSignal, { timeoutMs: 600_000, cancellable: true })).toEqual({
      signal: attemptSignal,
    });
    expect(sdkRequestOptions(client, attemptSignal, { timeoutMs: 20_000, cancellable: true })).toEqual({
      signal: attemptSignal,
      timeout: 20_000,
    });
  });

  it('passes a timeout of its own, but never one a timer cannot hold', () => {
    expect(sdkRequestOptions(client, attemptSignal, { timeoutMs: 20_000, cancellable: false })).toEqual({
      timeout: 20_000,
    });
    expect(
      sdkRequestOptions(client, attemptSignal, { timeoutMs: Number.POSITIVE_INFINITY, cancellable: false }),
    ).toEqual({});
    expect(sdkRequestOptions(client, attemptSignal, { timeoutMs: 2 ** 31, cancellable: false })).toEqual({});
  });
});

const anyObject: JsonShape<Record<string, unknown>> = {
  describe: 'an object',
  isExpected: (value): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value),
};

/** A response whose body arrives in the given pieces. */
function responseOf(
  pieces: readonly Uint8Array[],
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Response {
  const queue = [...pieces];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
  return new Response(body, { status: 200, headers });
}

const never = new AbortController().signal;

describe('readJsonBody', () => {
  it('joins a body that arrives in pieces, even with a character split between two of them', async () => {
    const bytes = new TextEncoder().encode('{"text":"café au lait"}');
    const split = bytes.indexOf(0xc3) + 1;
    const read = await readJsonBody(
      responseOf([bytes.slice(0, split), bytes.slice(split, split + 3), bytes.slice(split + 3)]),
      never,
      anyObject,
    );
    expect(read._unsafeUnwrap()).toEqual({ text: 'café au lait' });
  });

  it('drops a byte-order mark, as Response.text() does', async () => {
    const read = await readJsonBody(
      responseOf([new Uint8Array([0xef, 0xbb, 0xbf]), new TextEncoder().encode('{"a":1}')]),
      never,
      anyObject,
    );
    expect(read._unsafeUnwrap()).toEqual({ a: 1 });
  });

  it('returns a response without a body as MalformedResponseError naming its content type', async () => {
    const read = await readJsonBody(
      new Response(null, { status: 200, headers: { 'x-request-id': 'req_9' } }),
      never,
      anyObject,
    );
    expect(read._unsafeUnwrapErr()).toMatchObject({
      _tag: 'MalformedResponseError',
      message:
        'the response body is empty (content-type none); expected an object. Check that OPENAI_BASE_URL points at an OpenAI-compatible API (a proxy or gateway may have answered instead); the text received is the cause (cause.body); retrying may help',
      requestId: 'req_9',
      status: 200,
    });
  });

  it('keeps the text and the parse error of a body that is not JSON, out of the message', async () => {
    const read = await readJsonBody(
      responseOf([new TextEncoder().encode('<html>busy</html>')], { 'content-type': 'text/html' }),
      never,
      anyObject,
    );
    const error = read._unsafeUnwrapErr();
    expect(error.message).toBe(
      'the response body is not JSON (content-type text/html, 17 characters); expected an object. Check that OPENAI_BASE_URL points at an OpenAI-compatible API (a proxy or gateway may have answered instead); the text received is the cause (cause.body); retrying may help',
    );
    const cause = error.cause as { readonly body: string; readonly error: unknown };
    expect(cause.body).toBe('<html>busy</html>');
    expect(cause.error).toBeInstanceOf(SyntaxError);
  });

  it('cancels the body with the reason when the signal aborts during the read', async () => {
    const cancelled: unknown[] = [];
    let first = true;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (first) controller.enqueue(new TextEncoder().encode('{"a":'));
        first = false;
        // Nothing more arrives: the read waits.
      },
      cancel(reason) {
        cancelled.push(reason);
      },
    });
    const controller = new AbortController();
    const pending = readJsonBody(new Response(body), controller.signal, anyObject);
    await Promise.resolve();
    controller.abort('attempt over');
    // The read ends with what arrived, which the transport drops: that attempt is over.
    expect((await pending)._unsafeUnwrapErr()._tag).toBe('MalformedResponseError');
    expect(cancelled).toEqual(['attempt over']);
  });

  it('cancels the body at once when the signal aborted before the read began', async () => {
    const cancelled: unknown[] = [];
    const body = new ReadableStream<Uint8Array>({
      pull() {
        // Nothing ever arrives.
      },
      cancel(reason) {
        cancelled.push(reason);
      },
    });
    const read = await readJsonBody(new Response(body), AbortSignal.abort('too late'), anyObject);
    expect(read._unsafeUnwrapErr()._tag).toBe('MalformedResponseError');
    expect(cancelled).toEqual(['too late']);
  });

  it('lets a failed read throw, for the SDK error mapping', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new TypeError('terminated'));
      },
    });
    await expect(readJsonBody(new Response(body), never, anyObject)).rejects.toThrow('terminated');
  });
});
