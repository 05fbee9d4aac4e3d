import { describe, expect, it } from 'vitest';
import { createBearerCheck } from './create-bearer-check.ts';

describe('createBearerCheck', () => {
  const alice = { clientId: 'alice', token: 's3cret-token' };
  const ci = { clientId: 'ci', token: 'another-s3cret' };
  const check = createBearerCheck([alice, ci]);

  it('accepts exactly "Bearer <token>" (scheme in any case) and says whose token it is', () => {
    expect(check('Bearer s3cret-token')).toBe(alice);
    expect(check('bearer s3cret-token')).toBe(alice);
    expect(check('Bearer another-s3cret')).toBe(ci);
  });

  it('refuses a missing header, another token, a prefix of the token and other schemes', () => {
    expect(check(undefined)).toBeNull();
    expect(check('')).toBeNull();
    expect(check('Bearer s3cret')).toBeNull();
    expect(check('Bearer s3cret-token-and-more')).toBeNull();
    expect(check('Basic s3cret-token')).toBeNull();
    expect(check('s3cret-token')).toBeNull();
  });

  it('refuses everything when no token is configured', () => {
    expect(createBearerCheck([])('Bearer s3cret-token')).toBeNull();
  });
});
