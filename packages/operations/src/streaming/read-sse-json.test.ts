import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { readSseJson, sseTerminated } from './read-sse-json.ts';

const encoder = new TextEncoder();

/** A response whose body delivers `pieces` one read at a time, then ends (or fails with `error`). */
function response(
  pieces: readonly (string | Uint8Array)[],
  error?: Error,
): { body: ReadableStream<Uint8Array>; headers: Headers; cancelled: () => boolean } {
  let cancelled = false;
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[index];
      index += 1;
      if (piece !== undefined) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      else if (error !== undefined) controller.error(error);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, headers: new Headers({ 'x-request-id': 'req_1' }), cancelled: () => cancelled };
}

async function readAll(iterator: AsyncIterator<unknown>): Promise<unknown[]> {
  const values: unknown[] = [];
  for (;;) {
    const step = await iterator.next();
    if (step.done === true) return values;
    values.push(step.value);
  }
}

describe('readSseJson', () => {
  it('parses every event of a read, across reads that split lines and characters', async () => {
    const euro = encoder.encode('data: {"text":"€"}\n\n');
    const split = euro.indexOf(0xe2) + 1;
    const source = response([
      'data: {"a":1}\n\ndata: {"a"',
      ':2}\n',
      '\n',
      euro.subarray(0, split),
      euro.subarray(split),
      'data: [DONE]\n\n',
      'data: {"after":"done"}\n\n',
      'data: {"more":1}\n\n',
    ]);
    expect(await readAll(readSseJson(source))).toEqual([{ a: 1 }, { a: 2 }, { text: '€' }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.cancelled()).toBe(true);
  });

  it('ends with sseTerminated after [DONE], and with undefined when the body just stops', async () => {
    const terminated = readSseJson(response(['data: {"a":1}\n\n', 'data: [DONE]\n\n']));
    expect(await terminated.next()).toEqual({ done: false, value: { a: 1 } });
    expect(await terminated.next()).toEqual({ done: true, value: sseTerminated });
    const cut = readSseJson(response(['data: {"a":1}\n\n']));
    expect(await cut.next()).toEqual({ done: false, value: { a: 1 } });
    expect(await cut.next()).toEqual({ done: true, value: undefined });
  });

  it('joins multi-line data, accepts CRLF, and skips comments and other fields', async () => {
    const source = response([
      ': keep-alive\r\nid: 7\r\nretry: 10\r\ndata: {"a":\r\ndata: 1}\r\n\r\n',
      'event: ping\n\n',
      'event: message\ndata:{"b":2}\n\n',
    ]);
    expect(await readAll(readSseJson(source))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('gives a choice without finish_reason a null one, as the SDK does', async () => {
    const source = response([
      'data: {"choices":[{"index":0,"delta":{"content":"x"}},{"index":1,"finish_reason":"stop"}]}\n\n',
    ]);
    expect(await readAll(readSseJson(source))).toEqual([
      {
        choices: [
          { index: 0, delta: { content: 'x' }, finish_reason: null },
          { index: 1, finish_reason: 'stop' },
        ],
      },
    ]);
  });

  it('delivers the events before an error event, then throws an APIError without status', async () => {
    const iterator = readSseJson(
      response([
        'data: {"a":1}\n\ndata: {"error":{"message":"overloaded","type":"server_error"}}\n\ndata: {"a":2}\n\n',
      ]),
    );
    expect(await iterator.next()).toEqual({ done: false, value: { a: 1 } });
    const error: unknown = await iterator.next().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: undefined, message: 'overloaded' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('throws an APIError for an event named error too', async () => {
    const error: unknown = await readAll(
      readSseJson(response(['event: error\ndata: {"error":{"message":"boom"}}\n\n'])),
    ).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ message: 'boom' });
  });

  it('throws a SyntaxError for data that is not JSON', async () => {
    await expect(readAll(readSseJson(response(['data: {"a":\n\n'])))).rejects.toThrow(SyntaxError);
  });

  it('drops an event cut off by the end of the body', async () => {
    expect(await readAll(readSseJson(response(['data: {"a":1}\n\ndata: {"a":2}'])))).toEqual([{ a: 1 }]);
  });

  it('ends quietly when the request is aborted, and throws any other read error', async () => {
    const aborted = new DOMException('This operation was aborted', 'AbortError');
    expect(await readAll(readSseJson(response(['data: {"a":1}\n\n'], aborted)))).toEqual([{ a: 1 }]);
    const dropped = new TypeError('terminated');
    await expect(readAll(readSseJson(response(['data: {"a":1}\n\n'], dropped)))).rejects.toBe(dropped);
  });

  it('has nothing to read without a body, and stops reading when returned early', async () => {
    expect(await readAll(readSseJson({ body: null, headers: new Headers() }))).toEqual([]);
    const source = response(['data: {"a":1}\n\ndata: {"a":2}\n\n', 'data: {"a":3}\n\n', 'data: {"a":4}\n\n']);
    const iterator = readSseJson(source);
    await iterator.next();
    expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.cancelled()).toBe(true);
  });
});
