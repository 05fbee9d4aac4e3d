import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  hostHeaderValidation,
  originValidation,
  toNodeHandler,
  type NodeIncomingMessageLike,
} from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isLegacyRequest,
  localhostAllowedHostnames,
  type AuthInfo,
  type McpServer,
} from '@modelcontextprotocol/server';
import { createBearerCheck, type AuthToken } from './create-bearer-check.ts';
import { createSessionHandler, type SessionHandlerOptions } from './create-session-handler.ts';

/** Where and how the HTTP server listens. */
export interface HttpServeOptions {
  readonly host: string;
  readonly port: number;
  /** Host header names accepted besides the loopback names and `host`. */
  readonly allowedHosts: readonly string[];
  /** Origin host names accepted besides the loopback names and `host`. */
  readonly allowedOrigins: readonly string[];
  /**
   * When not empty, every request must carry `Authorization: Bearer <token>` of one of
   * them; the token's `clientId` identifies the client to the tools (its usage ledger).
   */
  readonly authTokens: readonly AuthToken[];
  /** A server for one session (2025-era) or one request (2026-07-28). */
  readonly factory: () => McpServer;
  /** Called when a 2025-era session ends. */
  readonly onSessionClosed: (sessionId: string) => void;
  /** Sessions, their idle time and clock (see `createSessionHandler`). */
  readonly sessions?: SessionHandlerOptions;
  readonly onError: (error: Error) => void;
}

/** A running MCP HTTP server. */
export interface HttpServing {
  /** The endpoint, e.g. `http://127.0.0.1:3333/mcp`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, closes every session and open connection. */
  close(): Promise<void>;
}

/** The path the MCP endpoint is served at. */
const mcpPath = '/mcp';

const plain = (
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
};

/** Whether an address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/**
 * Serves MCP over Streamable HTTP at `/mcp` with `node:http`: DNS-rebinding protection
 * (the Host and Origin headers must name an allowed host: 403 otherwise), an optional
 * bearer token (401 otherwise, compared in constant time), 2025-era clients in
 * sessions and 2026-07-28 clients per request. Resolves once it listens.
 */
export function serveHttp(options: HttpServeOptions): Promise<HttpServing> {
  const bare = options.host.replace(/^\[|\]$/g, '');
  const hostName = bare.includes(':') ? `[${bare}]` : bare;
  const names = [...new Set([...localhostAllowedHostnames(), hostName, ...options.allowedHosts])];
  const checkHost = hostHeaderValidation(names);
  const checkOrigin = originValidation([...new Set([...names, ...options.allowedOrigins])]);
  const checkToken = options.authTokens.length === 0 ? undefined : createBearerCheck(options.authTokens);
  const sessions = createSessionHandler(options.factory, options.onSessionClosed, options.sessions);
  const modern = createMcpHandler(options.factory, { legacy: 'reject', onerror: options.onError });
  const handle = toNodeHandler(
    {
      fetch: async (request, context) => {
        const authInfo = context?.authInfo;
        if (await isLegacyRequest(request)) return sessions.fetch(request, authInfo);
        return modern.fetch(request, authInfo === undefined ? {} : { authInfo });
      },
    },
    { onerror: options.onError },
  );

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    if (!checkHost(request, response) || !checkOrigin(request, response)) return;
    if (checkToken !== undefined) {
      const client = checkToken(request.headers.authorization);
      if (client === null) {
        plain(response, 401, 'Unauthorized: send Authorization: Bearer <MCP_AUTH_TOKEN>', {
          'www-authenticate': 'Bearer realm="openai-mcp"',
        });
        return;
      }
      // The Node adapter passes `req.auth` on as `authInfo`: the client's name, never its token.
      const auth: AuthInfo = { token: `client:${client.clientId}`, clientId: client.clientId, scopes: [] };
      (request as IncomingMessage & { auth?: AuthInfo }).auth = auth;
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== mcpPath) {
      plain(response, 404, `Not found: the MCP endpoint is ${mcpPath}`);
      return;
    }
    // The SDK's structural type spells `method?: string`, which Node's `string | undefined` meets at run time.
    handle(request as NodeIncomingMessageLike, response).catch((error: unknown) => {
      options.onError(error instanceof Error ? error : new Error(String(error)));
      if (!response.headersSent) plain(response, 500, 'Internal server error');
      else response.destroy();
    });
  };

  const server = createServer(listener);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bare, () => {
      server.off('error', reject);
      server.on('error', options.onError);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${hostName}:${port}${mcpPath}`,
        port,
        async close() {
          await Promise.allSettled([sessions.close(), modern.close()]);
          await new Promise<void>((done) => {
            server.close(() => {
              done();
            });
            server.closeAllConnections();
          });
        },
      });
    });
  });
}
