import { describe, expect, it } from 'vitest';
import { useHarness } from './support/harness.ts';

const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };
const start = useHarness();

describe('a request that is too large for the endpoint', () => {
  it.each([
    { status: 413, part: 'body', says: /^HTTP 413: the request body is too large/ },
    { status: 414, part: 'url', says: /^HTTP 414: the request URL is too long/ },
    { status: 431, part: 'headers', says: /^HTTP 431: the request headers are too large/ },
  ] as const)(
    'is a RequestTooLargeError on HTTP $status through the real SDK: not retried, not counted by the breaker',
    async ({ status, part, says }) => {
      // Breakers that would open at the first counted failure.
      const { operations, simulator } = await start({
        operations: {
          transport: {
            retry: { jitter: 'none', maxRetries: 6 },
            attemptTimeoutMs: 600_000,
            breaker: { consecutiveFailures: 1 },
          },
        },
      });
      simulator.enqueue('chat.completions', { type: 'status', status, message: 'too large for this endpoint' });
      const error = (await operations.chat.create(hello))._unsafeUnwrapErr();

      expect(error).toMatchObject({ _tag: 'RequestTooLargeError', status, part, retryable: false, attempts: 1 });
      expect(error.message).toMatch(says);
      expect(error.message).not.toContain('check the endpoint');
      expect(simulator.requests).toHaveLength(1);
      const [breaker] = (await operations.health()).breakers;
      expect(breaker).toMatchObject({ key: 'chat:gpt-4o-mini', state: { type: 'closed' }, calls: 0, failures: 0 });
    },
  );
});
