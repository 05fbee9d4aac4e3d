import { APIError } from 'openai';

/** What {@link readSseJson} needs of a response. */
export interface SseResponse {
  readonly body: ReadableStream<Uint8Array> | null;
  readonly headers: Headers;
}

/**
 * The value a {@link readSseJson} iterator ends with when the body carried its
 * terminator, `data: [DONE]`; a body that simply stops ends with `undefined`.
 */
export const sseTerminated = 'terminated';

const malformed = (): SyntaxError => new SyntaxError('Error reading response: malformed server-sent event JSON.');

const isAbort = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

/**
 * Reads a `text/event-stream` body as the parsed JSON of its events, the way the SDK's
 * stream does for chat completions, in one loop instead of the SDK's four nested async
 * generators: every event of a network read is parsed at once and handed out without
 * a promise of its own.
 *
 * As the SDK: `data: [DONE]` ends it (the rest of the body is cancelled), and the
 * iterator's last result then carries {@link sseTerminated} as its value, so that a
 * stream with its terminator can be told from a body that was cut short; an event
 * named `error`, or data with an `error` field, throws an `APIError` without status
 * (the server reported an error inside the stream); data that is not JSON throws a
 * `SyntaxError`; an aborted request ends it quietly (whoever aborted knows why); any
 * other read error (a dropped connection) is thrown as it is. Events queued before an
 * error are delivered first. A choice without `finish_reason` gets `null`, as the
 * SDK's chat stream gives it. Lines end with `\n` or `\r\n`; `:` comments and fields
 * other than `data` and `event` are skipped; an event cut off by the end of the body
 * is dropped, as the SSE standard says.
 */
export function readSseJson(response: SseResponse): AsyncIterator<unknown, typeof sseTerminated | undefined> {
  const cut: IteratorResult<unknown, undefined> = { done: true, value: undefined };
  const terminated: IteratorResult<unknown, typeof sseTerminated> = { done: true, value: sseTerminated };
  if (response.body === null) return { next: () => Promise.resolve(cut) };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let data: string[] = [];
  let eventName = '';
  let queue: unknown[] = [];
  let queued = 0;
  let ended = false;
  let sawTerminator = false;
  let failure: Error | undefined;

  const dispatch = (): void => {
    if (data.length === 0) {
      eventName = '';
      return;
    }
    const text = data.length === 1 ? (data[0] ?? '') : data.join('\n');
    const name = eventName;
    data = [];
    eventName = '';
    if (text === '[DONE]') {
      ended = true;
      sawTerminator = true;
      reader.cancel().catch(() => undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      failure = malformed();
      return;
    }
    const record =
      typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown; choices?: unknown }) : undefined;
    if (name === 'error' || Boolean(record?.error)) {
      failure = new APIError(
        undefined,
        (name === 'error' ? (record?.error ?? parsed) : record?.error) as object,
        undefined,
        response.headers,
      );
      return;
    }
    if (Array.isArray(record?.choices)) {
      for (const choice of record.choices as unknown[]) {
        const normalized = choice as { finish_reason?: unknown } | null;
        if (typeof choice === 'object' && normalized !== null && normalized.finish_reason === undefined)
          normalized.finish_reason = null;
      }
    }
    queue.push(parsed);
  };

  const line = (text: string): void => {
    if (text === '') {
      dispatch();
      return;
    }
    if (text.charCodeAt(0) === 58) return; // ':' starts a comment
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventName = value;
  };

  const feed = (text: string): void => {
    const all = pending === '' ? text : pending + text;
    let start = 0;
    while (!ended && failure === undefined) {
      const newline = all.indexOf('\n', start);
      if (newline === -1) break;
      const end = newline > start && all.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      line(all.slice(start, end));
      start = newline + 1;
    }
    pending = all.slice(start);
  };

  /** The next queued event, or the end; undefined when the error after them is due or a read is needed. */
  const take = (): IteratorResult<unknown, typeof sseTerminated | undefined> | undefined => {
    if (queued < queue.length) {
      const value = queue[queued];
      queued += 1;
      if (queued === queue.length) {
        queue = [];
        queued = 0;
      }
      return { done: false, value };
    }
    if (!ended || failure !== undefined) return undefined;
    return sawTerminator ? terminated : cut;
  };
  /** The error that ends the stream, once: the rest of the body is cancelled. */
  const takeFailure = (error: Error): Error => {
    failure = undefined;
    ended = true;
    reader.cancel().catch(() => undefined);
    return error;
  };

  type Step = IteratorResult<unknown, typeof sseTerminated | undefined>;
  const onRead = (step: { readonly done: boolean; readonly value?: Uint8Array | undefined }): Step | Promise<Step> => {
    if (step.done || step.value === undefined) {
      ended = true;
      feed(decoder.decode());
    } else {
      feed(decoder.decode(step.value, { stream: true }));
    }
    const ready = take();
    if (ready !== undefined) return ready;
    if (failure !== undefined) throw takeFailure(failure);
    return next();
  };
  const onReadError = (error: unknown): Step => {
    ended = true;
    if (isAbort(error)) return cut;
    throw error;
  };

  const next = (): Promise<Step> => {
    const ready = take();
    if (ready !== undefined) return Promise.resolve(ready);
    if (failure !== undefined) return Promise.reject(takeFailure(failure));
    return reader.read().then(onRead, onReadError);
  };

  return {
    next,
    return: () => {
      ended = true;
      queue = [];
      reader.cancel().catch(() => undefined);
      return Promise.resolve(cut);
    },
  };
}
