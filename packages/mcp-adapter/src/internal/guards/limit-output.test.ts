import { describe, expect, it } from 'vitest';
import { limitOutput } from './limit-output.ts';

describe('limitOutput', () => {
  it('changes nothing without a ceiling', () => {
    expect(limitOutput({}, undefined)._unsafeUnwrap()).toEqual({ limit: undefined, clampedFrom: null });
    expect(limitOutput({}, 90_000)._unsafeUnwrap()).toEqual({ limit: 90_000, clampedFrom: null });
  });

  it('gives a call without a limit the ceiling, and keeps a smaller limit', () => {
    expect(limitOutput({ maxOutputTokens: 1_000 }, undefined)._unsafeUnwrap()).toEqual({
      limit: 1_000,
      clampedFrom: null,
    });
    expect(limitOutput({ maxOutputTokens: 1_000 }, 300)._unsafeUnwrap()).toEqual({ limit: 300, clampedFrom: null });
  });

  it('lowers a larger limit to the ceiling by default and says from what', () => {
    expect(limitOutput({ maxOutputTokens: 1_000 }, 5_000)._unsafeUnwrap()).toEqual({
      limit: 1_000,
      clampedFrom: 5_000,
    });
  });

  it('refuses a larger limit under the refuse policy, naming the ceiling', () => {
    const error = limitOutput({ maxOutputTokens: 1_000, outputTokenPolicy: 'refuse' }, 5_000)._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'max_output_tokens', message: 'must be at most 1000' }],
    });
    expect(error.message).toBe(
      'invalid argument max_output_tokens: must be at most 1000 on this server (asked for 5000)',
    );
  });
});
