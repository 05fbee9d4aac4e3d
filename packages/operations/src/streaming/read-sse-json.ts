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
 * generators. Events are parsed one at a time, as they are asked for: a network read
 * that brings hundreds of events at once (a fast server, or a burst after a pause)
 * hands out its first event after parsing that event alone.
 *
 * As the SDK: `data: [DONE]` ends it (the rest of the body is cancelled), and the
 * iterator's last result then carries {@link sseTerminated} as its value, so that a
 * stream with its terminator can be told from a body that was cut short; an event
 * named `error`, or data with an `error` field, throws an `APIError` without status
 * (the server reported an error inside the stream); data that is not JSON throws a
 * `SyntaxError`; an aborted request ends it quietly (whoever aborted knows why); any
 * other read error (a dropped connection) is thrown as it is. Events before an error
 * are delivered first. A choice without `finish_reason` gets `null`, as the SDK's chat
 * stream gives it. Lines end with `\n` or `\r\n`; `:` comments and fields other than
 * `data` and `event` are skipped; an event cut off by the end of the body is dropped,
 * as the SSE standard says.
 */
export function readSseJson(response: SseResponse): AsyncIterator<unknown, typeof sseTerminated | undefined> {
  type Step = IteratorResult<unknown, typeof sseTerminated | undefined>;
  const cut: IteratorResult<unknown, undefined> = { done: true, value: undefined };
  const terminated: IteratorResult<unknown, typeof sseTerminated> = { done: true, value: sseTerminated };
  if (response.body === null) return { next: () => Promise.resolve(cut) };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  // The text received and not read yet starts at `position`.
  let buffer = '';
  let position = 0;
  let data: string[] = [];
  let eventName = '';
  // The body has no more bytes.
  let bodyDone = false;
  // Nothing more is handed out: `[DONE]` came, a failure was thrown, or the reader was returned.
  let ended = false;
  let sawTerminator = false;
  let failure: Error | undefined;

  /** Ends the event being built: its parsed data, or undefined (no data, `[DONE]`, or a failure, which is kept). */
  const dispatch = (): Step | undefined => {
    if (data.length === 0) {
      eventName = '';
      return undefined;
    }
    const text = data.length === 1 ? (data[0] ?? '') : data.join('\n');
    const name = eventName;
    data = [];
    eventName = '';
    if (text === '[DONE]') {
      ended = true;
      sawTerminator = true;
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      failure = malformed();
      return undefined;
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
      return undefined;
    }
    if (Array.isArray(record?.choices)) {
      for (const choice of record.choices as unknown[]) {
        const normalized = choice as { finish_reason?: unknown } | null;
        if (typeof choice === 'object' && normalized !== null && normalized.finish_reason === undefined)
          normalized.finish_reason = null;
      }
    }
    return { done: false, value: parsed };
  };

  const line = (text: string): void => {
    if (text.charCodeAt(0) === 58) return; // ':' starts a comment
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventName = value;
  };

  /**
   * The next event of the text received, or the end; undefined when a read is needed
   * or a failure is due. Lines are read only as far as the event asked for.
   */
  const take = (): Step | undefined => {
    while (!ended && failure === undefined) {
      const newline = buffer.indexOf('\n', position);
      if (newline === -1) break;
      const end = newline > position && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const start = position;
      position = newline + 1;
      if (end === start) {
        const event = dispatch();
        if (event !== undefined) return event;
      } else {
        line(buffer.slice(start, end));
      }
    }
    if (failure !== undefined) return undefined;
    if (ended) return sawTerminator ? terminated : cut;
    if (!bodyDone) return undefined;
    ended = true;
    return cut;
  };

  /** Appends text received to what is left unread. */
  const append = (text: string): void => {
    buffer = position >= buffer.length ? text : buffer.slice(position) + text;
    position = 0;
  };

  /** The error that ends the stream, once: the rest of the body is cancelled. */
  const takeFailure = (error: Error): Error => {
    failure = undefined;
    ended = true;
    reader.cancel().catch(() => undefined);
    return error;
  };

  const onRead = (step: { readonly done: boolean; readonly value?: Uint8Array | undefined }): Step | Promise<Step> => {
    if (step.done || step.value === undefined) {
      bodyDone = true;
      append(decoder.decode());
    } else {
      append(decoder.decode(step.value, { stream: true }));
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
      buffer = '';
      position = 0;
      reader.cancel().catch(() => undefined);
      return Promise.resolve(cut);
    },
  };
}
