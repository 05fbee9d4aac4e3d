import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput } from './parse-input.ts';

const schema = z.looseObject({
  temperature: z.number().min(0).max(2).optional(),
  name: z.string().min(2).max(4).optional(),
  tags: z.array(z.string()).max(2).optional(),
  count: z.number().int().optional(),
  ratio: z.number().gt(0).lt(1).optional(),
  step: z.number().multipleOf(5).optional(),
  mode: z.enum(['a', 'b']).optional(),
  exact: z.literal('only').optional(),
  url: z.url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  map: z
    .record(z.string().max(2), z.number())
    .refine((value) => Object.keys(value).length <= 1, { message: 'must have at most 1 entry' })
    .optional(),
  set: z.set(z.number()).min(1).optional(),
  strict: z.strictObject({ a: z.number() }).optional(),
  big: z.bigint().max(5n).optional(),
  either: z.union([z.string(), z.number()]).optional(),
});

describe('parseInput', () => {
  it('returns the parsed value, unknown fields kept', () => {
    expect(parseInput(schema, { temperature: 1, extra: true })).toEqual(ok({ temperature: 1, extra: true }));
  });

  it('reads like "invalid argument temperature: must be at most 2"', () => {
    const error = parseInput(schema, { temperature: 3 })._unsafeUnwrapErr();
    expect(error).toMatchObject({
      _tag: 'ValidationError',
      retryable: false,
      message: 'invalid argument temperature: must be at most 2',
    });
    expect(error.issues).toEqual([{ path: 'temperature', message: 'must be at most 2', code: 'too_big' }]);
  });

  it.each([
    ['temperature', 'must be at least 0', { temperature: -1 }],
    ['name', 'must be at least 2 characters long', { name: 'a' }],
    ['name', 'must be at most 4 characters long', { name: 'abcdef' }],
    ['tags', 'must have at most 2 items', { tags: ['a', 'b', 'c'] }],
    ['count', 'must be an integer', { count: 1.5 }],
    ['count', 'expected number, received string', { count: 'x' }],
    ['count', 'expected number, received null', { count: null }],
    ['count', 'expected number, received array', { count: [1] }],
    ['ratio', 'must be greater than 0', { ratio: 0 }],
    ['ratio', 'must be less than 1', { ratio: 1 }],
    ['step', 'must be a multiple of 5', { step: 7 }],
    ['mode', "must be one of 'a', 'b'", { mode: 'c' }],
    ['exact', "must be 'only'", { exact: 'other' }],
    ['url', 'must be a valid url', { url: 'nope' }],
    ['headers["x-api-key"]', 'expected string, received number', { headers: { 'x-api-key': 1 } }],
    ['map', 'must have at most 1 entry', { map: { a: 1, b: 2 } }],
    ['map.abc', 'has an invalid key (must be at most 2 characters long)', { map: { abc: 1 } }],
    ['set', 'must have at least 1 item', { set: new Set() }],
    ['strict', "has unknown field 'b'", { strict: { a: 1, b: 2 } }],
    ['big', 'must be at most 5', { big: 6n }],
    ['either', 'expected string or number, received boolean', { either: true }],
  ])('reports %s: %s', (path, message, value) => {
    const error = parseInput(schema, value)._unsafeUnwrapErr();
    expect(error.issues[0]).toMatchObject({ path, message });
  });

  it('lists every problem, and at most five in the message', () => {
    const error = parseInput(schema, {
      temperature: 9,
      name: 'a',
      count: 0.5,
      mode: 'x',
      exact: 'y',
      url: 'z',
      ratio: 5,
    })._unsafeUnwrapErr();
    expect(error.issues).toHaveLength(7);
    expect(error.message).toBe(
      "invalid arguments: temperature: must be at most 2; name: must be at least 2 characters long; count: must be an integer; ratio: must be less than 1; mode: must be one of 'a', 'b' (and 2 more)",
    );
  });

  it('names the whole input when the value itself is wrong', () => {
    expect(parseInput(schema, 'text')._unsafeUnwrapErr().message).toBe(
      'invalid argument input: expected object, received string',
    );
    expect(parseInput(z.union([z.string(), z.number()]), undefined)._unsafeUnwrapErr().message).toBe(
      'invalid argument input: is required',
    );
  });

  it('uses custom messages and odd path segments as they are', () => {
    const custom = z.object({
      list: z.array(z.object({ 'a b': z.string().refine(() => false, { message: 'is not allowed' }) })),
    });
    expect(parseInput(custom, { list: [{ 'a b': 'x' }] })._unsafeUnwrapErr().issues).toEqual([
      { path: 'list[0]["a b"]', message: 'is not allowed', code: 'custom' },
    ]);
    const symbolic = z.custom<unknown>(() => false, { message: 'bad', path: [Symbol('s')] });
    expect(parseInput(symbolic, 1)._unsafeUnwrapErr().issues[0]?.path).toBe('[s]');
    expect(
      parseInput(
        z.custom<unknown>(() => false, { message: 'bad', path: [Symbol()] }),
        1,
      )._unsafeUnwrapErr().issues[0]?.path,
    ).toBe('[symbol]');
  });

  it('never quotes the offending value', () => {
    const error = parseInput(z.object({ mode: z.enum(['a']) }), {
      mode: 'sk-proj-secretsecretsecret',
    })._unsafeUnwrapErr();
    expect(JSON.stringify(error)).not.toContain('secretsecret');
  });

  it('reports a union without a matching kind through its discriminator', () => {
    const union = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a') }),
      z.object({ kind: z.literal('b') }),
    ]);
    expect(parseInput(union, { kind: 'c' })._unsafeUnwrapErr().issues).toEqual([
      { path: 'kind', message: "must be one of 'a', 'b'", code: 'invalid_union' },
    ]);
  });

  it('reports an exclusive union that matched several shapes', () => {
    const xor = z.xor([z.object({ a: z.number() }), z.object({ b: z.number() })]);
    expect(parseInput(xor, { a: 1, b: 2 })._unsafeUnwrapErr().issues[0]).toMatchObject({
      path: '',
      message: 'does not match any allowed shape',
    });
  });

  it('reports other element and key failures readably', () => {
    const map = z.map(z.unknown(), z.number());
    expect(parseInput(map, new Map([[{}, 'x']]))._unsafeUnwrapErr().issues[0]?.message).toBe(
      'has an invalid element (expected number, received string)',
    );
    const keyed = z.map(z.string(), z.number());
    expect(parseInput(keyed, new Map([[{}, 1]]))._unsafeUnwrapErr().issues[0]?.message).toBe(
      'has an invalid key (expected string, received object)',
    );
    const nested = z.array(z.object({ size: z.number().max(10) })).min(2);
    expect(parseInput(nested, [])._unsafeUnwrapErr().issues[0]).toMatchObject({
      path: '',
      message: 'must have at least 2 items',
    });
    const stringSet = z.string().regex(/^a/);
    expect(parseInput(stringSet, 'b')._unsafeUnwrapErr().issues[0]?.message).toBe('has an invalid format');
    const bounded = z.object({ fields: z.looseObject({}).refine(() => true) }).check((context) => {
      context.issues.push({
        code: 'too_big',
        origin: 'object',
        maximum: 1,
        inclusive: true,
        input: context.value,
        path: ['fields'],
      });
      context.issues.push({
        code: 'too_small',
        origin: 'array',
        minimum: 1,
        inclusive: true,
        input: context.value,
        path: ['one'],
      });
    });
    expect(
      parseInput(bounded, { fields: {} })
        ._unsafeUnwrapErr()
        .issues.map((issue) => issue.message),
    ).toEqual(['must have at most 1 entry', 'must have at least 1 item']);
  });
});
