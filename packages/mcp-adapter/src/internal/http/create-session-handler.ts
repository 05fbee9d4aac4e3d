import { randomUUID } from 'node:crypto';
import { isInitializeRequest, WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';

/** Serves 2025-era Streamable HTTP with sessions: one server instance per session. */
export interface SessionHandler {
  fetch(request: Request): Promise<Response>;
  /** How many sessions are open. */
  size(): number;
  close(): Promise<void>;
}

const rpcError = (status: number, code: number, message: string): Response =>
  Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.clone().json();
  } catch {
    return undefined;
  }
}

/**
 * Creates the sessionful Streamable HTTP leg: an `initialize` POST without a session id
 * opens a session (a fresh server from `factory`, its own transport, a random session
 * id); later requests name the session in `Mcp-Session-Id`; `DELETE` closes it. Calls
 * `onClosed` with the id when a session ends, to release what was kept for it. At most
 * `maxSessions` are open at once; a new one beyond that is refused with 503.
 */
export function createSessionHandler(factory: () => McpServer, onClosed: (sessionId: string) => void, maxSessions = 1_000): SessionHandler {
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const forget = (sessionId: string | undefined): void => {
    if (sessionId === undefined || !sessions.delete(sessionId)) return;
    onClosed(sessionId);
  };
  return {
    async fetch(request) {
      const sessionId = request.headers.get('mcp-session-id');
      if (sessionId !== null) {
        const transport = sessions.get(sessionId);
        return transport === undefined ? rpcError(404, -32001, 'Session not found: start a new session with initialize') : transport.handleRequest(request);
      }
      const body = request.method === 'POST' ? await readJson(request) : undefined;
      const initializes = Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);
      if (!initializes) return rpcError(400, -32000, 'Bad Request: no valid session id; send initialize first');
      if (sessions.size >= maxSessions) return rpcError(503, -32000, 'Too many open sessions: end one with DELETE, or retry later');
      const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, transport);
        },
        onsessionclosed: (id) => {
          forget(id);
        },
      });
      const server = factory();
      transport.onclose = () => {
        forget(transport.sessionId);
      };
      await server.connect(transport);
      return transport.handleRequest(request, { parsedBody: body });
    },
    size: () => sessions.size,
    async close() {
      const open = [...sessions.values()];
      await Promise.all(open.map((transport) => transport.close()));
    },
  };
}
