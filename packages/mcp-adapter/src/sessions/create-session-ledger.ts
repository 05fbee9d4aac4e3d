/** What the calls of one MCP session have used so far. */
export interface SessionUsage {
  /** Calls that reached the API (answered or broken mid-stream). */
  readonly requests: number;
  /** Input plus output tokens, as the server reported them (estimated for broken streams). */
  readonly tokens: number;
  /** Cost in USD of the calls whose model has a known price. */
  readonly costUsd: number;
  /** Calls whose cost is unknown (their model has no price), so `costUsd` leaves them out. */
  readonly unpricedRequests: number;
}

/** Usage per MCP session, for session budgets and reports; see {@link createSessionLedger}. */
export interface SessionLedger {
  /** What a session has used (all zero for a session never seen). */
  usage(sessionKey: string): SessionUsage;
  /** Adds one call's tokens and cost (`null` when the price is unknown) to a session. */
  record(sessionKey: string, call: { readonly tokens: number; readonly costUsd: number | null }): void;
  /** Forgets a session (call it when the session closes). */
  forget(sessionKey: string): void;
  /** The sessions with recorded usage. */
  keys(): readonly string[];
  /** Records the HTTP server's session counts (the `openai-mcp` binary does), for the usage report. */
  noteHttpSessions(stats: HttpSessionStats): void;
  /** The latest HTTP session counts, or null when none were noted (stdio, or tools on their own). */
  httpSessions(): HttpSessionStats | null;
}

/** How many HTTP sessions are open, and how many ended by themselves. */
export interface HttpSessionStats {
  readonly open: number;
  /** Closed because no request came for the idle time. */
  readonly expired: number;
  /** Idle sessions closed to make room for a new client at the cap. */
  readonly evicted: number;
}

/** Limits of a {@link SessionLedger}. */
export interface SessionLedgerOptions {
  /**
   * Most sessions and clients kept at once (default 10,000); past it the one unused
   * longest is forgotten, so that clients that come and go leave nothing behind.
   */
  readonly maxKeys?: number;
}

const empty: SessionUsage = Object.freeze({ requests: 0, tokens: 0, costUsd: 0, unpricedRequests: 0 });

/**
 * Creates an in-memory ledger of token and cost usage per MCP session. One ledger can
 * be shared by several servers (one per HTTP session) so that each session is counted
 * on its own; {@link registerOpenAITools} creates one per registration when none is
 * given.
 *
 * @example
 * const sessions = createSessionLedger();
 * registerOpenAITools(server, operations, { sessions, guards: { sessionBudget: { maxTokens: 50_000 } } });
 */
export function createSessionLedger(options: SessionLedgerOptions = {}): SessionLedger {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1)
    throw new TypeError(`createSessionLedger: maxKeys must be a positive integer (got ${String(maxKeys)})`);
  // In order of last use: the first entry is the one that has waited longest.
  const sessions = new Map<string, SessionUsage>();
  let http: HttpSessionStats | null = null;
  return {
    usage: (sessionKey) => sessions.get(sessionKey) ?? empty,
    record(sessionKey, call) {
      const current = sessions.get(sessionKey) ?? empty;
      sessions.delete(sessionKey);
      if (sessions.size >= maxKeys) {
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
      sessions.set(
        sessionKey,
        Object.freeze({
          requests: current.requests + 1,
          tokens: current.tokens + Math.max(0, call.tokens),
          costUsd: current.costUsd + (call.costUsd ?? 0),
          unpricedRequests: current.unpricedRequests + (call.costUsd === null ? 1 : 0),
        }),
      );
    },
    forget(sessionKey) {
      sessions.delete(sessionKey);
    },
    keys: () => [...sessions.keys()],
    noteHttpSessions(stats) {
      http = Object.freeze({ open: stats.open, expired: stats.expired, evicted: stats.evicted });
    },
    httpSessions: () => http,
  };
}
