import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { toTokenUsage, type StreamPartialOutput, type TokenUsage } from '@openai-integration/core';
import { finishedToolCalls, partialToolCalls, type ToolCallState } from '../internal/tool-call-state.ts';
import type { StreamAccumulator, StreamEvent, AnswerToolCall } from './stream-event.ts';

/** The whole answer of a completed chat stream. */
export interface ChatStreamResult {
  readonly id: string | null;
  readonly model: string | null;
  readonly text: string;
  readonly refusal: string | null;
  readonly toolCalls: readonly AnswerToolCall[];
  readonly finishReason: string | null;
  readonly usage: TokenUsage | null;
}

const noToolCalls: readonly never[] = [];

/**
 * A frame before the answer: Azure OpenAI opens a stream with the prompt's filter
 * results in a chunk with an empty `id` and `model` and no choices. The stream starts
 * with the next chunk, which names the completion.
 */
function isPreamble(chunk: ChatCompletionChunk): boolean {
  return chunk.id === '' && chunk.choices.length === 0 && (chunk.usage === undefined || chunk.usage === null);
}

/**
 * Folds Chat Completions stream chunks into text, tool calls, finish reason and usage.
 * Only choice 0 is accumulated. The stream is complete when a finish reason arrived and
 * the body ended with `data: [DONE]`; a usage chunk is not required (servers that
 * ignore `stream_options.include_usage` never send one, and the usage is then
 * estimated), and a body that stops without `[DONE]` is never complete, whatever came
 * before it.
 */
export function createChatStreamAccumulator(): StreamAccumulator<ChatCompletionChunk, ChatStreamResult> {
  let started = false;
  let id: string | null = null;
  let model: string | null = null;
  // The deltas, joined when the text is asked for: a string grown by `+=` per chunk
  // builds a rope that the garbage collector copies again and again on a long stream.
  const parts: string[] = [];
  let joined: string | undefined;
  // Joined once however often it is asked for (the partial output and the final answer both need it).
  const text = (): string => (joined ??= parts.join(''));
  let refusal: string | null = null;
  let finishReason: string | null = null;
  let usage: TokenUsage | null = null;
  let events = 0;
  const toolCalls = new Map<number, ToolCallState>();

  return {
    push(chunk) {
      events += 1;
      const out: StreamEvent<ChatStreamResult>[] = [];
      if (!started && !isPreamble(chunk)) {
        started = true;
        id = chunk.id === '' ? null : chunk.id;
        model = chunk.model === '' ? null : chunk.model;
        out.push({ type: 'start', id, model });
      }
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue;
        const delta = choice.delta;
        if (typeof delta.content === 'string' && delta.content !== '') {
          parts.push(delta.content);
          joined = undefined;
          out.push({ type: 'text-delta', delta: delta.content });
        }
        if (typeof delta.refusal === 'string' && delta.refusal !== '') {
          refusal = (refusal ?? '') + delta.refusal;
          out.push({ type: 'refusal-delta', delta: delta.refusal });
        }
        for (const call of delta.tool_calls ?? noToolCalls) {
          const state = toolCalls.get(call.index) ?? { index: call.index, id: null, name: null, arguments: '' };
          state.id = call.id ?? state.id;
          state.name = call.function?.name ?? state.name;
          const argumentsDelta = call.function?.arguments ?? '';
          state.arguments += argumentsDelta;
          toolCalls.set(call.index, state);
          out.push({ type: 'tool-call-delta', index: call.index, id: state.id, name: state.name, argumentsDelta });
        }
        if (choice.finish_reason !== null) {
          finishReason = choice.finish_reason;
          out.push({ type: 'finish', finishReason });
        }
      }
      if (chunk.usage !== undefined && chunk.usage !== null) {
        const reported = toTokenUsage(chunk.usage);
        if (reported.isOk()) {
          usage = reported.value;
          out.push({ type: 'usage', usage: reported.value });
        }
      }
      return out;
    },
    isComplete: (terminated) => terminated && finishReason !== null,
    failure: () => undefined,
    partial(): StreamPartialOutput {
      return {
        text: text(),
        toolCalls: partialToolCalls(toolCalls),
        eventsReceived: events,
        responseId: id,
        lastSequenceNumber: null,
      };
    },
    usage: () => usage ?? undefined,
    final: () => ({
      id,
      model,
      text: text(),
      refusal,
      toolCalls: finishedToolCalls(toolCalls),
      finishReason,
      usage,
    }),
  };
}
