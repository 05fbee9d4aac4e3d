import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import {
  createError,
  redactText,
  toTokenUsage,
  type IntegrationError,
  type StreamPartialOutput,
  type TokenUsage,
} from '@openai-integration/core';
import { finishedToolCalls, partialToolCalls, type ToolCallState } from '../internal/tool-call-state.ts';
import type { StreamAccumulator, StreamEvent, AnswerToolCall } from './stream-event.ts';

/** The whole answer of a completed Responses API stream. */
export interface ResponsesStreamResult {
  readonly id: string | null;
  readonly model: string | null;
  readonly text: string;
  readonly refusal: string | null;
  readonly toolCalls: readonly AnswerToolCall[];
  /** `completed`, or `incomplete` (e.g. the output token limit was reached). */
  readonly status: string | null;
  readonly finishReason: string | null;
  readonly usage: TokenUsage | null;
  /** The `sequence_number` of the last event, for `starting_after` when resuming. */
  readonly lastSequenceNumber: number | null;
}

/**
 * Folds Responses API stream events into text, function calls and usage. The stream is
 * complete only with `response.completed` or `response.incomplete`; `response.failed`
 * is a failure carrying the partial output. Events at or below a resume point are
 * ignored, so a resumed stream yields no duplicates.
 */
export function createResponsesStreamAccumulator(
  options: { readonly startingAfter?: number } = {},
): StreamAccumulator<ResponseStreamEvent, ResponsesStreamResult> {
  let id: string | null = null;
  let model: string | null = null;
  let text = '';
  let refusal: string | null = null;
  let status: string | null = null;
  let finishReason: string | null = null;
  let usage: TokenUsage | null = null;
  let failure: IntegrationError | undefined;
  let lastSequence: number | null = options.startingAfter ?? null;
  let events = 0;
  const calls = new Map<string, ToolCallState>();

  const finish = (response: Response, out: StreamEvent<ResponsesStreamResult>[]): void => {
    status = response.status ?? null;
    finishReason = response.status === 'incomplete' ? (response.incomplete_details?.reason ?? 'incomplete') : 'stop';
    const reported = response.usage ? toTokenUsage(response.usage) : undefined;
    if (reported?.isOk() === true) {
      usage = reported.value;
      out.push({ type: 'usage', usage: reported.value });
    }
    out.push({ type: 'finish', finishReason });
  };

  return {
    push(event) {
      const out: StreamEvent<ResponsesStreamResult>[] = [];
      if (lastSequence !== null && event.sequence_number <= lastSequence) return out;
      lastSequence = event.sequence_number;
      events += 1;
      switch (event.type) {
        case 'response.created':
        case 'response.in_progress':
        case 'response.queued':
          if (id === null) {
            id = event.response.id;
            model = event.response.model;
            out.push({ type: 'start', id, model });
          }
          break;
        case 'response.output_text.delta':
          text += event.delta;
          out.push({ type: 'text-delta', delta: event.delta });
          break;
        case 'response.refusal.delta':
          refusal = (refusal ?? '') + event.delta;
          out.push({ type: 'refusal-delta', delta: event.delta });
          break;
        case 'response.output_item.added':
          if (event.item.type === 'function_call') {
            const call: ToolCallState = {
              index: event.output_index,
              id: event.item.call_id,
              name: event.item.name,
              arguments: event.item.arguments,
            };
            calls.set(event.item.id ?? event.item.call_id, call);
            out.push({
              type: 'tool-call-delta',
              index: call.index,
              id: call.id,
              name: call.name,
              argumentsDelta: call.arguments,
            });
          }
          break;
        case 'response.function_call_arguments.delta': {
          const call = calls.get(event.item_id) ?? { index: event.output_index, id: null, name: null, arguments: '' };
          call.arguments += event.delta;
          calls.set(event.item_id, call);
          out.push({
            type: 'tool-call-delta',
            index: call.index,
            id: call.id,
            name: call.name,
            argumentsDelta: event.delta,
          });
          break;
        }
        case 'response.completed':
        case 'response.incomplete':
          finish(event.response, out);
          break;
        case 'response.failed': {
          const reason = event.response.error;
          failure = createError('StreamInterruptedError', {
            message: `the response failed: ${redactText(reason?.message ?? 'no reason given').slice(0, 300)}`,
            reason: 'server-error-event',
            partial: this.partial(),
            requestId: null,
            code: reason?.code ?? null,
          });
          break;
        }
        default:
          break;
      }
      return out;
    },
    isComplete: () => finishReason !== null,
    failure: () => failure,
    partial(): StreamPartialOutput {
      return {
        text,
        toolCalls: partialToolCalls(calls),
        eventsReceived: events,
        responseId: id,
        lastSequenceNumber: lastSequence,
      };
    },
    usage: () => usage ?? undefined,
    final: () => ({
      id,
      model,
      text,
      refusal,
      toolCalls: finishedToolCalls(calls),
      status,
      finishReason,
      usage,
      lastSequenceNumber: lastSequence,
    }),
  };
}
