import type { ContentFilterCategory } from '../profiles/azure-simulator-options.ts';

/**
 * Where a scripted fault applies. A family (`'files'`) covers all its operations; an
 * operation (`'files.create'`) only that one; `'*'` any request. The stored chat
 * completions (`GET/POST/DELETE /chat/completions/{id}`, the list and the
 * messages) are the family `'chat.completions.stored'`, apart from
 * `'chat.completions'` (creating one). For each request
 * the simulator takes the next fault from the operation's queue, else the family's,
 * else `'*'`.
 */
export type SimulatorRoute =
  | '*'
  | 'chat.completions'
  | 'chat.completions.stored'
  | 'chat.completions.list'
  | 'chat.completions.retrieve'
  | 'chat.completions.update'
  | 'chat.completions.delete'
  | 'chat.completions.messages'
  | 'responses'
  | 'responses.create'
  | 'responses.retrieve'
  | 'responses.delete'
  | 'responses.cancel'
  | 'responses.input_items'
  | 'embeddings'
  | 'models'
  | 'models.list'
  | 'models.retrieve'
  | 'files'
  | 'files.create'
  | 'files.list'
  | 'files.retrieve'
  | 'files.content'
  | 'files.delete'
  | 'batches'
  | 'batches.create'
  | 'batches.retrieve'
  | 'batches.list'
  | 'batches.cancel'
  | 'moderations';

/** A tool call that a scripted reply makes. */
export interface ScriptedToolCall {
  /** The function name. */
  readonly name: string;
  /** The arguments, as a JSON string (sent as is, even if invalid) or an object (serialised). */
  readonly arguments: string | Readonly<Record<string, unknown>>;
}

/**
 * What one chat completion or response says instead of the generated reply. With
 * `toolCalls` it calls those tools; otherwise it answers `content`, or generated
 * text of exactly `tokens` tokens. `max_tokens` still cuts it.
 */
export interface ScriptedReply {
  readonly content?: string;
  readonly tokens?: number;
  readonly toolCalls?: readonly ScriptedToolCall[];
}

/**
 * One scripted misbehaviour (or scripted reply) for one request, queued with
 * `enqueue(route, ...faults)`. A "chunk" is one SSE frame (`data: ...\n\n`, or an
 * `event:` + `data:` frame for the Responses API).
 *
 * - `status`: that status with OpenAI's error body for it (`message`, `code`,
 *   `errorType`, `param` override the defaults; `body` replaces the body with raw
 *   text, e.g. an HTML 502 page) and optional extra `headers` (`x-should-retry`).
 * - `rate-limit`: a 429 `rate_limit_exceeded` (`type` `requests` or `tokens`) with
 *   `retry-after` and/or `retry-after-ms` when given, and exhausted rate-limit headers.
 * - `quota`: a 429 `insufficient_quota` (not transient).
 * - `reset`: the connection is reset before any response header.
 * - `stall`: no response at all; the request is held until the client aborts it or
 *   the simulator closes.
 * - `stream-cut`: the response stops after `afterChunks` chunks without its
 *   terminator and the connection is dropped (on a JSON reply: half the body).
 * - `stream-stall`: after `afterChunks` chunks nothing more comes until the client
 *   aborts or the simulator closes (on a JSON reply: half the body, then silence).
 * - `stream-error`: after `afterChunks` chunks an error arrives in the stream with
 *   HTTP 200: `data: {"error": ...}` for chat, `event: error` then
 *   `response.failed` for responses (on a JSON reply: a 500 instead).
 * - `malformed`: status 200 with a body that is not valid JSON (for a stream: a
 *   broken `data:` frame after `afterChunks` chunks).
 * - `slow`: waits `delayMs` before the headers of a JSON reply, or before each
 *   chunk of a stream, on the simulator's `sleep` scheduler.
 * - `content-filter`: Azure's content filter stops the call, under any profile:
 *   `on: 'prompt'` (default) answers 400 `content_filter` with the `innererror`
 *   per category; `on: 'completion'` (chat completions only; elsewhere it acts on
 *   the prompt) answers 200 with every choice ended by `finish_reason:
 *   content_filter` (no content; a stream stops before any content) and the filter
 *   results. `categories` are the filtered ones (default `['hate']`).
 * - `reply`: answers with the given {@link ScriptedReply}.
 * - `pass`: handles the request normally (to leave a gap in a queue).
 */
export type SimulatorFault =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly message?: string;
      readonly code?: string | null;
      readonly errorType?: string;
      readonly param?: string | null;
      readonly body?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'rate-limit';
      readonly retryAfterSeconds?: number;
      readonly retryAfterMs?: number;
      readonly limit?: 'requests' | 'tokens';
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly type: 'quota' }
  | { readonly type: 'reset' }
  | { readonly type: 'stall' }
  | { readonly type: 'stream-cut'; readonly afterChunks: number }
  | { readonly type: 'stream-stall'; readonly afterChunks: number }
  | {
      readonly type: 'stream-error';
      readonly afterChunks: number;
      readonly message?: string;
      readonly code?: string;
      readonly errorType?: string;
    }
  | { readonly type: 'malformed'; readonly afterChunks?: number }
  | { readonly type: 'slow'; readonly delayMs: number }
  | {
      readonly type: 'content-filter';
      readonly on?: 'prompt' | 'completion';
      readonly categories?: readonly ContentFilterCategory[];
    }
  | ({ readonly type: 'reply' } & ScriptedReply)
  | { readonly type: 'pass' };
