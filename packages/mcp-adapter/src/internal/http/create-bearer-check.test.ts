import { describe, expect, it } from 'vitest';
import { createBearerCheck } from './create-bearer-check.ts';

describe('createBearerCheck', () => {
  const check = createBearerCheck('s3cret-token');

  it('accepts exactly "Bearer <token>" (scheme in any case)', () => {
    expect(check('Bearer s3cret-token')).toBe(true);
    expect(check('bearer s3cret-token')).toBe(true);
  });

  it('refuses a missing header, another token, a prefix of the token and other schemes', () => {
    expect(check(undefined)).toBe(false);
    expect(check('')).toBe(false);
    expect(check('Bearer s3cret')).toBe(false);
    expect(check('Bearer s3cret-token-and-more')).toBe(false);
    expect(check('Basic s3cret-token')).toBe(false);
    expect(check('s3cret-token')).toBe(false);
  });
});
