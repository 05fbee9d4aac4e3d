import { randomUUID } from 'node:crypto';
import {
  isInitializeRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type McpServer,
} from '@modelcontextprotocol/server';

/** What the session handler has done with sessions, for the usage report and the log. */
interface SessionStats {
  readonly open: number;
  /** Sessions closed because no request came for `idleMs`. */
  readonly expired: number;
  /** Idle sessions closed to make room for a new client at the cap. */
  readonly evicted: number;
}

/** Serves 2025-era Streamable HTTP with sessions: one server instance per session. */
export interface SessionHandler {
  /**
   * Serves one request. `authInfo` (the client the bearer token identifies) is passed to
   * the tools; a session answers only the client that opened it (404 for anyone else).
   */
  fetch(request: Request, authInfo?: AuthInfo): Promise<Response>;
  /** How many sessions are open. */
  size(): number;
  stats(): SessionStats;
  close(): Promise<void>;
}

/** Limits of the session handler. */
export interface SessionHandlerOptions {
  /** Sessions open at once (default 1,000). */
  readonly maxSessions?: number;
  /** A session without a request for this long is closed (default 10 minutes). */
  readonly idleMs?: number;
  /** Clock, injectable for tests (default `Date.now`). */
  readonly now?: () => number;
  /** Told of the counts whenever a session opens or closes. */
  readonly onChanged?: (stats: SessionStats) => void;
  /** Told of every session closed for being idle or to make room. */
  readonly onEnded?: (event: {
    readonly reason: 'expired' | 'evicted';
    readonly sessionId: string;
    readonly idleMs: number;
    readonly stats: SessionStats;
  }) => void;
}

interface OpenSession {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  /** The client that opened the session (`undefined` without bearer tokens). */
  readonly clientId: string | undefined;
  lastUsed: number;
  inFlight: number;
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
 * `onClosed` with the id when a session ends, to release what was kept for it.
 *
 * Sessions end by themselves too, since clients often close without a `DELETE`: one
 * without a request for `idleMs` is closed (checked on every request, oldest first), and
 * when `maxSessions` are open a new client closes the least recently used session that
 * is not handling a request. Only when every open session is busy is a new one refused
 * with 503.
 */
export function createSessionHandler(
  factory: () => McpServer,
  onClosed: (sessionId: string) => void,
  options: SessionHandlerOptions = {},
): SessionHandler {
  const maxSessions = options.maxSessions ?? 1_000;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  // In order of last use: the first entry is the least recently used.
  const sessions = new Map<string, OpenSession>();
  let expired = 0;
  let evicted = 0;
  const stats = (): SessionStats => ({ open: sessions.size, expired, evicted });
  const forget = (sessionId: string | undefined): void => {
    if (sessionId === undefined || !sessions.delete(sessionId)) return;
    onClosed(sessionId);
    options.onChanged?.(stats());
  };
  const end = (sessionId: string, session: OpenSession, reason: 'expired' | 'evicted', at: number): void => {
    if (reason === 'expired') expired += 1;
    else evicted += 1;
    forget(sessionId);
    // Counted at once; the transport closes in the background.
    void session.transport.close().catch(() => undefined);
    options.onEnded?.({ reason, sessionId, idleMs: at - session.lastUsed, stats: stats() });
  };
  const sweep = (at: number): void => {
    for (const [sessionId, session] of sessions) {
      if (at - session.lastUsed < idleMs) break;
      if (session.inFlight === 0) end(sessionId, session, 'expired', at);
    }
  };
  const makeRoom = (at: number): boolean => {
    for (const [sessionId, session] of sessions) {
      if (session.inFlight > 0) continue;
      end(sessionId, session, 'evicted', at);
      return true;
    }
    return false;
  };
  const use = async (
    sessionId: string,
    session: OpenSession,
    request: Request,
    authInfo: AuthInfo | undefined,
  ): Promise<Response> => {
    // Moved to the end: the map stays in order of last use.
    sessions.delete(sessionId);
    sessions.set(sessionId, session);
    session.lastUsed = now();
    session.inFlight += 1;
    try {
      return await session.transport.handleRequest(request, authInfo === undefined ? {} : { authInfo });
    } finally {
      session.inFlight -= 1;
      session.lastUsed = now();
    }
  };
  return {
    async fetch(request, authInfo) {
      sweep(now());
      const sessionId = request.headers.get('mcp-session-id');
      if (sessionId !== null) {
        const session = sessions.get(sessionId);
        // Another client's session is answered as if it did not exist: its id says nothing.
        return session === undefined || session.clientId !== authInfo?.clientId
          ? rpcError(404, -32001, 'Session not found: start a new session with initialize')
          : use(sessionId, session, request, authInfo);
      }
      const body = request.method === 'POST' ? await readJson(request) : undefined;
      const initializes = Array.isArray(body)
        ? body.some((message) => isInitializeRequest(message))
        : isInitializeRequest(body);
      if (!initializes) return rpcError(400, -32000, 'Bad Request: no valid session id; send initialize first');
      if (sessions.size >= maxSessions && !makeRoom(now()))
        return rpcError(503, -32000, 'Too many sessions busy at once: retry later');
      const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, clientId: authInfo?.clientId, lastUsed: now(), inFlight: 0 });
          options.onChanged?.(stats());
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
      return transport.handleRequest(request, { parsedBody: body, ...(authInfo === undefined ? {} : { authInfo }) });
    },
    size: () => sessions.size,
    stats,
    async close() {
      const open = [...sessions.values()];
      await Promise.all(open.map((session) => session.transport.close()));
    },
  };
}
