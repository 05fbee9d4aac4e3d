import type { StreamPartialOutput } from '@openai-integration/core';
import type { AnswerToolCall } from '../streaming/stream-event.ts';

/** A tool call as its fragments arrive in a stream. */
export interface ToolCallState {
  index: number;
  id: string | null;
  name: string | null;
  arguments: string;
}

/** The calls as far as they arrived, for `StreamInterruptedError.partial`. */
export const partialToolCalls = (calls: Map<unknown, ToolCallState>): StreamPartialOutput['toolCalls'] =>
  [...calls.values()].map((call) => ({ ...call }));

/** The calls of a completed stream. */
export const finishedToolCalls = (calls: Map<unknown, ToolCallState>): AnswerToolCall[] =>
  [...calls.values()].map((call) => ({ id: call.id ?? '', name: call.name ?? '', arguments: call.arguments }));
