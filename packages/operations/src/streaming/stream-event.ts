import type { IntegrationError, StreamPartialOutput, TokenUsage } from '@openai-integration/core';

/** A tool call as it stands once a stream or a response is complete. */
export interface AnswerToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the model wrote them (JSON text). */
  readonly arguments: string;
}

/**
 * One event of a streamed answer, discriminated by `type` (noun-verb names as in the
 * Vercel AI SDK): `start`, `text-delta`, `refusal-delta`, `tool-call-delta`, `usage`,
 * `finish`, then exactly one of `end` (complete) or `error` (the stream failed; its
 * partial output is on the error).
 */
export type StreamEvent<Final = unknown> =
  | { readonly type: 'start'; readonly id: string | null; readonly model: string | null }
  | { readonly type: 'text-delta'; readonly delta: string }
  | { readonly type: 'refusal-delta'; readonly delta: string }
  | {
      readonly type: 'tool-call-delta';
      readonly index: number;
      readonly id: string | null;
      readonly name: string | null;
      readonly argumentsDelta: string;
    }
  | { readonly type: 'usage'; readonly usage: TokenUsage }
  | { readonly type: 'finish'; readonly finishReason: string }
  | { readonly type: 'end'; readonly result: Final }
  | { readonly type: 'error'; readonly error: IntegrationError };

/** What a stream accumulates: the contract between the stream runner and each API's parser. */
export interface StreamAccumulator<Chunk, Final> {
  /** Folds one parsed chunk in and returns the events it produced. */
  push(chunk: Chunk): readonly StreamEvent<Final>[];
  /**
   * Whether the stream has seen its proper end: for chat, a finish reason and then the
   * `[DONE]` terminator (`terminated`: the body ended with it); for responses,
   * `response.completed` or `response.incomplete`.
   */
  isComplete(terminated: boolean): boolean;
  /** A server-reported failure inside the stream, if one arrived as a regular event. */
  failure(): IntegrationError | undefined;
  /** What has arrived so far, for `StreamInterruptedError.partial`. */
  partial(): StreamPartialOutput;
  /** Usage so far, if the server sent it. */
  usage(): TokenUsage | undefined;
  /** The finished result; only meaningful once `isComplete()` is true. */
  final(): Final;
}
