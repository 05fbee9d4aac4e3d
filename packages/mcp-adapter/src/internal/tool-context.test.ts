import { CLIENT_INFO_META_KEY, type ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { sessionKeyOf } from './tool-context.ts';

/** The parts of a request's context that decide its ledger. */
function context(parts: {
  readonly sessionId?: string;
  readonly clientId?: string;
  readonly clientInfo?: unknown;
}): ServerContext {
  return {
    ...(parts.sessionId === undefined ? {} : { sessionId: parts.sessionId }),
    ...(parts.clientId === undefined
      ? {}
      : { http: { authInfo: { token: 'x', clientId: parts.clientId, scopes: [] } } }),
    mcpReq: parts.clientInfo === undefined ? {} : { envelope: { [CLIENT_INFO_META_KEY]: parts.clientInfo } },
  } as unknown as ServerContext;
}

describe('sessionKeyOf', () => {
  it('keys a 2025-era session by its id, before anything else', () => {
    expect(sessionKeyOf(context({ sessionId: 's-1', clientId: 'alice', clientInfo: { name: 'a' } }))).toBe('s-1');
  });

  it('keys a 2026-07-28 request by the client its token names, whatever name it announces', () => {
    expect(sessionKeyOf(context({ clientId: 'alice', clientInfo: { name: 'anything', version: '1' } }))).toBe(
      'client:alice',
    );
  });

  it('keys a request without a token by the announced name and version, bounded and in plain characters', () => {
    expect(sessionKeyOf(context({ clientInfo: { name: 'claude code', version: '1.2.3' } }))).toBe(
      'client-info:claude_code@1.2.3',
    );
    expect(sessionKeyOf(context({ clientInfo: { name: 'agent' } }))).toBe('client-info:agent@unknown');
    const long = sessionKeyOf(context({ clientInfo: { name: 'n'.repeat(10_000), version: 'v'.repeat(10_000) } }));
    expect(long).toBe(`client-info:${'n'.repeat(64)}@${'v'.repeat(64)}`);
  });

  it('falls back to default for stdio and requests that say nothing of themselves', () => {
    expect(sessionKeyOf(context({}))).toBe('default');
    expect(sessionKeyOf(context({ clientInfo: { name: '' } }))).toBe('default');
    expect(sessionKeyOf(context({ clientInfo: { name: 42 } }))).toBe('default');
    expect(sessionKeyOf(context({ clientId: '' }))).toBe('default');
  });
});
