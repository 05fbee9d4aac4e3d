import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createSessionHandler } from './create-session-handler.ts';

const initialize = (): Request =>
  new Request('http://localhost/mcp', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'unit', version: '1' } } }),
  });

describe('createSessionHandler', () => {
  it('opens a session per initialize, refuses one beyond the limit, and reports closed sessions', async () => {
    const closed: string[] = [];
    const handler = createSessionHandler(() => new McpServer({ name: 'unit', version: '1.0.0' }), (id) => closed.push(id), 1);
    const first = await handler.fetch(initialize());
    expect(first.status).toBe(200);
    const sessionId = first.headers.get('mcp-session-id');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(handler.size()).toBe(1);
    const second = await handler.fetch(initialize());
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ error: { message: 'Too many open sessions: end one with DELETE, or retry later' } });
    await handler.close();
    expect(closed).toEqual([sessionId]);
    expect(handler.size()).toBe(0);
  });

  it('refuses a body that is not JSON as a request without a session', async () => {
    const handler = createSessionHandler(() => new McpServer({ name: 'unit', version: '1.0.0' }), () => undefined);
    const response = await handler.fetch(new Request('http://localhost/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }));
    expect(response.status).toBe(400);
  });
});
