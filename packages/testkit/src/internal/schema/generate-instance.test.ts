import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random/create-random.ts';
import { generateInstance } from './generate-instance.ts';

const ajv = new Ajv2020({ strict: false });
(addFormatsModule as unknown as (instance: Ajv2020) => Ajv2020)(ajv);

const schemas: readonly [string, Record<string, unknown>][] = [
  [
    'every string format',
    {
      type: 'object',
      properties: Object.fromEntries(
        ['date-time', 'date', 'time', 'email', 'uri', 'url', 'hostname', 'ipv4', 'uuid'].map((format) => [
          format.replace('-', '_'),
          { type: 'string', format: format === 'url' ? 'uri' : format },
        ]),
      ),
    },
  ],
  [
    'string length bounds',
    {
      type: 'object',
      properties: {
        long: { type: 'string', minLength: 40 },
        short: { type: 'string', maxLength: 3 },
        code: { type: 'string', minLength: 5, maxLength: 5 },
      },
    },
  ],
  [
    'number bounds',
    {
      type: 'object',
      properties: {
        ratio: { type: 'number', minimum: 0, maximum: 1 },
        open: { type: 'number', exclusiveMinimum: 10, exclusiveMaximum: 11 },
        step: { type: 'integer', minimum: 1, maximum: 50, multipleOf: 5 },
        above: { type: 'integer', exclusiveMinimum: 3 },
      },
    },
  ],
  [
    'enum, const, boolean and null',
    {
      type: 'object',
      properties: {
        color: { enum: ['red', 'green'] },
        fixed: { const: 42 },
        flag: { type: 'boolean' },
        nothing: { type: 'null' },
      },
    },
  ],
  [
    'type lists and unions',
    {
      type: 'object',
      properties: {
        maybe: { type: ['string', 'null'] },
        either: { oneOf: [{ type: 'integer' }, { type: 'string', format: 'email' }] },
        any: { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
      },
    },
  ],
  [
    'allOf with a $ref',
    {
      $defs: { base: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
      allOf: [
        { $ref: '#/$defs/base' },
        { type: 'object', properties: { extra: { type: 'integer' } }, required: ['extra'] },
      ],
    },
  ],
  [
    'arrays: items, prefixItems, bounds, uniqueness',
    {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
        pair: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }] },
        unique: { type: 'array', items: { enum: ['a', 'b', 'c'] }, uniqueItems: true, maxItems: 3 },
      },
    },
  ],
  ['a map of additional properties', { type: 'object', additionalProperties: { type: 'integer' } }],
  ['implicit types', { properties: { list: { items: { type: 'number' } }, text: {} } }],
  [
    'a recursive tree (depth-limited)',
    {
      $defs: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
            parent: { anyOf: [{ $ref: '#/$defs/node' }, { type: 'null' }] },
            up: { type: ['object', 'null'], properties: { name: { type: 'string' } } },
          },
          required: ['name', 'children', 'parent', 'up'],
        },
      },
      $ref: '#/$defs/node',
    },
  ],
  [
    'escaped JSON pointers',
    {
      $defs: { 'a/b': { type: 'integer' }, 'c~d': { type: 'boolean' } },
      type: 'object',
      properties: { x: { $ref: '#/$defs/a~1b' }, y: { $ref: '#/$defs/c~0d' } },
    },
  ],
];

describe('generateInstance', () => {
  it.each(schemas)('generates values that validate against %s, for many seeds', (_name, schema) => {
    const validate = ajv.compile(schema);
    for (let seed = 0; seed < 25; seed++) {
      const value = generateInstance(schema, createRandom('test', seed));
      expect(validate(value), JSON.stringify({ value, errors: validate.errors })).toBe(true);
    }
  });

  it('is deterministic for a seed', () => {
    const schema = schemas[0]?.[1];
    expect(generateInstance(schema, createRandom('x', 1))).toEqual(generateInstance(schema, createRandom('x', 1)));
  });

  it('falls back to words for an empty or boolean schema, null for false, and ignores foreign or broken refs', () => {
    expect(generateInstance({}, createRandom('a'))).toEqual(expect.any(String));
    expect(generateInstance(true, createRandom('a'))).toEqual(expect.any(String));
    expect(generateInstance(false, createRandom('a'))).toBeNull();
    expect(generateInstance({ $ref: 'https://example.com/schema.json' }, createRandom('a'))).toEqual(
      expect.any(String),
    );
    expect(generateInstance({ $ref: '#/$defs/missing/deeper' }, createRandom('a'))).toEqual(expect.any(String));
    expect(generateInstance({ type: 'integer', minimum: 9, maximum: 2 }, createRandom('a'))).toBe(9);
    expect(
      generateInstance(
        { allOf: [{ $ref: '#/nowhere' }, 'junk', { properties: { a: { const: 1 } } }] },
        createRandom('a'),
      ),
    ).toEqual({ a: 1 });
  });
});
