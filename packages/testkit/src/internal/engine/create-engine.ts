import { REDACTED, redactText } from '@openai-integration/core';
import type { SimulatorFault, SimulatorRoute } from '../../faults/simulator-fault.ts';
import type { SimulatorProfile } from '../../profiles/simulator-profile.ts';
import type { RecordedFile, RecordedRequest } from '../../recording/recorded-request.ts';
import type { SimulatorControls } from '../../simulator/simulator-controls.ts';
import type { SimulatorOptions } from '../../simulator/simulator-options.ts';
import { isApiFailure, toErrorBody, type ApiFailure } from '../http/api-failure.ts';
import { promptFiltered } from '../profiles/azure-content-filter.ts';
import { createProfileWire, type FailureContext } from '../profiles/profile-wire.ts';
import { unparsableBody } from '../routes/shared/json-body.ts';
import { addItemFailures, clearEngineState, createEngineState, resolveOptions } from './engine-state.ts';
import { faultFailure } from './fault-failure.ts';
import type { RouteContext, RouteReply, RouteResult, StreamFailure } from './route-types.ts';
import { createStreamBody, whenAborted, type StreamEnding } from './stream-body.ts';

/**
 * What the simulator does with a request: answer it, or fail the connection. When
 * the body will break off (a cut or stalled stream), `fullLength` is the byte length
 * the complete body would have had: an adapter that cannot drop a connection
 * mid-body (msw ends it cleanly) declares it as `content-length`, so that the client
 * notices the truncation as it would a dropped connection.
 */
export type WireReply =
  | { readonly type: 'response'; readonly response: Response; readonly fullLength?: number }
  | { readonly type: 'network-error' };

/** The simulator as a web-standard request handler with in-memory state. */
export interface Engine {
  readonly controls: SimulatorControls;
  /** The profile the engine imitates. */
  readonly profile: SimulatorProfile;
  /** Handles one request; the promise settles when the reply starts (or the connection is to fail). */
  handle(request: Request): Promise<WireReply>;
  /** Releases every held request and stream (they fail as network errors). */
  close(): void;
}

type MutableRecord = { -readonly [Key in keyof RecordedRequest]: RecordedRequest[Key] };

const sensitiveHeaders = new Set(['authorization', 'proxy-authorization', 'api-key', 'x-api-key', 'cookie']);

function redactHeader(name: string, value: string): string {
  if (!sensitiveHeaders.has(name)) return redactText(value);
  const scheme = /^(Bearer|Basic)\s+/i.exec(value);
  return scheme === null ? REDACTED : `${scheme[1] ?? ''} ${REDACTED}`;
}

function jsonResponse(status: number, body: unknown, headers: Readonly<Record<string, string>>): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...headers, 'content-type': 'application/json' } });
}

/** A failure on the wire: its plain text, its own JSON body, or OpenAI's error body. */
function failureResponse(failure: ApiFailure, headers: Readonly<Record<string, string>>): Response {
  const all = { ...headers, ...failure.headers };
  if (failure.text !== undefined) {
    return new Response(failure.text, {
      status: failure.status,
      headers: { ...all, 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  return jsonResponse(failure.status, failure.body ?? toErrorBody(failure), all);
}

interface ParsedBody {
  readonly value: unknown;
  readonly form: FormData | undefined;
  readonly unparsable: boolean;
  readonly recorded: unknown;
}

async function readBody(request: Request): Promise<ParsedBody> {
  const contentType = request.headers.get('content-type') ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the web-standard parser is enough for a test simulator and keeps the core runtime-neutral (msw, browsers)
      const form = await request.formData();
      const fields: Record<string, string> = {};
      const files: RecordedFile[] = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') fields[field] = value;
        else files.push({ field, filename: value.name, contentType: value.type, bytes: value.size });
      }
      return { value: undefined, form, unparsable: false, recorded: { fields, files } };
    } catch {
      return { value: undefined, form: undefined, unparsable: true, recorded: null };
    }
  }
  const text = await request.text();
  if (text === '') return { value: undefined, form: undefined, unparsable: false, recorded: null };
  try {
    const value: unknown = JSON.parse(text);
    return { value, form: undefined, unparsable: false, recorded: value };
  } catch {
    return { value: undefined, form: undefined, unparsable: true, recorded: text };
  }
}

const streamFaults = new Set<SimulatorFault['type']>([
  'stream-cut',
  'stream-stall',
  'stream-error',
  'malformed',
  'slow',
]);

/**
 * Creates the simulator core: routing, authentication, scripted faults, recording,
 * rate-limit headers and every endpoint, over web-standard `Request`/`Response`,
 * so that the loopback server and the msw handlers behave the same.
 * `basePath` is the path prefix of the API (`/v1`), or of the resource root for the
 * `azure` profile (empty on the loopback server).
 */
export function createEngine(options: SimulatorOptions, basePath: string): Engine {
  const resolved = resolveOptions(options);
  const state = createEngineState(resolved);
  const queues = new Map<SimulatorRoute, SimulatorFault[]>();
  const records: MutableRecord[] = [];
  const closing = new AbortController();
  const prefix = basePath.replace(/\/+$/, '');

  const takeFault = (operation: SimulatorRoute, family: SimulatorRoute): SimulatorFault | undefined => {
    for (const route of [operation, family, '*'] as const) {
      const fault = queues.get(route)?.shift();
      if (fault !== undefined) return fault;
    }
    return undefined;
  };

  const wire = createProfileWire(resolved, prefix);

  /** The budget's headers as they stand (a fault's reply carries them too), or none without a budget. */
  const rateLimitSnapshot = (): Readonly<Record<string, string>> => wire.rateHeaders(state.budget?.peek() ?? {});

  const applyFault = (
    reply: RouteReply,
    fault: SimulatorFault | undefined,
    status: number,
    headers: Readonly<Record<string, string>>,
    release: AbortSignal,
  ): { readonly response: Response; readonly fullLength?: number } => {
    const contentType =
      reply.kind === 'sse'
        ? 'text/event-stream; charset=utf-8'
        : reply.kind === 'bytes'
          ? reply.contentType
          : 'application/json';
    const chunks: (string | Uint8Array)[] =
      reply.kind === 'sse' ? [...reply.frames] : reply.kind === 'bytes' ? [reply.body] : [JSON.stringify(reply.body)];
    let ending: StreamEnding = 'close';
    let delayMs = 0;
    let body = chunks;
    const half = (chunk: string | Uint8Array | undefined): string | Uint8Array =>
      typeof chunk === 'string'
        ? chunk.slice(0, Math.floor(chunk.length / 2))
        : (chunk ?? new Uint8Array()).subarray(0, Math.floor((chunk?.length ?? 0) / 2));
    if (fault !== undefined && streamFaults.has(fault.type)) {
      const after = 'afterChunks' in fault ? Math.max(0, Math.min(fault.afterChunks ?? 0, chunks.length)) : 0;
      switch (fault.type) {
        case 'slow':
          delayMs = fault.delayMs;
          break;
        case 'stream-cut':
        case 'stream-stall':
          ending = fault.type === 'stream-cut' ? 'cut' : 'stall';
          body = reply.kind === 'sse' ? chunks.slice(0, after) : [half(chunks[0])];
          break;
        case 'stream-error':
          if (reply.kind === 'sse') {
            const failure: StreamFailure = {
              message: fault.message ?? 'The server had an error while processing your request. Sorry about that!',
              code: fault.code ?? 'server_error',
              type: fault.errorType ?? 'server_error',
            };
            body = [...chunks.slice(0, after), ...reply.failureFrames(after, failure)];
          }
          break;
        case 'malformed':
          body =
            reply.kind === 'sse'
              ? [
                  ...chunks.slice(0, after),
                  (reply.frames[0] ?? '').startsWith('event:')
                    ? 'event: response.output_text.delta\ndata: {"type": "response.output_text.delta", "delta": \n\n'
                    : 'data: {"id": "chatcmpl-\n\n',
                ]
              : [half(chunks[0])];
          break;
        default:
          break;
      }
    }
    const response = new Response(
      createStreamBody(body, { ending, delayMs: reply.kind === 'sse' ? delayMs : 0, release, sleep: resolved.sleep }),
      {
        status,
        headers: {
          ...headers,
          'content-type': contentType,
          ...(reply.kind === 'sse' ? { 'cache-control': 'no-cache' } : {}),
        },
      },
    );
    if (ending === 'close') return { response };
    const encoder = new TextEncoder();
    const fullLength = chunks.reduce(
      (total, chunk) => total + (typeof chunk === 'string' ? encoder.encode(chunk).byteLength : chunk.byteLength),
      0,
    );
    return { response, fullLength: Math.max(fullLength, 1) };
  };

  const handle = async (request: Request): Promise<WireReply> => {
    const url = new URL(request.url);
    const requestId = state.ids.next('request');
    const release = AbortSignal.any([request.signal, closing.signal]);
    const resolution = wire.resolve(request.method, url);
    const match = resolution.kind === 'route' ? resolution.match : undefined;
    const body = await readBody(request);
    const headersRecord: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headersRecord[name] = redactHeader(name, value);
    });
    const record: MutableRecord = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: headersRecord,
      body: body.recorded,
      operation: match?.route.operation ?? null,
      requestId,
      receivedAt: resolved.now(),
      status: null,
      fault: null,
    };
    records.push(record);
    const headers = wire.headers(requestId);
    const failureContext: FailureContext = {
      operation: match?.route.operation ?? null,
      apiVersion: resolution.kind === 'route' ? resolution.apiVersion : undefined,
    };
    const respond = (response: Response, fullLength?: number): WireReply => {
      record.status = response.status;
      return fullLength === undefined ? { type: 'response', response } : { type: 'response', response, fullLength };
    };
    const fail = (failure: ApiFailure, replyHeaders: Readonly<Record<string, string>> = headers): WireReply => {
      const adapted = wire.adapt(failure, failureContext);
      const failureHeaders = adapted.headers === undefined ? {} : { headers: wire.rateHeaders(adapted.headers) };
      return respond(failureResponse({ ...adapted, ...failureHeaders }, replyHeaders));
    };

    const authFailure = wire.authenticate(request.headers);
    if (authFailure !== undefined) return fail(authFailure);
    if (resolution.kind === 'failure') return fail(resolution.failure);
    const { binding } = resolution;

    const fault = takeFault(resolution.match.route.operation, resolution.match.route.family);
    record.fault = fault ?? null;
    switch (fault?.type) {
      case 'status':
      case 'rate-limit':
      case 'quota':
        if (fault.type === 'status' && fault.body !== undefined) {
          const html = fault.body.trimStart().startsWith('<');
          return respond(
            new Response(fault.body, {
              status: fault.status,
              headers: {
                ...headers,
                ...fault.headers,
                'content-type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
              },
            }),
          );
        }
        return fail(faultFailure(fault, rateLimitSnapshot()));
      case 'content-filter':
        if (fault.on !== 'completion' || resolution.match.route.operation !== 'chat.completions') {
          return fail(promptFiltered(fault.categories ?? ['hate']));
        }
        break;
      case 'reset':
        return { type: 'network-error' };
      case 'stall':
        await whenAborted(release);
        return { type: 'network-error' };
      default:
        break;
    }

    if (body.unparsable) return fail(unparsableBody);
    const routeBody = binding === undefined ? body.value : wire.bindModel(body.value, binding);
    if (isApiFailure(routeBody)) return fail(routeBody);
    let rateHeaders: Readonly<Record<string, string>> = {};
    const context: RouteContext = {
      state,
      url,
      id: resolution.match.id,
      body: routeBody,
      form: body.form,
      scripted: fault?.type === 'reply' ? fault : undefined,
      ...(fault?.type === 'content-filter' ? { filter: fault.categories ?? ['hate'] } : {}),
      charge: (tokens, model) => {
        if (state.budget === undefined) return undefined;
        const outcome = state.budget.charge(tokens, model);
        if (!outcome.ok) return outcome.failure;
        rateHeaders = wire.rateHeaders(outcome.headers);
        return undefined;
      },
    };
    const result: RouteResult = await resolution.match.route.handle(context);
    if (result.kind === 'failure') return fail(result.failure);
    const replyHeaders = { ...headers, ...rateHeaders };
    if (fault?.type === 'stream-error' && result.kind !== 'sse') {
      return fail(faultFailure({ type: 'status', status: 500 }, {}), replyHeaders);
    }
    if (fault?.type === 'slow' && result.kind !== 'sse') await resolved.sleep(fault.delayMs, release);
    const faulted = applyFault(result, fault, 200, replyHeaders, release);
    return respond(faulted.response, faulted.fullLength);
  };

  const controls: SimulatorControls = {
    enqueue(route, ...faults) {
      const queue = queues.get(route) ?? [];
      queue.push(...faults);
      queues.set(route, queue);
    },
    failBatchItems(customIds, failureOptions = {}) {
      addItemFailures(state, customIds, failureOptions);
    },
    get requests() {
      return records.map((entry) => Object.freeze({ ...entry }));
    },
    reset() {
      queues.clear();
      records.length = 0;
      clearEngineState(state);
    },
  };

  return {
    controls,
    profile: resolved.profile,
    handle,
    close() {
      closing.abort();
    },
  };
}
