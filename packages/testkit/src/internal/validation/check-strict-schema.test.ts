import { describe, expect, it } from 'vitest';
import { checkStrictSchema } from './check-strict-schema.ts';

const closed = (properties: Record<string, unknown>): Record<string, unknown> => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

describe('checkStrictSchema', () => {
  it('accepts a schema inside strict mode: nested objects, arrays, unions, local definitions and the documented keywords', () => {
    expect(
      checkStrictSchema({
        ...closed({
          name: { type: 'string', pattern: '^[a-z]+$', format: 'email', description: 'd', title: 't' },
          age: {
            type: 'integer',
            minimum: 0,
            maximum: 150,
            exclusiveMinimum: -1,
            exclusiveMaximum: 151,
            multipleOf: 1,
          },
          tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1, maxItems: 3 },
          kind: { const: 'k' },
          either: { anyOf: [closed({ x: { type: 'number' } }), { type: 'null' }] },
          ref: { $ref: '#/$defs/point' },
          nullable: { type: ['string', 'null'] },
        }),
        $defs: { point: closed({ x: { type: 'number' } }) },
        definitions: { other: closed({}) },
      }),
    ).toBeUndefined();
  });

  it('accepts the annotations and string bounds that the official SDK helpers send', () => {
    expect(
      checkStrictSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        ...closed({ name: { type: 'string', minLength: 2, maxLength: 9, default: 'x', examples: ['ab'] } }),
      }),
    ).toBeUndefined();
  });

  it('requires an object at the root, and names what it got', () => {
    expect(checkStrictSchema({ type: 'array', items: { type: 'string' } })).toBe(
      `schema must be a JSON Schema of 'type: "object"', got 'type: "array"'.`,
    );
    expect(checkStrictSchema({ anyOf: [closed({})] })).toBe(
      `schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.`,
    );
    expect(checkStrictSchema('object')).toMatch(/got 'type: "None"'/);
  });

  it("requires additionalProperties: false on every object, naming the object's context as a Python tuple", () => {
    expect(checkStrictSchema({ type: 'object', properties: {}, required: [] })).toBe(
      "In context=(), 'additionalProperties' is required to be supplied and to be false.",
    );
    expect(
      checkStrictSchema(closed({ author: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } })),
    ).toBe("In context=('properties', 'author'), 'additionalProperties' is required to be supplied and to be false.");
    expect(checkStrictSchema({ ...closed({}), $defs: { p: { properties: {}, additionalProperties: true } } })).toBe(
      "In context=('$defs', 'p'), 'additionalProperties' is required to be supplied and to be false.",
    );
  });

  it('requires every property in required, and nothing else there', () => {
    expect(checkStrictSchema({ ...closed({ a: { type: 'string' }, b: { type: 'string' } }), required: ['a'] })).toBe(
      "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'b'.",
    );
    expect(checkStrictSchema({ ...closed({ a: { type: 'string' } }), required: 'a' })).toMatch(/Missing 'a'\.$/);
    expect(checkStrictSchema({ ...closed({}), required: 'a' })).toBe(
      "In context=(), 'required' is required to be supplied and to be an array including every key in properties.",
    );
    expect(checkStrictSchema({ ...closed({ a: { type: 'string' } }), required: ['a', 'z'] })).toBe(
      "In context=(), Extra required key 'z' supplied.",
    );
  });

  it('refuses keywords outside strict mode, with anyOf indexes and array items in the context', () => {
    expect(checkStrictSchema({ ...closed({}), allOf: [] })).toBe("In context=(), 'allOf' is not permitted.");
    expect(checkStrictSchema(closed({ list: { type: 'array', items: { type: 'string', uniqueItems: true } } }))).toBe(
      "In context=('properties', 'list', 'items'), 'uniqueItems' is not permitted.",
    );
    expect(checkStrictSchema(closed({ u: { anyOf: [{ type: 'string' }, { oneOf: [] }] } }))).toBe(
      "In context=('properties', 'u', 'anyOf', 1), 'oneOf' is not permitted.",
    );
    expect(checkStrictSchema({ ...closed({}), nullable: true })).toBe("In context=(), 'nullable' is not permitted.");
  });

  it('prints a one-element context with a trailing comma, quotes and cuts long names, and refuses non-object schemas', () => {
    expect(checkStrictSchema({ ...closed({}), $defs: true })).toBeUndefined();
    expect(checkStrictSchema(closed({ "it's": true }))).toBe(
      "In context=('properties', 'it\\'s'), schema must be a JSON object.",
    );
    const long = 'n'.repeat(150);
    expect(checkStrictSchema({ ...closed({}), [long]: 1 })).toBe(
      `In context=(), '${'n'.repeat(100)}...' is not permitted.`,
    );
    expect(checkStrictSchema({ ...closed({}), $defs: { a: { type: 'object' } } })).toBe(
      "In context=('$defs', 'a'), 'additionalProperties' is required to be supplied and to be false.",
    );
    expect(
      checkStrictSchema({ type: 'object', properties: {}, required: [], additionalProperties: false, items: 1 }),
    ).toBe("In context=('items',), schema must be a JSON object.");
  });

  it('stops walking a schema nested more than 100 levels deep', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 120; level += 1) schema = { type: 'array', items: schema };
    expect(checkStrictSchema(closed({ deep: schema }))).toMatch(/nested more than 100 levels deep\.$/);
  });
});
