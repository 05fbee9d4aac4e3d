import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeHttpFetch, readingFirstSmall } from './node-http-fetch.ts';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;

const servers: http.Server[] = [];
const agents: http.Agent[] = [];
let simulator: OpenAISimulator | undefined;

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => {
            resolve();
          });
        }),
    ),
  );
  await simulator?.close();
  simulator = undefined;
  vi.restoreAllMocks();
});

/** A loopback server that records every request and answers with `handler`. */
async function serve(handler: Handler): Promise<{ readonly base: string; readonly received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** A fetch on agents of its own (destroyed after each test), and a fallback that records what it got. */
function nodeFetch(env: Record<string, string> = {}): { readonly fetch: typeof fetch; readonly fellBack: unknown[] } {
  const fellBack: unknown[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const secureAgent = new https.Agent({ keepAlive: true });
  agents.push(agent, secureAgent);
  const fetch = createNodeHttpFetch({
    env,
    agents: { http: agent, https: secureAgent },
    fallback: (input) => {
      fellBack.push(input);
      return Promise.resolve(new Response('from the fallback'));
    },
  });
  return { fetch, fellBack };
}

describe('createNodeHttpFetch', () => {
  it('sends the method, headers and body, and resolves to a Response with status, headers and url', async () => {
    const { base, received } = await serve((_request, response) => {
      response.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      response.end('{"ok":true}');
    });
    const { fetch, fellBack } = nodeFetch();
    const response = await fetch(`${base}/v1/things?x=1`, {
      method: 'post',
      headers: new Headers({ authorization: 'Bearer sk-test', 'content-type': 'application/json' }),
      body: '{"a":"é"}',
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${base}/v1/things?x=1`);
    expect(response.redirected).toBe(false);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(await response.json()).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/v1/things?x=1',
      body: '{"a":"é"}',
      headers: {
        authorization: 'Bearer sk-test',
        'content-type': 'application/json',
        'content-length': '10',
        'accept-encoding': 'gzip, deflate, br, zstd',
        accept: '*/*',
      },
    });
    expect(fellBack).toEqual([]);
  });

  it('sends bytes, and keeps one connection alive across calls', async () => {
    const ports = new Set<number>();
    const { base, received } = await serve((request, response) => {
      ports.add(request.socket.remotePort ?? 0);
      response.end('done');
    });
    const { fetch } = nodeFetch();
    for (let call = 0; call < 3; call += 1) {
      const response = await fetch(`${base}/bytes`, { method: 'PUT', body: new Uint8Array([104, 105]) });
      expect(await response.text()).toBe('done');
    }
    expect(received.map((request) => request.body)).toEqual(['hi', 'hi', 'hi']);
    expect(ports.size).toBe(1);
  });

  it.each([
    ['gzip', (text: string) => zlib.gzipSync(text)],
    ['deflate', (text: string) => zlib.deflateSync(text)],
    ['br', (text: string) => zlib.brotliCompressSync(text)],
    ['zstd', (text: string) => zlib.zstdCompressSync(text)],
  ])('decodes a %s body', async (coding, encode) => {
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': coding });
      response.end(encode('a compressed answer'));
    });
    const response = await nodeFetch().fetch(`${base}/`);
    expect(await response.text()).toBe('a compressed answer');
    expect(response.headers.get('content-encoding')).toBe(coding);
  });

  it('decodes codings sent on two header lines in turn, and follows the first of two locations', async () => {
    const { base } = await serve((request, response) => {
      if (request.url === '/moved') {
        response.writeHead(302, [
          ['Location', '/first'],
          ['Location', '/second'],
        ]);
        response.end();
        return;
      }
      response.writeHead(200, [
        ['Content-Encoding', 'deflate'],
        ['content-encoding', 'gzip'],
      ]);
      response.end(zlib.gzipSync(zlib.deflateSync(`twice at ${request.url ?? ''}`)));
    });
    const response = await nodeFetch().fetch(`${base}/moved`);
    expect(await response.text()).toBe('twice at /first');
  });

  it('passes a body of an unknown coding through as it came', async () => {
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'unheard-of' });
      response.end('raw bytes');
    });
    expect(await (await nodeFetch().fetch(`${base}/`)).text()).toBe('raw bytes');
  });

  it('errors the body of a corrupt compressed answer with TypeError terminated', async () => {
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end('not gzip at all');
    });
    const response = await nodeFetch().fetch(`${base}/`);
    await expect(response.text()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it('gives a null body for 204 and for HEAD', async () => {
    const { base } = await serve((request, response) => {
      response.writeHead(request.method === 'HEAD' ? 200 : 204, { 'x-seen': request.method ?? '' });
      response.end();
    });
    const { fetch } = nodeFetch();
    const empty = await fetch(`${base}/`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers.get('x-seen')).toBe('HEAD');
  });

  it('streams a body chunk by chunk as the server writes it', async () => {
    let writeMore: (() => void) | undefined;
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      writeMore = () => response.end('data: two\n\n');
    });
    const response = await nodeFetch().fetch(`${base}/`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('data: one\n\n');
    writeMore?.();
    const second = await reader.read();
    expect(decoder.decode(second.value)).toBe('data: two\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('reads a burst of small HTTP chunks as a few large reads, all of it in order', async () => {
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let index = 0; index < 500; index += 1) response.write(`data: ${index}\n\n`);
      response.end();
    });
    const response = await nodeFetch().fetch(`${base}/`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let reads = 0;
    for (let step = await reader.read(); !step.done; step = await reader.read()) {
      reads += 1;
      text += decoder.decode(step.value, { stream: true });
    }
    expect(text).toBe(Array.from({ length: 500 }, (_, index) => `data: ${index}\n\n`).join(''));
    // One read per HTTP chunk would be 500.
    expect(reads).toBeLessThan(50);
  });

  it('stops reading the socket while the reader is behind, and then delivers all of it in order', async () => {
    const piece = Buffer.alloc(64 * 1024, 'x');
    const pieces = 512; // 32 MB: far more than the kernel's socket buffers hold
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const write = (): void => {
        while (sent < pieces) {
          sent += 1;
          if (!response.write(piece)) {
            response.once('drain', write);
            return;
          }
        }
        response.end();
      };
      write();
    });
    // The shared agent's kind: its own read buffers must pause the socket too.
    const agent = readingFirstSmall(new http.Agent({ keepAlive: true }), net);
    agents.push(agent);
    const fetch = createNodeHttpFetch({ env: {}, agents: { http: agent, https: new https.Agent() } });
    const reader = ((await fetch(`${base}/`)).body as ReadableStream<Uint8Array>).getReader();
    const [socket] = Object.values(agent.sockets).flat();
    let delivered = 0;
    let aheadMost = 0;
    for (let step = await reader.read(); !step.done; step = await reader.read()) {
      delivered += step.value.byteLength;
      if (delivered < 4 * 1024 * 1024) {
        // The reader falls behind for a while: many turns of the event loop, in which the socket could be read.
        for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
        aheadMost = Math.max(aheadMost, (socket?.bytesRead ?? 0) - delivered);
      }
    }
    expect(delivered).toBe(piece.length * pieces);
    expect(socket).toBeDefined();
    // What the process read and the reader did not take stays within a few socket reads.
    expect(aheadMost).toBeGreaterThan(0);
    expect(aheadMost).toBeLessThan(1024 * 1024);
  });

  it('reads the start of a response in at most 16 KB on the shared http agent, then 64 KB at a time', async () => {
    const body = Buffer.alloc(1024 * 1024);
    for (let index = 0; index < body.length; index += 1) body[index] = index % 251;
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': String(body.length) });
      response.end(body);
    });
    // The socket reads of each response, as the connection hands them on.
    const reads: number[][] = [];
    const recording: typeof net = {
      ...net,
      createConnection: ((options: net.NetConnectOpts) => {
        const socket = net.createConnection(options);
        socket.on('data', (bytes: Buffer) => reads.at(-1)?.push(bytes.length));
        return socket;
      }) as typeof net.createConnection,
    };
    const agent = readingFirstSmall(new http.Agent({ keepAlive: true }), recording);
    agents.push(agent);
    const fetch = createNodeHttpFetch({ env: {}, agents: { http: agent, https: new https.Agent() } });
    for (let call = 0; call < 2; call += 1) {
      reads.push([]);
      const response = await fetch(`${base}/`);
      expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    }
    // One kept-alive connection; a new one starts small, and reads grow once a read fills its buffer.
    expect(reads).toHaveLength(2);
    const [sizes = []] = reads;
    expect(sizes[0]).toBeLessThanOrEqual(16 * 1024);
    expect(Math.max(...sizes)).toBeGreaterThan(16 * 1024);
    expect(Math.max(...reads.flat())).toBeLessThanOrEqual(64 * 1024);
  });

  it('errors a body the server cut short with TypeError terminated, keeping what came first', async () => {
    const { base } = await serve((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('only part', () => response.socket?.destroy());
    });
    const response = await nodeFetch().fetch(`${base}/`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('only part');
    await expect(reader.read()).rejects.toMatchObject({
      name: 'TypeError',
      message: 'terminated',
      cause: expect.objectContaining({ code: 'ECONNRESET' }) as unknown,
    });
  });

  it('rejects with TypeError fetch failed, the socket error as cause, when nothing listens', async () => {
    const { base } = await serve(() => undefined);
    await new Promise<void>((resolve) => {
      const server = servers.pop();
      server?.closeAllConnections();
      server?.close(() => {
        resolve();
      });
    });
    await expect(nodeFetch().fetch(`${base}/`)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: expect.objectContaining({ code: 'ECONNREFUSED' }) as unknown,
    });
  });

  it('rejects with the reason of a signal aborted before, while waiting for headers, and errors the body after', async () => {
    const { base, received } = await serve((request, response) => {
      if (request.url === '/slow') return;
      response.writeHead(200);
      response.write('started');
    });
    const { fetch } = nodeFetch();
    const before = new AbortController();
    before.abort(new Error('stopped early'));
    await expect(fetch(`${base}/`, { signal: before.signal })).rejects.toThrow('stopped early');

    const waiting = new AbortController();
    const pending = fetch(`${base}/slow`, { signal: waiting.signal });
    await vi.waitFor(() => {
      expect(received.map((request) => request.url)).toContain('/slow');
    });
    waiting.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const reading = new AbortController();
    const response = await fetch(`${base}/`, { signal: reading.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    reading.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets a cancelled body free the request, and removes its abort listener when the body ends', async () => {
    const { base } = await serve((_request, response) => {
      response.writeHead(200);
      response.end('whole');
    });
    const { fetch } = nodeFetch();
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const response = await fetch(`${base}/`, { signal: controller.signal });
    expect(await response.text()).toBe('whole');
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
    const cancelled = await fetch(`${base}/`);
    await cancelled.body?.cancel();
    expect(cancelled.bodyUsed).toBe(true);
  });

  it('follows redirects like fetch: 307 keeps method and body, 303 turns into GET, credentials stay on the origin', async () => {
    const other = await serve((_request, response) => response.end('elsewhere'));
    const { base, received } = await serve((request, response) => {
      if (request.url === '/keep') response.writeHead(307, { location: '/kept' }).end();
      else if (request.url === '/see') response.writeHead(303, { location: '/seen' }).end();
      else if (request.url === '/away') response.writeHead(302, { location: `${other.base}/there` }).end();
      else response.end(`at ${request.url ?? ''}`);
    });
    const { fetch } = nodeFetch();
    const init = { method: 'POST', headers: { authorization: 'Bearer sk-secret', 'content-type': 'text/plain' } };
    const kept = await fetch(`${base}/keep`, { ...init, body: 'payload' });
    expect(await kept.text()).toBe('at /kept');
    expect(kept.redirected).toBe(true);
    expect(kept.url).toBe(`${base}/kept`);
    expect(received[1]).toMatchObject({ method: 'POST', body: 'payload' });
    expect(received[1]?.headers.authorization).toBe('Bearer sk-secret');

    expect(await (await fetch(`${base}/see`, { ...init, body: 'payload' })).text()).toBe('at /seen');
    expect(received[3]).toMatchObject({ method: 'GET', body: '' });
    expect(received[3]?.headers['content-type']).toBeUndefined();

    expect(await (await fetch(`${base}/away`, { ...init, body: 'payload' })).text()).toBe('elsewhere');
    expect(other.received[0]).toMatchObject({ method: 'GET' });
    expect(other.received[0]?.headers.authorization).toBeUndefined();
  });

  it("returns a redirect as it is with redirect: 'manual', and refuses it with 'error', endless ones and other protocols", async () => {
    const { base } = await serve((request, response) => {
      if (request.url === '/loop') response.writeHead(302, { location: '/loop' }).end();
      else if (request.url === '/ftp') response.writeHead(302, { location: 'ftp://example.com/' }).end();
      else response.writeHead(301, { location: '/elsewhere' }).end();
    });
    const { fetch } = nodeFetch();
    const manual = await fetch(`${base}/moved`, { redirect: 'manual' });
    expect(manual.status).toBe(301);
    expect(manual.headers.get('location')).toBe('/elsewhere');
    await expect(fetch(`${base}/moved`, { redirect: 'error' })).rejects.toThrow(/redirect: 'error'/);
    await expect(fetch(`${base}/loop`)).rejects.toThrow(/more than 20 redirects/);
    await expect(fetch(`${base}/ftp`)).rejects.toThrow(/redirected to ftp:/);
  });

  it('sends an https URL with https.request on the https agent', async () => {
    const secure = vi.spyOn(https, 'request').mockImplementation(() => {
      throw new Error('no TLS server in this test');
    });
    const agent = new https.Agent({ keepAlive: true });
    agents.push(agent);
    const fetch = createNodeHttpFetch({ env: {}, agents: { http: new http.Agent(), https: agent } });
    await expect(fetch('https://api.openai.com/v1/models')).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: new Error('no TLS server in this test'),
    });
    expect(secure).toHaveBeenCalledTimes(1);
    const [url, options] = secure.mock.calls[0] as unknown as [URL, https.RequestOptions];
    expect(url.href).toBe('https://api.openai.com/v1/models');
    expect(options.agent).toBe(agent);
  });

  it('leaves to the fallback what it does not handle', async () => {
    const { base, received } = await serve((_request, response) => response.end('served'));
    const { fetch, fellBack } = nodeFetch();
    // An option this fetch does not know (another runtime's).
    const withDispatcher = { method: 'GET', verbose: true };
    const form = new FormData();
    form.set('purpose', 'batch');
    const answers = await Promise.all([
      fetch(`${base}/upload`, { method: 'POST', body: form }),
      fetch(new Request(`${base}/request`)),
      fetch('data:text/plain,hello'),
      fetch(`${base}/x`, withDispatcher),
      fetch('not a url'),
    ]);
    expect(await Promise.all(answers.map((answer) => answer.text()))).toEqual(Array(5).fill('from the fallback'));
    expect(fellBack).toHaveLength(5);
    expect(received).toEqual([]);
  });

  it('leaves every request to the fallback when a proxy variable is set', async () => {
    const { base, received } = await serve((_request, response) => response.end('served'));
    const { fetch, fellBack } = nodeFetch({ HTTPS_PROXY: 'http://proxy.internal:3128' });
    expect(await (await fetch(`${base}/`)).text()).toBe('from the fallback');
    expect(fellBack).toEqual([`${base}/`]);
    expect(received).toEqual([]);
  });

  it('is what the real SDK sends through: the global fetch is never called', async () => {
    simulator = await createOpenAISimulator();
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: simulator.baseURL,
      maxRetries: 0,
      fetch: createNodeHttpFetch(),
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(completion.choices[0]?.message.content).toEqual(expect.any(String));
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).not.toBe('');
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect(globalFetch).not.toHaveBeenCalled();
  });
});
