import type { Operations } from '@openai-integration/operations';
import { CLIENT_INFO_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
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

/** Longest part of an identity taken from a request; longer text is cut. */
const maxIdentityPart = 64;

/** A bounded, plain rendering of an identity part from outside, or null when there is none. */
function identityPart(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return value.slice(0, maxIdentityPart).replace(/[^A-Za-z0-9._@/+-]/g, '_');
}

/**
 * The ledger key of a request, whose usage counts against one session budget:
 *
 * - 2025-era Streamable HTTP: the session id (a session ends with DELETE, or when it has
 *   been idle for the configured time);
 * - 2026-07-28 HTTP (no sessions): with bearer tokens configured, the client the token
 *   names (`client:<name>`), so that a client cannot leave its budget by changing the
 *   name it announces; without tokens, the `clientInfo` name and version every request
 *   carries (`client-info:<name>@<version>`);
 * - stdio, and a request with neither: `default` (one client per process).
 */
export function sessionKeyOf(ctx: ServerContext): string {
  if (ctx.sessionId !== undefined) return ctx.sessionId;
  const client = identityPart(ctx.http?.authInfo?.clientId);
  if (client !== null) return `client:${client}`;
  const envelope = ctx.mcpReq.envelope as Readonly<Record<string, unknown>> | undefined;
  const info = envelope?.[CLIENT_INFO_META_KEY] as { readonly name?: unknown; readonly version?: unknown } | undefined;
  const name = identityPart(info?.name);
  if (name === null) return 'default';
  return `client-info:${name}@${identityPart(info?.version) ?? 'unknown'}`;
}
