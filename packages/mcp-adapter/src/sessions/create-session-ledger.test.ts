import { describe, expect, it } from 'vitest';
import { createSessionLedger } from './create-session-ledger.ts';

describe('createSessionLedger', () => {
  it('counts calls, tokens and cost per session, apart from each other', () => {
    const ledger = createSessionLedger();
    ledger.record('a', { tokens: 100, costUsd: 0.01 });
    ledger.record('a', { tokens: 50, costUsd: null });
    ledger.record('b', { tokens: 7, costUsd: 0.001 });
    expect(ledger.usage('a')).toEqual({ requests: 2, tokens: 150, costUsd: 0.01, unpricedRequests: 1 });
    expect(ledger.usage('b')).toEqual({ requests: 1, tokens: 7, costUsd: 0.001, unpricedRequests: 0 });
    expect(ledger.keys()).toEqual(['a', 'b']);
  });

  it('starts a session at zero and forgets it on request', () => {
    const ledger = createSessionLedger();
    expect(ledger.usage('new')).toEqual({ requests: 0, tokens: 0, costUsd: 0, unpricedRequests: 0 });
    ledger.record('gone', { tokens: 5, costUsd: 0 });
    ledger.forget('gone');
    expect(ledger.usage('gone').requests).toBe(0);
    expect(ledger.keys()).toEqual([]);
  });

  it('keeps at most maxKeys ledgers, forgetting the one unused longest', () => {
    const ledger = createSessionLedger({ maxKeys: 2 });
    ledger.record('a', { tokens: 1, costUsd: 0 });
    ledger.record('b', { tokens: 1, costUsd: 0 });
    ledger.record('a', { tokens: 1, costUsd: 0 });
    ledger.record('c', { tokens: 1, costUsd: 0 });
    expect(ledger.keys()).toEqual(['a', 'c']);
    expect(ledger.usage('a').requests).toBe(2);
    expect(ledger.usage('b').requests).toBe(0);
  });

  it('refuses a maxKeys that is not a positive whole number', () => {
    expect(() => createSessionLedger({ maxKeys: 0 })).toThrow(/maxKeys must be a positive integer \(got 0\)/);
    expect(() => createSessionLedger({ maxKeys: 1.5 })).toThrow(TypeError);
  });
});
