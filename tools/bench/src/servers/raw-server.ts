import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startRawServer}. */
export interface RawServerOptions {
  /** Text chunks in a streamed answer (default 1000). */
  readonly streamChunks?: number;
  /** The TCP port (default 0: chosen by the OS). */
  readonly port?: number;
}

/** A running raw server; see {@link startRawServer}. */
export interface RawServer {
  /** Base URL of the answering API, e.g. `http://127.0.0.1:4010/v1`. */
  readonly baseURL: string;
  /** Base URL of an API where every call fails with HTTP 500 (for the breaker case). */
  readonly failingBaseURL: string;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

const model = 'gpt-4o-mini';
const created = 1_767_225_600;
const usage = {
  prompt_tokens: 9,
  completion_tokens: 6,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

const completionBody = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-raw0000000000000000000000000',
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello from the raw server.', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_raw',
  }),
);

const failureBody = Buffer.from(
  JSON.stringify({
    error: {
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      param: null,
      code: null,
    },
  }),
);

const chunkFrame = (
  delta: Record<string, unknown>,
  finishReason: string | null,
  extra: Record<string, unknown> = {},
): Buffer =>
  Buffer.from(
    `data: ${JSON.stringify({
      id: 'chatcmpl-raw0000000000000000000000000',
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_raw',
      choices: finishReason === 'usage' ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      usage: null,
      ...extra,
    })}\n\n`,
  );

/** The SSE frames of a streamed answer: a role frame, `count` text frames, the finish, the usage and `[DONE]`. */
function streamFrames(count: number): { readonly first: Buffer; readonly rest: readonly Buffer[] } {
  const rest: Buffer[] = [];
  for (let index = 1; index < count; index += 1) rest.push(chunkFrame({ content: ' tok' }, null));
  rest.push(chunkFrame({}, 'stop'));
  rest.push(
    chunkFrame({}, 'usage', {
      usage: { ...usage, completion_tokens: count, total_tokens: usage.prompt_tokens + count },
    }),
  );
  rest.push(Buffer.from('data: [DONE]\n\n'));
  // The first frame carries the role and the first token, as OpenAI's first content frame does.
  return { first: chunkFrame({ role: 'assistant', content: 'tok', refusal: null }, null), rest };
}

/** A generous rate-limit budget, sent the way OpenAI sends it, so that header parsing and pacing run. */
const rateLimitHeaders = {
  'x-ratelimit-limit-requests': '100000000',
  'x-ratelimit-limit-tokens': '10000000000',
  'x-ratelimit-remaining-requests': '99999999',
  'x-ratelimit-remaining-tokens': '9999999000',
  'x-ratelimit-reset-requests': '1ms',
  'x-ratelimit-reset-tokens': '0s',
};

/**
 * Starts the floor server on 127.0.0.1: a minimal `node:http` server that answers
 * `POST /v1/chat/completions` with a fixed JSON completion, or (when the body asks for
 * `"stream":true`) with a fixed SSE stream of `streamChunks` text frames written as
 * fast as the socket takes them, and `POST /fail/v1/chat/completions` with HTTP 500.
 * It does no validation and no generation, so the time it takes is the least an HTTP
 * round trip on this machine can take.
 *
 * The promise rejects only when the server cannot listen.
 */
export async function startRawServer(options: RawServerOptions = {}): Promise<RawServer> {
  const frames = streamFrames(options.streamChunks ?? 1000);
  let served = 0;

  const respond = (incoming: IncomingMessage, outgoing: ServerResponse, body: string): void => {
    served += 1;
    const requestId = `req_raw${served}`;
    if (incoming.method !== 'POST' || !(incoming.url ?? '').endsWith('/v1/chat/completions')) {
      outgoing
        .writeHead(404, { 'content-type': 'application/json', 'x-request-id': requestId })
        .end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    if ((incoming.url ?? '').startsWith('/fail/')) {
      outgoing
        .writeHead(500, {
          'content-type': 'application/json',
          'content-length': failureBody.length,
          'x-request-id': requestId,
        })
        .end(failureBody);
      return;
    }
    if (!/"stream"\s*:\s*true/.test(body)) {
      outgoing
        .writeHead(200, {
          'content-type': 'application/json',
          'content-length': completionBody.length,
          'x-request-id': requestId,
          'openai-processing-ms': '1',
          ...rateLimitHeaders,
        })
        .end(completionBody);
      return;
    }
    outgoing.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': requestId,
      ...rateLimitHeaders,
    });
    outgoing.write(frames.first);
    for (const frame of frames.rest) outgoing.write(frame);
    outgoing.end();
  };

  const server = createServer((incoming, outgoing) => {
    let body = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => {
      body += chunk;
    });
    incoming.on('end', () => {
      respond(incoming, outgoing, body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    failingBaseURL: `http://127.0.0.1:${port}/fail/v1`,
    requests: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
