import { isJsonObject, type JsonObject } from './field-reader.ts';

/**
 * The keywords strict structured output accepts: those OpenAI documents for strict
 * mode, plus the annotations and string bounds that the official SDK's own helpers
 * (`zodResponseFormat`, `zodFunction`, `zodTextFormat`) send, so that what the SDK
 * builds is never refused here.
 */
const permittedKeywords = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'definitions',
  'description',
  'title',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  // Sent by the official SDK's helpers.
  '$schema',
  '$id',
  '$comment',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'minLength',
  'maxLength',
]);

/** Deeper schemas are refused rather than walked (a bound on work per request). */
const maximumDepth = 100;
/** Names longer than this are cut in messages. */
const maximumNameLength = 100;

type Context = readonly (string | number)[];

function quote(name: string): string {
  const bounded = name.length > maximumNameLength ? `${name.slice(0, maximumNameLength)}...` : name;
  return `'${bounded.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A path as OpenAI prints it: a Python tuple, `()`, `('properties',)`, `('properties', 'a')`. */
function formatContext(context: Context): string {
  const parts = context.map((part) => (typeof part === 'number' ? String(part) : quote(part)));
  return parts.length === 1 ? `(${parts[0] ?? ''},)` : `(${parts.join(', ')})`;
}

function problem(context: Context, text: string): string {
  return `In context=${formatContext(context)}, ${text}`;
}

function isObjectSchema(schema: JsonObject): boolean {
  const type = schema['type'];
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || schema['properties'] !== undefined;
}

function checkObject(schema: JsonObject, context: Context): string | undefined {
  if (schema['additionalProperties'] !== false) {
    return problem(context, "'additionalProperties' is required to be supplied and to be false.");
  }
  const properties = isJsonObject(schema['properties']) ? Object.keys(schema['properties']) : [];
  const rawRequired = schema['required'];
  const required = Array.isArray(rawRequired) ? rawRequired.filter((key) => typeof key === 'string') : [];
  const missing = properties.find((key) => !required.includes(key));
  if (missing !== undefined || (rawRequired !== undefined && !Array.isArray(rawRequired))) {
    return problem(
      context,
      `'required' is required to be supplied and to be an array including every key in properties.${missing === undefined ? '' : ` Missing ${quote(missing)}.`}`,
    );
  }
  const extra = required.find((key) => !properties.includes(key));
  return extra === undefined ? undefined : problem(context, `Extra required key ${quote(extra)} supplied.`);
}

function checkNode(schema: unknown, context: Context): string | undefined {
  if (context.length > maximumDepth) return problem(context, `schema is nested more than ${maximumDepth} levels deep.`);
  if (!isJsonObject(schema)) return problem(context, 'schema must be a JSON object.');
  const unknown = Object.keys(schema).find((key) => !permittedKeywords.has(key));
  if (unknown !== undefined) return problem(context, `${quote(unknown)} is not permitted.`);
  if (isObjectSchema(schema)) {
    const failure = checkObject(schema, context);
    if (failure !== undefined) return failure;
  }
  const children: { readonly schema: unknown; readonly context: Context }[] = [];
  for (const keyword of ['properties', '$defs', 'definitions'] as const) {
    const map = schema[keyword];
    if (isJsonObject(map)) {
      for (const [name, child] of Object.entries(map))
        children.push({ schema: child, context: [...context, keyword, name] });
    }
  }
  if (schema['items'] !== undefined) children.push({ schema: schema['items'], context: [...context, 'items'] });
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) {
    anyOf.forEach((child: unknown, index) => children.push({ schema: child, context: [...context, 'anyOf', index] }));
  }
  for (const child of children) {
    const failure = checkNode(child.schema, child.context);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

/**
 * Checks a JSON schema against the rules of strict structured output and returns
 * the first problem in OpenAI's words (the part after `Invalid schema for ...: `),
 * or `undefined` when the schema is fine: the root is an object (not a union);
 * only permitted keywords appear; every object sets `additionalProperties: false`
 * and lists every property (and nothing else) in `required`.
 */
export function checkStrictSchema(schema: unknown): string | undefined {
  const type = isJsonObject(schema) ? schema['type'] : undefined;
  if (type !== 'object') {
    const shown = typeof type === 'string' ? type : 'None';
    return `schema must be a JSON Schema of 'type: "object"', got 'type: "${shown}"'.`;
  }
  return checkNode(schema, []);
}
