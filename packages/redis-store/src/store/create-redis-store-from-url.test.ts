import { describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from '../../test/support/clients.ts';
import { createRedisStoreFromUrl } from './create-redis-store-from-url.ts';

describe('createRedisStoreFromUrl', () => {
  it('refuses a value that is not a Redis URL with a ConfigError that never shows the value', () => {
    const cases: [string, RegExp][] = [
      ['', /no Redis URL was given/],
      ['   ', /no Redis URL was given/],
      ['not a url with s3cret', /the value is not a URL/],
      ['http://user:s3cret@localhost:6379', /scheme is http:, not redis: or rediss:/],
      [`redis://${'a'.repeat(3_000)}`, /longer than 2048 characters/],
    ];
    for (const [url, problem] of cases) {
      const result = createRedisStoreFromUrl(url, { instances: 2, variable: '--redis' });
      expect(result.isErr()).toBe(true);
      if (result.isOk()) continue;
      expect(result.error).toMatchObject({ _tag: 'ConfigError', variable: '--redis', retryable: false });
      expect(result.error.message).toMatch(problem);
      expect(result.error.message).toMatch(/^--redis: /);
      expect(result.error.fix).toBe(
        'give a Redis URL such as redis://localhost:6379/0 (rediss:// for TLS; a user and password go before the host, as in any URL)',
      );
      expect(JSON.stringify(result.error)).not.toContain('s3cret');
    }
    expect(() => createRedisStoreFromUrl('redis://localhost:1', {})).toThrow(/instances is required/);
  });

  it(
    'connects to the URL, shares budgets through it, and ends the connection on close',
    { timeout: 30_000 },
    async () => {
      const created = createRedisStoreFromUrl(inject('redisUrl'), {
        instances: 2,
        prefix: uniquePrefix(),
        limitsFor: () => ({ requests: 3 }),
      });
      if (created.isErr()) throw new Error(created.error.message);
      const store = created.value;
      const reservation = await store.budgets.reserve('k', { requests: 3, tokens: 0 }, 0);
      expect(reservation).toMatchObject({ type: 'granted' });
      expect(await store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0)).toMatchObject({ type: 'refused' });
      if (reservation.type === 'granted')
        await store.budgets.settle(reservation.ticket, { charged: false, usedTokens: null, snapshot: null });
      expect(store.status()).toMatchObject({ mode: 'shared', pending: 0 });
      await store.close();
      // The connection is closed: the store answers by its policy, at once.
      expect(await store.budgets.reserve('k', { requests: 1, tokens: 0 }, 0)).toMatchObject({ type: 'granted' });
    },
  );
});
