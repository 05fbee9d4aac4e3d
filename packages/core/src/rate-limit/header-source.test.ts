import { describe, expect, it } from 'vitest';
import { readHeader } from './header-source.ts';

describe('readHeader', () => {
  it('reads a fetch Headers object', () => {
    expect(readHeader(new Headers({ 'X-Request-Id': 'req_1' }), 'x-request-id')).toBe('req_1');
    expect(readHeader(new Headers(), 'x-request-id')).toBeUndefined();
  });

  it('reads a plain record case-insensitively', () => {
    expect(readHeader({ 'Retry-After': '3' }, 'retry-after')).toBe('3');
    expect(readHeader({ 'retry-after': undefined }, 'retry-after')).toBeUndefined();
  });

  it('takes the first value of a repeated Node header', () => {
    expect(readHeader({ 'set-cookie': ['a=1', 'b=2'] }, 'Set-Cookie')).toBe('a=1');
  });

  it('treats a header named "get" in a record as a header', () => {
    expect(readHeader({ get: 'value' }, 'get')).toBe('value');
  });

  it('returns undefined without headers', () => {
    expect(readHeader(undefined, 'x')).toBeUndefined();
  });
});
