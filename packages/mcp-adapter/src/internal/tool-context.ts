import type { Operations } from '@openai-integration/operations';
import type { ServerContext } from '@modelcontextprotocol/server';
import type { AgentGuards } from '../guards/agent-guards.ts';
import type { SessionLedger } from '../sessions/create-session-ledger.ts';

/** Everything a tool handler needs; built once per registration. */
export interface ToolContext {
  readonly operations: Operations;
  readonly guards: AgentGuards;
  readonly sessions: SessionLedger;
  /** Minimum time between two progress notifications of one call, in ms. */
  readonly progressIntervalMs: number;
  readonly now: () => number;
}

/** The session key of a request: the transport's session id, or `default` (stdio, stateless HTTP). */
export const sessionKeyOf = (ctx: ServerContext): string => ctx.sessionId ?? 'default';
