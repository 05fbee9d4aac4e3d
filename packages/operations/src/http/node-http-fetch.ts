import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';
import type * as NodeNet from 'node:net';
import type * as NodeZlib from 'node:zlib';

/** What {@link createNodeHttpFetch} accepts (tests). */
export interface NodeHttpFetchOptions {
  /** Where the requests it does not handle go. Default: the global `fetch`, looked up on each call. */
  readonly fallback?: typeof fetch;
  /** The environment read for proxy variables. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Agents to send with. Default: one keep-alive agent per protocol, shared by the process. */
  readonly agents?: { readonly http: NodeHttp.Agent; readonly https: NodeHttps.Agent };
}

interface NodeModules {
  readonly http: typeof NodeHttp;
  readonly https: typeof NodeHttps;
  readonly net: typeof NodeNet;
  readonly zlib: typeof NodeZlib;
}

interface Agents {
  readonly http: NodeHttp.Agent;
  readonly https: NodeHttps.Agent;
}

/** One outgoing request, as it goes on the wire (a redirect makes the next one). */
interface Outgoing {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
  readonly redirect: NonNullable<RequestInit['redirect']>;
  readonly signal: AbortSignal | undefined;
  readonly hops: number;
}

const maxRedirects = 20;
const proxyVariables = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
/** Statuses whose response has no body by definition. */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** The `RequestInit` fields this fetch honours or may ignore; any other sends the request through the fallback. */
const knownInitFields = new Set([
  'method',
  'headers',
  'body',
  'signal',
  'redirect',
  'duplex',
  'keepalive',
  'cache',
  'credentials',
  'mode',
  'referrer',
  'referrerPolicy',
  'integrity',
  'priority',
  'window',
]);
/** Headers that must not follow a redirect to another origin. */
const credentialHeaders = ['authorization', 'api-key', 'cookie', 'proxy-authorization'];

/** Node's modules, looked up only when a client is made, so that importing operations stays runtime-neutral. */
function nodeModules(): NodeModules | null {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof process?.getBuiltinModule !== 'function') return null;
  const http = process.getBuiltinModule('node:http') as typeof NodeHttp | undefined;
  const https = process.getBuiltinModule('node:https') as typeof NodeHttps | undefined;
  const net = process.getBuiltinModule('node:net') as typeof NodeNet | undefined;
  const zlib = process.getBuiltinModule('node:zlib') as typeof NodeZlib | undefined;
  if (http === undefined || https === undefined || net === undefined || zlib === undefined) return null;
  return { http, https, net, zlib };
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

let sharedAgents: Agents | undefined;

/**
 * Keep-alive agents: the most recently used socket first (it is the least likely to
 * have been closed by the server), idle sockets closed after 4 s (undici's default)
 * or a second before the server's `Keep-Alive: timeout` hint if that is sooner. The
 * plain-TCP one reads the start of each response on its own ({@link readingFirstSmall}).
 */
function defaultAgents(modules: NodeModules): Agents {
  sharedAgents ??= {
    http: readingFirstSmall(
      new modules.http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 4_000 }),
      modules.net,
    ),
    https: new modules.https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 4_000 }),
  };
  return sharedAgents;
}

/** The reads of a plain-TCP socket on the shared agent: small after a read that came up short, else Node's size. */
const firstReadBytes = 16 * 1024;
const bulkReadBytes = 64 * 1024;

/**
 * Makes `agent`'s plain-TCP sockets read at most 16 KB at a time, unless the read
 * before filled its buffer: then 64 KB, Node's own size, until a read comes up short.
 *
 * Why: Node's HTTP parser handles a whole socket read before anything else runs, at
 * about half a microsecond per HTTP chunk. A server that sends a stream's events in a
 * burst (a fast model server, or a proxy flushing what it held) fills a 64 KB read
 * with some 240 of them, so the first event waits for all of them to be parsed. The
 * start of a response follows a read that came up short (the end of the previous
 * response, or an idle socket), so it is read on its own, and its first events are
 * handed on after a quarter of the parsing; a large body is still read 64 KB at a
 * time. TLS sockets are left as Node makes them: they already hand data over one
 * record (at most 16 KB) at a time.
 *
 * Each read lands in one of two buffers shared by the agent's sockets and is copied
 * out at once (a read is handed on before the next read of any socket starts).
 */
export function readingFirstSmall(agent: NodeHttp.Agent, net: typeof NodeNet): NodeHttp.Agent {
  const small = new Uint8Array(firstReadBytes);
  const bulk = new Uint8Array(bulkReadBytes);
  agent.createConnection = (options) => {
    // Whether the last read filled its buffer; Node asks for the next read's buffer after each read.
    let filled = false;
    const socket: NodeNet.Socket = net.createConnection({
      ...(options as NodeNet.NetConnectOpts),
      onread: {
        buffer: () => (filled ? bulk : small),
        callback: (read, buffer): boolean => {
          filled = read === buffer.byteLength;
          return socket.push(Buffer.from(buffer.subarray(0, read)));
        },
      },
    });
    return socket;
  };
  return agent;
}

/**
 * A `fetch` for the SDK client on Node's own `http` and `https` modules, with
 * keep-alive agents shared by every client of the process.
 *
 * Why: Node's global `fetch` (undici's WHATWG fetch) spends more CPU on one call than
 * the SDK itself does (request and response objects, header guards, body teeing and
 * streams), and that is what limits a client on a fast network. The same request on
 * `http.request` costs much less; BENCHMARKS.md has the numbers.
 *
 * What it keeps of `fetch`: the `Response` it resolves to is a real WHATWG `Response`
 * (status, status text, headers, `url`, `redirected`, a byte stream body);
 * redirects are followed as `fetch` follows them (up to 20; credentials dropped on a
 * change of origin); gzip, deflate, brotli and zstd bodies are decoded; an abort
 * rejects with the signal's reason, before or after the headers (the body then errors
 * with it); a failed connection rejects with `TypeError('fetch failed')` and a body cut
 * short errors with `TypeError('terminated')`, each with the socket's error as cause.
 * Nothing is sent twice here: a request that met a socket the server had just closed
 * fails like any connection error, and the transport decides whether to retry it.
 *
 * What it leaves to the fallback (the global `fetch`, looked up on each call): bodies
 * that are not a string or bytes (`FormData` uploads, streams), a `Request` object,
 * other protocols, options it does not know (an undici `dispatcher`), every request
 * when a proxy variable (`HTTPS_PROXY`, `HTTP_PROXY`) is set, and runtimes without
 * `process.getBuiltinModule`.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const fallback: typeof fetch = options.fallback ?? ((input, init) => globalThis.fetch(input, init));
  const modules = nodeModules();
  const env = options.env ?? processEnv();
  if (modules === null || proxyVariables.some((name) => (env[name] ?? '') !== '')) return fallback;
  const agents = options.agents ?? defaultAgents(modules);
  return (input, init) => {
    const outgoing = toOutgoing(input, init);
    if (outgoing === null) return fallback(input, init);
    return send(modules, agents, outgoing);
  };
}

/** The request as this fetch sends it, or null when it is one for the fallback. */
function toOutgoing(input: string | URL | Request, init: RequestInit | undefined): Outgoing | null {
  if (typeof input !== 'string' && !(input instanceof URL)) return null;
  if (init !== undefined && Object.keys(init).some((field) => !knownInitFields.has(field))) return null;
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const headers: Record<string, string> = {};
  // The SDK passes a Headers object: read as it is, not copied into another first.
  const given = init?.headers instanceof Headers ? init.headers : new Headers(init?.headers);
  given.forEach((value, name) => {
    headers[name] = value;
  });
  headers['accept'] ??= '*/*';
  headers['accept-encoding'] ??= 'gzip, deflate, br, zstd';
  return {
    url,
    method: (init?.method ?? 'GET').toUpperCase(),
    headers,
    body: body ?? undefined,
    redirect: init?.redirect ?? 'follow',
    signal: init?.signal ?? undefined,
    hops: 0,
  };
}

function bodyBytes(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/** Sends one request and resolves to its response (following redirects), like `fetch`. */
function send(modules: NodeModules, agents: Agents, outgoing: Outgoing): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const { url, signal } = outgoing;
    if (signal?.aborted === true) {
      // Like fetch: the signal's reason, whatever it is.
      reject(asRejection(signal.reason));
      return;
    }
    const secure = url.protocol === 'https:';
    const headers =
      outgoing.body === undefined
        ? outgoing.headers
        : { ...outgoing.headers, 'content-length': String(bodyBytes(outgoing.body)) };
    let request: NodeHttp.ClientRequest;
    try {
      request = (secure ? modules.https : modules.http).request(url, {
        agent: secure ? agents.https : agents.http,
        method: outgoing.method,
        headers,
      });
    } catch (thrown) {
      // Node refused the request before sending it (a header it will not write).
      reject(new TypeError('fetch failed', { cause: thrown }));
      return;
    }
    let answered = false;
    let failBody: ((error: unknown) => void) | undefined;
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      if (!answered) {
        answered = true;
        reject(asRejection(reason));
      } else failBody?.(reason);
      request.destroy();
    };
    const stopListening = (): void => signal?.removeEventListener('abort', onAbort);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => {
      if (answered) return;
      answered = true;
      stopListening();
      reject(new TypeError('fetch failed', { cause: error }));
    });
    request.on('response', (incoming) => {
      if (answered) {
        incoming.destroy();
        return;
      }
      answered = true;
      const status = incoming.statusCode ?? 0;
      // Read from the raw headers: `incoming.headers` would build an object of all of them first.
      const raw = incoming.rawHeaders;
      const location = rawHeader(raw, 'location');
      if (redirectStatuses.has(status) && location !== undefined && outgoing.redirect !== 'manual') {
        incoming.resume();
        stopListening();
        const next = redirected(outgoing, status, location);
        if (typeof next === 'string') reject(new TypeError(next));
        else resolve(send(modules, agents, next));
        return;
      }
      try {
        const body =
          outgoing.method === 'HEAD' || nullBodyStatuses.has(status)
            ? null
            : webBody(
                incoming,
                decoded(modules.zlib, incoming, rawHeader(raw, 'content-encoding') ?? ''),
                (fail) => (failBody = fail),
                stopListening,
              );
        if (body === null) {
          incoming.resume();
          stopListening();
        }
        const response = new Response(body, { status, statusText: incoming.statusMessage ?? '' });
        // Appended to the response's own headers: one check of each, no Headers object to copy from.
        const responseHeaders = response.headers;
        for (let index = 0; index + 1 < raw.length; index += 2) {
          responseHeaders.append(raw[index] ?? '', raw[index + 1] ?? '');
        }
        Object.defineProperty(response, 'url', { value: url.href });
        if (outgoing.hops > 0) Object.defineProperty(response, 'redirected', { value: true });
        resolve(response);
      } catch (thrown) {
        stopListening();
        incoming.destroy();
        reject(new TypeError('fetch failed', { cause: thrown }));
      }
    });
    request.end(outgoing.body);
  });
}

/**
 * A response header from Node's raw list (names as sent): `location` as its first
 * value, as Node's `headers` keeps it; any other with its values joined by `, `.
 */
function rawHeader(raw: readonly string[], name: 'location' | 'content-encoding'): string | undefined {
  let value: string | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const field = raw[index] ?? '';
    if (field.length !== name.length || field.toLowerCase() !== name) continue;
    const next = raw[index + 1] ?? '';
    if (value === undefined) value = next;
    else if (name === 'location') return value;
    else value = `${value}, ${next}`;
  }
  return value;
}

/** The request a redirect asks for, or why it cannot be followed. */
function redirected(outgoing: Outgoing, status: number, location: string): Outgoing | string {
  if (outgoing.redirect === 'error') return `fetch failed: redirected (${status}) with redirect: 'error'`;
  if (outgoing.hops >= maxRedirects) return `fetch failed: more than ${maxRedirects} redirects`;
  let url: URL;
  try {
    url = new URL(location, outgoing.url);
  } catch {
    return `fetch failed: the redirect location is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `fetch failed: redirected to ${url.protocol}`;
  const toGet =
    status === 303 ? outgoing.method !== 'HEAD' : (status === 301 || status === 302) && outgoing.method === 'POST';
  const dropped = new Set([
    ...(url.origin === outgoing.url.origin ? [] : credentialHeaders),
    ...(toGet ? ['content-type', 'content-length'] : []),
  ]);
  const headers = Object.fromEntries(Object.entries(outgoing.headers).filter(([name]) => !dropped.has(name)));
  return {
    ...outgoing,
    url,
    headers,
    method: toGet ? 'GET' : outgoing.method,
    body: toGet ? undefined : outgoing.body,
    hops: outgoing.hops + 1,
  };
}

/** A readable body: the response itself or a decoder it is piped into. */
type Readable =
  NodeHttp.IncomingMessage | NodeZlib.Gunzip | NodeZlib.Inflate | NodeZlib.BrotliDecompress | NodeZlib.ZstdDecompress;

/** The response body decoded by its `content-encoding` (codings this does not know pass through, as with `fetch`). */
function decoded(zlib: typeof NodeZlib, incoming: NodeHttp.IncomingMessage, contentEncoding: string): Readable {
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse();
  let source: Readable = incoming;
  for (const coding of codings) {
    const decoder = decoderFor(zlib, coding);
    if (decoder === null) return source;
    const upstream: Readable = source;
    upstream.on('error', (error) => decoder.destroy(error));
    // A body cut short ends the decoder early; the missing end is reported below.
    upstream.on('close', () => {
      if (!upstream.readableEnded) decoder.destroy(prematureClose());
    });
    source = upstream.pipe(decoder);
  }
  return source;
}

function decoderFor(zlib: typeof NodeZlib, coding: string): Exclude<Readable, NodeHttp.IncomingMessage> | null {
  // Lenient like undici: a body whose compressed stream ends without its trailer still decodes.
  const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(lenient);
  if (coding === 'deflate') return zlib.createInflate(lenient);
  if (coding === 'br') return zlib.createBrotliDecompress();
  // zstd came in Node 22.15; an older Node passes the body through undecoded.
  const zstd = (zlib as Partial<Pick<typeof NodeZlib, 'createZstdDecompress'>>).createZstdDecompress;
  if (coding === 'zstd' && zstd !== undefined) return zstd();
  return null;
}

/**
 * What a rejection carries: the abort reason itself, as `fetch` rejects with it (an
 * `AbortError` DOMException unless the caller gave another).
 */
function asRejection(reason: unknown): Error {
  return reason instanceof Error ? reason : new DOMException(String(reason), 'AbortError');
}

function prematureClose(): Error & { code: string } {
  return Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' });
}

/**
 * The body as a web byte stream. Node's parser makes a piece of every HTTP chunk, and
 * a socket read can bring a thousand of them at once; they wait in the response's own
 * buffer, and each read of the stream takes everything received so far as one chunk
 * (one copy, instead of one `data` event and one hand-over per piece). A reader that
 * is waiting gets it as soon as the socket read has been parsed. Backpressure is
 * Node's: the socket pauses while the reader is behind. An error or a close before
 * the end errors it with `TypeError('terminated')` (the cause is the socket's error),
 * unless an abort got there first with its reason.
 */
function webBody(
  incoming: NodeHttp.IncomingMessage,
  source: Readable,
  onFail: (fail: (error: unknown) => void) => void,
  done: () => void,
): ReadableStream<Uint8Array> {
  let finished = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const finish = (): boolean => {
    if (finished) return false;
    finished = true;
    done();
    return true;
  };
  const fail = (error: unknown): void => {
    if (finish()) controller.error(error);
    source.destroy();
    incoming.destroy();
  };
  onFail(fail);
  // Set while the stream wants a chunk that has not come yet.
  let wanted = false;
  const deliver = (): void => {
    if (!wanted || finished) return;
    const chunk = source.read() as Buffer | null;
    if (chunk === null) return;
    wanted = false;
    controller.enqueue(chunk);
  };
  return new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      source.on('readable', deliver);
      source.on('end', () => {
        if (finish()) controller.close();
      });
      source.on('error', (error) => {
        fail(new TypeError('terminated', { cause: error }));
      });
      source.on('close', () => {
        if (!finished) fail(new TypeError('terminated', { cause: prematureClose() }));
      });
    },
    pull() {
      wanted = true;
      deliver();
    },
    cancel() {
      finish();
      source.destroy();
      incoming.destroy();
    },
  });
}
