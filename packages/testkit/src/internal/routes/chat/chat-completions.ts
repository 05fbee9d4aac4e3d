import { unixNow } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { isApiFailure } from '../../http/api-failure.ts';
import { dataFrame, doneFrame } from '../../http/sse-frame.ts';
import { hashText } from '../../random/hash-text.ts';
import { createRandom } from '../../random/create-random.ts';
import { cachedTokensFor, countPromptTokens, planReply, type PlannedReply } from '../../reply/plan-reply.ts';
import { jsonBody } from '../shared/json-body.ts';
import { checkReasoningParameters, requireModel } from '../shared/model-checks.ts';
import {
  completionResults,
  filterHits,
  promptFilterResults,
  promptFiltered,
} from '../../profiles/azure-content-filter.ts';
import { filterChoice, type ChoiceFilter } from './choice-filter.ts';
import { readMetadata, storeCompletion } from './stored-completions.ts';
import { parseChatRequest } from './parse-chat-request.ts';

function finishReason(reply: PlannedReply, filter: ChoiceFilter): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  if (filter.hits.length > 0) return 'content_filter';
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
 * `tool_calls: null` and no `refusal`, `annotations` or `service_tier`. Under the
 * `azure` profile the content filter runs: a prompt with a filtered word is a 400
 * `content_filter`, a choice with one ends with `finish_reason: content_filter`,
 * and answers carry `prompt_filter_results` and `content_filter_results` (a stream
 * starts with Azure's frame of prompt results with empty `id`, `model` and `choices`).
 * With `store: true` (not under `compatible`) the completion is kept, with its
 * messages and checked `metadata`, for `GET /chat/completions`.
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
  const compatible = state.options.profile === 'compatible';
  // Compatible servers ignore metadata and store; OpenAI checks the one and keeps on the other.
  const metadata = compatible ? {} : readMetadata(body['metadata']);
  if (isApiFailure(metadata)) return failed(metadata);
  const azure = state.options.profile === 'azure';
  const terms = azure ? state.options.azure.contentFilter : new Map<never, never>();
  const promptHits = filterHits(request.messageTexts.join('\n'), terms);
  if (promptHits.length > 0) return failed(promptFiltered(promptHits));

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

  // Azure annotates every answer with its content filter's results; a content-filter
  // fault does so under any profile.
  const annotated = azure || context.filter !== undefined;
  const choices = replies.map((reply) => ({ reply, filter: filterChoice(reply, terms, context.filter) }));
  // OpenAI leaves tool_calls out of a plain answer and adds refusal and annotations;
  // compatible servers send tool_calls: null and neither of the others. A filtered
  // choice has no content.
  const messageOf = (reply: PlannedReply, filter: ChoiceFilter): Record<string, unknown> => {
    const calls = filter.hits.length === 0 && reply.toolCalls.length > 0 ? toolCallsOf(reply) : undefined;
    const content = filter.hits.length === 0 ? reply.text : null;
    return compatible
      ? { role: 'assistant', content, tool_calls: calls ?? null }
      : {
          role: 'assistant',
          content,
          refusal: null,
          annotations: [],
          ...(calls === undefined ? {} : { tool_calls: calls }),
        };
  };
  const includeUsage = request.includeUsage && !compatible;

  const completion = {
    id,
    object: 'chat.completion',
    created,
    model: model.id,
    choices: choices.map(({ reply, filter }, index) => ({
      index,
      message: messageOf(reply, filter),
      logprobs: null,
      finish_reason: finishReason(reply, filter),
      ...(annotated ? { content_filter_results: completionResults(filter.hits) } : {}),
    })),
    usage,
    ...(annotated ? { prompt_filter_results: promptFilterResults([]) } : {}),
    ...(compatible ? {} : { service_tier: 'default' }),
    system_fingerprint: compatible ? null : fingerprint,
  };
  if (request.store && !compatible)
    storeCompletion(state, completion, body['messages'] as readonly unknown[], metadata);
  if (!request.stream) return { kind: 'json', body: completion };

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
  const delta = (
    index: number,
    value: Readonly<Record<string, unknown>>,
    finish: string | null = null,
    results?: Readonly<Record<string, unknown>>,
  ) => ({
    index,
    delta: value,
    logprobs: null,
    finish_reason: finish,
    ...(annotated ? { content_filter_results: results ?? {} } : {}),
  });
  const safe = completionResults([]);
  // Azure's first frame carries only the prompt's filter results, with empty fields.
  const frames: string[] = annotated
    ? [
        dataFrame({
          choices: [],
          created: 0,
          id: '',
          model: '',
          object: '',
          prompt_filter_results: promptFilterResults([]),
        }),
      ]
    : [];
  for (const [index, { reply, filter }] of choices.entries()) {
    frames.push(chunk([delta(index, { role: 'assistant', content: reply.text === null ? null : '', refusal: null })]));
    for (const piece of reply.pieces.slice(0, filter.keptPieces))
      frames.push(chunk([delta(index, { content: piece }, null, safe)]));
    const calls = filter.hits.length === 0 ? reply.toolCalls : [];
    for (const [callIndex, call] of calls.entries()) {
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
    const finishResults = filter.hits.length > 0 ? completionResults(filter.hits) : undefined;
    frames.push(chunk([delta(index, {}, finishReason(reply, filter), finishResults)]));
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
