import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireReply } from '../engine/create-engine.ts';

/** A running loopback HTTP server. */
export interface LoopbackServer {
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections and drops the open ones. */
  close(): Promise<void>;
}

const skippedHeaders = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'expect',
  'upgrade',
]);

function write(outgoing: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    outgoing.write(chunk, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

function dropConnection(incoming: IncomingMessage): void {
  if (!incoming.socket.destroyed) incoming.socket.resetAndDestroy();
}

async function serve(
  handle: (request: Request) => Promise<WireReply>,
  origin: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const aborter = new AbortController();
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) aborter.abort();
  });
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let index = 0; index + 1 < incoming.rawHeaders.length; index += 2) {
    const name = incoming.rawHeaders[index] ?? '';
    if (!skippedHeaders.has(name.toLowerCase())) headers.append(name, incoming.rawHeaders[index + 1] ?? '');
  }
  const method = incoming.method ?? 'GET';
  const hasBody = chunks.length > 0 && method !== 'GET' && method !== 'HEAD';
  const request = new Request(`${origin}${incoming.url ?? '/'}`, {
    method,
    headers,
    signal: aborter.signal,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
  const reply = await handle(request);
  if (reply.type === 'network-error') {
    dropConnection(incoming);
    return;
  }
  const { response } = reply;
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  outgoing.writeHead(response.status, responseHeaders);
  outgoing.flushHeaders();
  const body = response.body as ReadableStream<Uint8Array> | null;
  if (body === null) {
    outgoing.end();
    return;
  }
  const reader = body.getReader();
  aborter.signal.addEventListener('abort', () => {
    reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await write(outgoing, value);
    }
    outgoing.end();
  } catch {
    // A cut or released stream: drop the connection without the chunked terminator.
    dropConnection(incoming);
  }
}

/**
 * Serves a web-standard handler on a loopback address with `node:http`: requests
 * become `Request`s (aborted when the client goes away), responses are streamed
 * chunk by chunk, a failing body drops the connection mid-response, and a network
 * error resets it before any header.
 */
export function serveOnLoopback(
  handle: (request: Request) => Promise<WireReply>,
  options: { readonly host: string; readonly port: number },
): Promise<LoopbackServer> {
  return new Promise((resolve, reject) => {
    let origin = '';
    const server = createServer((incoming, outgoing) => {
      serve(handle, origin, incoming, outgoing).catch(() => {
        if (!outgoing.headersSent) {
          outgoing.writeHead(500, { 'content-type': 'application/json' });
          outgoing.end(
            JSON.stringify({
              error: {
                message: 'The simulator failed to handle the request.',
                type: 'server_error',
                param: null,
                code: null,
              },
            }),
          );
        } else {
          dropConnection(incoming);
        }
      });
    });
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
      resolve({
        host: options.host,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              done();
            });
            server.closeAllConnections();
          }),
      });
    });
  });
}
