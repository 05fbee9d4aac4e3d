import type { SimulatedModel } from '../../../models/default-models.ts';
import type { IdFactory } from '../../random/create-ids.ts';
import type { PlannedReply } from '../../reply/plan-reply.ts';
import type { ResponsesRequest } from './parse-responses-request.ts';

/** The token accounting of a response. */
interface ResponseUsage {
  readonly inputTokens: number;
  readonly cachedTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

/** What {@link buildResponse} needs. */
export interface BuildResponseInput {
  readonly id: string;
  readonly createdAt: number;
  readonly model: SimulatedModel;
  readonly request: ResponsesRequest;
  readonly body: Readonly<Record<string, unknown>>;
  readonly reply: PlannedReply;
  readonly usage: ResponseUsage;
  readonly ids: IdFactory;
}

/** A response and the stream events that tell it. */
export interface BuiltResponse {
  /** Builds the response object in a given lifecycle status (`output` and `usage` only when final). */
  readonly view: (status: 'queued' | 'in_progress' | 'cancelled' | 'final') => Record<string, unknown>;
  readonly final: Record<string, unknown>;
  readonly events: readonly Record<string, unknown>[];
}

/**
 * Builds a Responses API object with its output items (a reasoning item for
 * reasoning models, then a message or function calls) and every stream event:
 * `response.created`, `response.in_progress`, per item `output_item.added`, parts,
 * deltas (one per token) and `.done` events, and `response.completed` (or
 * `response.incomplete` when the output limit cut it) with the usage.
 */
export function buildResponse(input: BuildResponseInput): BuiltResponse {
  const { request, reply, body, ids } = input;
  const truncated = reply.truncated;
  const finalStatus = truncated ? 'incomplete' : 'completed';
  const base = {
    id: input.id,
    object: 'response',
    created_at: input.createdAt,
    background: request.background,
    error: null,
    incomplete_details: null,
    instructions: typeof body['instructions'] === 'string' ? body['instructions'] : null,
    max_output_tokens: request.limit,
    max_tool_calls: null,
    model: input.model.id,
    parallel_tool_calls: typeof body['parallel_tool_calls'] === 'boolean' ? body['parallel_tool_calls'] : true,
    previous_response_id: request.previousResponseId,
    reasoning: { effort: input.model.reasoning === true ? 'medium' : null, summary: null },
    service_tier: 'default',
    store: request.store,
    temperature: typeof body['temperature'] === 'number' ? body['temperature'] : 1,
    text: { format: request.formatEcho, verbosity: 'medium' },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: request.toolsEcho,
    top_p: typeof body['top_p'] === 'number' ? body['top_p'] : 1,
    truncation: typeof body['truncation'] === 'string' ? body['truncation'] : 'disabled',
    metadata: body['metadata'] ?? {},
  };

  const output: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const push = (event: Record<string, unknown>): void => {
    events.push({ ...event, sequence_number: events.length });
  };
  const view = (status: 'queued' | 'in_progress' | 'cancelled' | 'final'): Record<string, unknown> =>
    status === 'final'
      ? {
          ...base,
          status: finalStatus,
          completed_at: truncated ? null : input.createdAt,
          incomplete_details: truncated ? { reason: 'max_output_tokens' } : null,
          output,
          usage: {
            input_tokens: input.usage.inputTokens,
            input_tokens_details: { cached_tokens: input.usage.cachedTokens, cache_write_tokens: 0 },
            output_tokens: input.usage.outputTokens,
            output_tokens_details: { reasoning_tokens: input.usage.reasoningTokens },
            total_tokens: input.usage.inputTokens + input.usage.outputTokens,
          },
        }
      : { ...base, status, completed_at: null, output: [] };

  push({ type: 'response.created', response: view(request.background ? 'queued' : 'in_progress') });
  push({ type: 'response.in_progress', response: view('in_progress') });

  if (input.model.reasoning === true) {
    const item = { id: ids.next('reasoning'), type: 'reasoning', summary: [] };
    push({ type: 'response.output_item.added', output_index: output.length, item });
    push({ type: 'response.output_item.done', output_index: output.length, item });
    output.push(item);
  }
  if (reply.text !== null) {
    const outputIndex = output.length;
    const itemId = ids.next('message');
    const part = { type: 'output_text', text: reply.text, annotations: [], logprobs: [] };
    const item = {
      id: itemId,
      type: 'message',
      status: truncated ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [part],
    };
    const located = { item_id: itemId, output_index: outputIndex, content_index: 0 };
    push({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', content: [] },
    });
    push({ type: 'response.content_part.added', ...located, part: { ...part, text: '' } });
    for (const piece of reply.pieces)
      push({ type: 'response.output_text.delta', ...located, delta: piece, logprobs: [] });
    push({ type: 'response.output_text.done', ...located, text: reply.text, logprobs: [] });
    push({ type: 'response.content_part.done', ...located, part });
    push({ type: 'response.output_item.done', output_index: outputIndex, item });
    output.push(item);
  }
  for (const call of reply.toolCalls) {
    const outputIndex = output.length;
    const itemId = ids.next('function-call');
    const item = {
      id: itemId,
      type: 'function_call',
      status: truncated ? 'incomplete' : 'completed',
      arguments: call.arguments,
      call_id: call.callId,
      name: call.name,
    };
    push({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', arguments: '' },
    });
    for (const piece of call.pieces)
      push({
        type: 'response.function_call_arguments.delta',
        item_id: itemId,
        output_index: outputIndex,
        delta: piece,
      });
    push({
      type: 'response.function_call_arguments.done',
      item_id: itemId,
      name: call.name,
      output_index: outputIndex,
      arguments: call.arguments,
    });
    push({ type: 'response.output_item.done', output_index: outputIndex, item });
    output.push(item);
  }
  const final = view('final');
  push({ type: truncated ? 'response.incomplete' : 'response.completed', response: final });
  return { view, final, events };
}
