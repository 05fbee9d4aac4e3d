import fc from 'fast-check';
import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './parse-duration.ts';

describe('parseDuration', () => {
  it('gives the same answers when values repeat, past its memory of recent values', () => {
    const values = Array.from({ length: 70 }, (_, index) => `${index}m${index}s`);
    const first = values.map((value) => parseDuration(value)._unsafeUnwrap());
    expect(values.map((value) => parseDuration(value)._unsafeUnwrap())).toEqual(first);
    expect(first[3]).toBe(183_000);
    expect(parseDuration(' 6m0s ')._unsafeUnwrap()).toBe(360_000);
    expect(parseDuration(' 6m0s ')._unsafeUnwrap()).toBe(360_000);
    expect(parseDuration('nonsense').isErr()).toBe(true);
    expect(parseDuration('nonsense').isErr()).toBe(true);
  });

  it.each([
    ['12ms', 12],
    ['1s', 1_000],
    ['18.642s', 18_642],
    ['6m0s', 360_000],
    ['1h2m3s', 3_723_000],
    ['0s', 0],
    ['.5s', 500],
    ['1m30s', 90_000],
    ['250us', 0.25],
    ['1500ns', 0.002],
    [' 2s ', 2_000],
    ['3', 3_000],
    ['0.25', 250],
  ])('reads %s as %d ms', (input, expected) => {
    expect(parseDuration(input)).toEqual(ok(expected));
  });

  it.each(['', '   ', 'abc', '-1s', '1x', '5 s', 's', '1s2', '1..2s', 'NaN', '-1'])(
    'rejects %j with a reason',
    (input) => {
      const result = parseDuration(input);
      expect(result.isErr()).toBe(true);
      expect(result._unsafeUnwrapErr()).toMatchObject({ input });
      expect(result._unsafeUnwrapErr().reason).not.toBe('');
    },
  );

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = parseDuration(input);
        return result.isOk() ? Number.isFinite(result.value) && result.value >= 0 : result.error.input === input;
      }),
    );
  });

  it('reads every h/m/s combination as the sum of its parts', () => {
    fc.assert(
      fc.property(fc.nat(99), fc.nat(59), fc.nat(59), (hours, minutes, seconds) => {
        expect(parseDuration(`${hours}h${minutes}m${seconds}s`)).toEqual(
          ok(hours * 3_600_000 + minutes * 60_000 + seconds * 1_000),
        );
      }),
    );
  });
});
