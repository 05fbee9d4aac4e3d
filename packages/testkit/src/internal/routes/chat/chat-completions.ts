import { unixNow } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { isApiFailure } from '../../http/api-failure.ts';
import { dataFrame, doneFrame } from '../../http/sse-frame.ts';
import { hashText } from '../../random/hash-text.ts';
import { createRandom } from '../../random/create-random.ts';
import { cachedTokensFor, countPromptTokens, planReply, type PlannedReply } from '../../reply/plan-reply.ts';
import { jsonBody } from '../shared/json-body.ts';
import { checkReasoningParameters, requireModel } from '../shared/model-checks.ts';
import { parseChatRequest } from './parse-chat-request.ts';

function finishReason(reply: PlannedReply): 'stop' | 'length' | 'tool_calls' {
  if (reply.truncated) return 'length';
  return reply.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

/**
 * POST /v1/chat/completions: validates the body, plans one reply per choice, charges
 * the rate-limit budget and answers with a `chat.completion` object, or with SSE
 * `chat.completion.chunk` frames ending in `data: [DONE]` when `stream` is true
 * (one content chunk per token; with `stream_options.include_usage`, `usage: null`
 * on every chunk and a last chunk with `choices: []` and the usage). Under the
 * `compatible` profile streams never carry usage, and answers have
 * `tool_calls: null` and no `refusal`, `annotations` or `service_tier`.
 */
export function chatCompletions(context: RouteContext): RouteResult {
  const { state } = context;
  const body = jsonBody(context.body);
  if (isApiFailure(body)) return failed(body);
  const request = parseChatRequest(body, state.options.profile !== 'compatible');
  if (isApiFailure(request)) return failed(request);
  const model = requireModel(state, request.model, 'chat', 'v1/chat/completions');
  if (isApiFailure(model)) return failed(model);
  const reasoningFailure = checkReasoningParameters(model, body, 'max_tokens');
  if (reasoningFailure !== undefined) return failed(reasoningFailure);

  const scripted =
    context.scripted ??
    state.options.replyWith?.({
      operation: 'chat.completions',
      model: model.id,
      lastUserText: request.lastUserText,
      body,
    });
  const contentHash = hashText(request.contentKey);
  const replies = Array.from({ length: request.n }, (_unused, index) =>
    planReply({
      random: createRandom(state.options.seed, 'chat', contentHash, index),
      ids: state.ids,
      model,
      limit: request.limit,
      tools: request.tools,
      toolChoice: request.toolChoice,
      afterToolResult: request.afterToolResult,
      format: request.format,
      scripted,
      replyTokens: state.options.replyTokens,
    }),
  );
  const promptTokens = countPromptTokens(request.messageTexts);
  const completionTokens = replies.reduce((total, reply) => total + reply.outputTokens, 0);
  const refusal = context.charge(promptTokens + completionTokens, model.id);
  if (refusal !== undefined) return failed(refusal);

  const cachedTokens = cachedTokensFor(
    state.promptsSeen,
    `${model.id}\u0000${request.messageTexts.join('\u0000')}`,
    promptTokens,
  );
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: replies.reduce((total, reply) => total + reply.reasoningTokens, 0),
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  const id = state.ids.next('chat');
  const created = unixNow(state);
  const fingerprint = `fp_${hashText(model.id).toString(16).slice(0, 10)}`;
  const toolCallsOf = (reply: PlannedReply) =>
    reply.toolCalls.map((call) => ({
      id: call.callId,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));

  const compatible = state.options.profile === 'compatible';
  // OpenAI leaves tool_calls out of a plain answer and adds refusal and annotations;
  // compatible servers send tool_calls: null and neither of the others.
  const messageOf = (reply: PlannedReply): Record<string, unknown> =>
    compatible
      ? {
          role: 'assistant',
          content: reply.text,
          tool_calls: reply.toolCalls.length > 0 ? toolCallsOf(reply) : null,
        }
      : {
          role: 'assistant',
          content: reply.text,
          refusal: null,
          annotations: [],
          ...(reply.toolCalls.length > 0 ? { tool_calls: toolCallsOf(reply) } : {}),
        };
  const includeUsage = request.includeUsage && !compatible;

  if (!request.stream) {
    return {
      kind: 'json',
      body: {
        id,
        object: 'chat.completion',
        created,
        model: model.id,
        choices: replies.map((reply, index) => ({
          index,
          message: messageOf(reply),
          logprobs: null,
          finish_reason: finishReason(reply),
        })),
        usage,
        ...(compatible ? {} : { service_tier: 'default' }),
        system_fingerprint: compatible ? null : fingerprint,
      },
    };
  }

  const chunk = (choices: readonly unknown[], extra: Readonly<Record<string, unknown>> = {}): string =>
    dataFrame({
      id,
      object: 'chat.completion.chunk',
      created,
      model: model.id,
      service_tier: 'default',
      system_fingerprint: fingerprint,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const delta = (index: number, value: Readonly<Record<string, unknown>>, finish: string | null = null) => ({
    index,
    delta: value,
    logprobs: null,
    finish_reason: finish,
  });
  const frames: string[] = [];
  for (const [index, reply] of replies.entries()) {
    frames.push(chunk([delta(index, { role: 'assistant', content: reply.text === null ? null : '', refusal: null })]));
    for (const piece of reply.pieces) frames.push(chunk([delta(index, { content: piece })]));
    for (const [callIndex, call] of reply.toolCalls.entries()) {
      frames.push(
        chunk([
          delta(index, {
            tool_calls: [
              { index: callIndex, id: call.callId, type: 'function', function: { name: call.name, arguments: '' } },
            ],
          }),
        ]),
      );
      for (const piece of call.pieces)
        frames.push(chunk([delta(index, { tool_calls: [{ index: callIndex, function: { arguments: piece } }] })]));
    }
    frames.push(chunk([delta(index, {}, finishReason(reply))]));
  }
  if (includeUsage) frames.push(chunk([], { usage }));
  frames.push(doneFrame);
  return {
    kind: 'sse',
    frames,
    failureFrames: (_delivered, failure) => [
      dataFrame({ error: { message: failure.message, type: failure.type, param: null, code: failure.code } }),
    ],
  };
}
