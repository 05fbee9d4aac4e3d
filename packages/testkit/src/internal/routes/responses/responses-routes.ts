import { stepsDue, type StoredResponse, unixNow } from '../../engine/engine-state.ts';
import { failed, type RouteContext, type RouteResult, type StreamFailure } from '../../engine/route-types.ts';
import { invalidRequest, isApiFailure, notFound } from '../../http/api-failure.ts';
import { eventFrame } from '../../http/sse-frame.ts';
import { cursorPage } from '../../pagination/cursor-page.ts';
import { createRandom } from '../../random/create-random.ts';
import { hashText } from '../../random/hash-text.ts';
import { cachedTokensFor, countPromptTokens, planReply } from '../../reply/plan-reply.ts';
import { jsonBody } from '../shared/json-body.ts';
import { checkReasoningParameters, requireModel } from '../shared/model-checks.ts';
import { buildResponse } from './build-response.ts';
import { filterHits, promptFiltered } from '../../profiles/azure-content-filter.ts';
import { parseResponsesRequest } from './parse-responses-request.ts';

const finalStage = 2;

function responseNotFound(id: string): RouteResult {
  return failed(notFound(`Response with id '${id}' not found.`));
}

function currentView(stored: StoredResponse): Record<string, unknown> {
  if (stored.cancelled)
    return { ...stored.final, status: 'cancelled', output: [], usage: undefined, completed_at: null };
  if (!stored.background || stored.stage >= finalStage) return stored.final;
  const created = stored.events[0]?.['response'] as Record<string, unknown>;
  return { ...created, status: stored.stage === 0 ? 'queued' : 'in_progress' };
}

function eventStream(events: readonly Record<string, unknown>[], responseView: Record<string, unknown>): RouteResult {
  return {
    kind: 'sse',
    frames: events.map((event) => eventFrame(event as { readonly type: string })),
    failureFrames: (delivered: number, failure: StreamFailure) => {
      const sequence =
        typeof events[delivered - 1]?.['sequence_number'] === 'number'
          ? (events[delivered - 1]?.['sequence_number'] as number) + 1
          : delivered;
      return [
        eventFrame({
          type: 'error',
          code: failure.code,
          message: failure.message,
          param: null,
          sequence_number: sequence,
        }),
        eventFrame({
          type: 'response.failed',
          response: {
            ...responseView,
            status: 'failed',
            error: { code: failure.code, message: failure.message },
            output: [],
            usage: undefined,
          },
          sequence_number: sequence + 1,
        }),
      ];
    },
  };
}

/**
 * POST /v1/responses: validates, plans the reply, charges the budget, stores the
 * response (unless `store: false`) with its events and input items, and answers
 * with the response object or its SSE events. With `background: true` the answer
 * is `queued` and later retrieves move it on to `in_progress` and its final state.
 * Under the `azure` profile a prompt with a filtered word is a 400 `content_filter`.
 */
export function createResponse(context: RouteContext): RouteResult {
  const { state } = context;
  const body = jsonBody(context.body);
  if (isApiFailure(body)) return failed(body);
  const request = parseResponsesRequest(body, state.ids, state.options.profile !== 'compatible');
  if (isApiFailure(request)) return failed(request);
  const model = requireModel(state, request.model, 'chat', 'v1/responses');
  if (isApiFailure(model)) return failed(model);
  const reasoningFailure = checkReasoningParameters(model, body, undefined);
  if (reasoningFailure !== undefined) return failed(reasoningFailure);
  const promptHits =
    state.options.profile === 'azure' ? filterHits(request.texts.join('\n'), state.options.azure.contentFilter) : [];
  if (promptHits.length > 0) return failed(promptFiltered(promptHits));
  const previous = request.previousResponseId === null ? undefined : state.responses.get(request.previousResponseId);
  if (request.previousResponseId !== null && previous === undefined) {
    return failed(
      invalidRequest(
        'previous_response_id',
        `Previous response with id '${request.previousResponseId}' not found.`,
        'previous_response_not_found',
      ),
    );
  }

  const scripted =
    context.scripted ??
    state.options.replyWith?.({
      operation: 'responses.create',
      model: model.id,
      lastUserText: request.lastUserText,
      body,
    });
  const reply = planReply({
    random: createRandom(state.options.seed, 'responses', hashText(request.contentKey)),
    ids: state.ids,
    model,
    limit: request.limit,
    tools: request.tools,
    toolChoice: request.toolChoice,
    afterToolResult: request.afterToolResult,
    format: request.format,
    scripted,
    replyTokens: state.options.replyTokens,
  });
  const inputTokens = countPromptTokens(request.texts) + (previous?.contextTokens ?? 0);
  const refusal = context.charge(inputTokens + reply.outputTokens, model.id);
  if (refusal !== undefined) return failed(refusal);
  const contextText = `${previous?.contextText ?? ''}\u0000${request.texts.join('\u0000')}`;
  const cachedTokens = cachedTokensFor(state.promptsSeen, `${model.id}\u0000${contextText}`, inputTokens);

  const id = state.ids.next('response');
  const built = buildResponse({
    id,
    createdAt: unixNow(state),
    model,
    request,
    body,
    reply,
    usage: { inputTokens, cachedTokens, outputTokens: reply.outputTokens, reasoningTokens: reply.reasoningTokens },
    ids: state.ids,
  });
  const stored: StoredResponse = {
    id,
    final: built.final,
    events: built.events,
    inputItems: request.inputItems,
    background: request.background,
    cancelled: false,
    stage: request.background && !request.stream ? 0 : finalStage,
    stageChangedAt: state.options.now(),
    contextTokens: inputTokens + reply.outputTokens,
    contextText: `${contextText}\u0000${reply.text ?? reply.toolCalls.map((call) => call.arguments).join(' ')}`,
  };
  if (request.store) state.responses.set(id, stored);
  if (request.stream) return eventStream(built.events, built.view('in_progress'));
  return { kind: 'json', body: request.background ? built.view('queued') : built.final };
}

/**
 * GET /v1/responses/{id}: the stored response (a background one moves on one state
 * per retrieve); with `stream=true`, its events after `starting_after` as SSE.
 */
export function retrieveResponse(context: RouteContext): RouteResult {
  const { id } = context;
  const stored = context.state.responses.get(id);
  if (stored === undefined) return responseNotFound(id);
  if (context.url.searchParams.get('stream') === 'true') {
    const after = Number(context.url.searchParams.get('starting_after') ?? '-1');
    if (!Number.isInteger(after))
      return failed(invalidRequest('starting_after', "Invalid 'starting_after': expected an integer.", 'invalid_type'));
    stored.stage = finalStage;
    const events = stored.events.filter((event) => (event['sequence_number'] as number) > after);
    return eventStream(events, stored.final);
  }
  if (stored.background && !stored.cancelled && stored.stage < finalStage) {
    stored.stage = Math.min(finalStage, stored.stage + stepsDue(context.state, stored, true));
  }
  return { kind: 'json', body: currentView(stored) };
}

/** DELETE /v1/responses/{id}. */
export function deleteResponse(context: RouteContext): RouteResult {
  const { id } = context;
  if (!context.state.responses.delete(id)) return responseNotFound(id);
  return { kind: 'json', body: { id, object: 'response', deleted: true } };
}

/** POST /v1/responses/{id}/cancel: only for background responses not yet finished. */
export function cancelResponse(context: RouteContext): RouteResult {
  const { id } = context;
  const stored = context.state.responses.get(id);
  if (stored === undefined) return responseNotFound(id);
  if (!stored.background)
    return failed(invalidRequest(null, 'Only responses created with background=true can be cancelled.'));
  if (stored.stage < finalStage) stored.cancelled = true;
  return { kind: 'json', body: currentView(stored) };
}

/** GET /v1/responses/{id}/input_items: the input items as a cursor list (newest first by default). */
export function listInputItems(context: RouteContext): RouteResult {
  const { id } = context;
  const stored = context.state.responses.get(id);
  if (stored === undefined) return responseNotFound(id);
  const page = cursorPage(
    stored.inputItems as readonly (Record<string, unknown> & { readonly id: string })[],
    context.url.searchParams,
    {
      limit: 20,
      maxLimit: 100,
      order: 'desc',
    },
  );
  return isApiFailure(page) ? failed(page) : { kind: 'json', body: page };
}
