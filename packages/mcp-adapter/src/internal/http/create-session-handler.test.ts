import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createSessionHandler } from './create-session-handler.ts';

const initialize = (): Request =>
  new Request('http://localhost/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'unit', version: '1' } },
    }),
  });

describe('createSessionHandler', () => {
  const server = (): McpServer => new McpServer({ name: 'unit', version: '1.0.0' });
  const ping = (sessionId: string): Request =>
    new Request('http://localhost/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
  const open = async (handler: ReturnType<typeof createSessionHandler>): Promise<string> => {
    const response = await handler.fetch(initialize());
    expect(response.status).toBe(200);
    return response.headers.get('mcp-session-id') ?? '';
  };

  it('at the cap, closes the least recently used session for a new client instead of refusing it', async () => {
    const closed: string[] = [];
    let now = 0;
    const ended: string[] = [];
    const handler = createSessionHandler(server, (id) => closed.push(id), {
      maxSessions: 2,
      now: () => now,
      onEnded: (event) => ended.push(`${event.reason} after ${event.idleMs} ms`),
    });
    const first = await open(handler);
    now = 1_000;
    const second = await open(handler);
    now = 2_000;
    expect((await handler.fetch(ping(first))).status).toBe(200);
    now = 3_000;
    const third = await open(handler);
    expect(closed).toEqual([second]);
    expect(ended).toEqual(['evicted after 2000 ms']);
    expect(handler.stats()).toEqual({ open: 2, expired: 0, evicted: 1 });
    expect((await handler.fetch(ping(second))).status).toBe(404);
    expect((await handler.fetch(ping(third))).status).toBe(200);
    await handler.close();
    expect(closed.sort()).toEqual([first, second, third].sort());
  });

  it('closes sessions idle for longer than idleMs and releases what they held, on the injected clock', async () => {
    const closed: string[] = [];
    let now = 0;
    const handler = createSessionHandler(server, (id) => closed.push(id), { idleMs: 60_000, now: () => now });
    const sessions = [await open(handler), await open(handler), await open(handler)];
    now = 30_000;
    expect((await handler.fetch(ping(sessions[2] ?? ''))).status).toBe(200);
    now = 60_000;
    expect((await handler.fetch(ping(sessions[2] ?? ''))).status).toBe(200);
    expect(closed.sort()).toEqual([sessions[0], sessions[1]].sort());
    expect(handler.stats()).toEqual({ open: 1, expired: 2, evicted: 0 });
    now = 119_999;
    await handler.fetch(initialize());
    expect(handler.size()).toBe(2);
    now = 200_000;
    await handler.fetch(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(handler.stats()).toEqual({ open: 0, expired: 4, evicted: 0 });
  });

  it('refuses a new client only when every open session is busy', async () => {
    let release: () => void = () => undefined;
    const handler = createSessionHandler(server, () => undefined, { maxSessions: 1 });
    const first = await open(handler);
    const busyServer = handler.fetch(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': first,
          'mcp-protocol-version': '2025-06-18',
        },
        body: new ReadableStream({
          start(controller) {
            release = () => {
              controller.enqueue(new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' })));
              controller.close();
            };
          },
        }),
        duplex: 'half',
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const refused = await handler.fetch(initialize());
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { message: 'Too many sessions busy at once: retry later' } });
    release();
    await busyServer;
    await handler.close();
  });

  it('refuses a body that is not JSON as a request without a session', async () => {
    const handler = createSessionHandler(
      () => new McpServer({ name: 'unit', version: '1.0.0' }),
      () => undefined,
    );
    const response = await handler.fetch(
      new Request('http://localhost/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      }),
    );
    expect(response.status).toBe(400);
  });
});
