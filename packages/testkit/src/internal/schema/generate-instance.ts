import type { Random } from '../random/create-random.ts';
import { generateWords } from '../text/generate-text.ts';

type SchemaObject = Readonly<Record<string, unknown>>;

// Past this depth, optional structure is kept minimal (empty arrays, null where
// allowed) so that recursive schemas end; past the hard limit a reference gives null.
const maxDepth = 6;
const hardDepth = 40;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberField(schema: SchemaObject, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const segments = ref
    .slice(1)
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: unknown = root;
  for (const segment of segments) {
    if (!isObject(node)) return undefined;
    node = node[segment];
  }
  return node;
}

function mergeAllOf(schema: SchemaObject, root: unknown): SchemaObject {
  const parts = schema['allOf'];
  if (!Array.isArray(parts)) return schema;
  const { allOf: _allOf, ...rest } = schema;
  let properties: Record<string, unknown> = isObject(rest['properties']) ? { ...rest['properties'] } : {};
  let required: unknown[] = Array.isArray(rest['required']) ? [...(rest['required'] as unknown[])] : [];
  let merged: Record<string, unknown> = { ...rest };
  for (const raw of parts) {
    let part: unknown = raw;
    if (isObject(part) && typeof part['$ref'] === 'string') part = resolvePointer(root, part['$ref']);
    if (!isObject(part)) continue;
    const flat = mergeAllOf(part, root);
    merged = { ...flat, ...merged };
    if (isObject(flat['properties'])) properties = { ...properties, ...flat['properties'] };
    if (Array.isArray(flat['required'])) required = [...required, ...(flat['required'] as unknown[])];
  }
  if (Object.keys(properties).length > 0) merged['properties'] = properties;
  if (required.length > 0) merged['required'] = required;
  return merged;
}

function clampString(text: string, schema: SchemaObject, random: Random): string {
  const minLength = numberField(schema, 'minLength') ?? 0;
  const maxLength = numberField(schema, 'maxLength');
  let result = text;
  while (result.length < minLength) result += ` ${generateWords(random, 1)}`;
  if (result.length < minLength) result = result.padEnd(minLength, 'x');
  if (maxLength !== undefined && result.length > maxLength) result = result.slice(0, maxLength);
  return result;
}

function generateString(schema: SchemaObject, random: Random, name: string | undefined): string {
  const hex = (length: number): string =>
    Array.from({ length }, () => '0123456789abcdef'.charAt(random.int(0, 15))).join('');
  switch (schema['format']) {
    case 'date-time':
      return new Date(
        Date.UTC(2025, random.int(0, 11), random.int(1, 28), random.int(0, 23), random.int(0, 59)),
      ).toISOString();
    case 'date':
      return new Date(Date.UTC(2025, random.int(0, 11), random.int(1, 28))).toISOString().slice(0, 10);
    case 'time':
      return `${String(random.int(0, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00Z`;
    case 'email':
      return `${generateWords(random, 1)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${generateWords(random, 1)}`;
    case 'hostname':
      return 'example.com';
    case 'ipv4':
      return `192.0.2.${random.int(1, 254)}`;
    case 'uuid':
      return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    default:
      return clampString(
        name !== undefined && random.next() < 0.3
          ? `${name} ${generateWords(random, 1)}`
          : generateWords(random, random.int(1, 3)),
        schema,
        random,
      );
  }
}

function generateNumber(schema: SchemaObject, random: Random, integer: boolean): number {
  const exclusiveMinimum = numberField(schema, 'exclusiveMinimum');
  const exclusiveMaximum = numberField(schema, 'exclusiveMaximum');
  let low =
    numberField(schema, 'minimum') ?? (exclusiveMinimum !== undefined ? exclusiveMinimum + (integer ? 1 : 0.01) : 0);
  let high =
    numberField(schema, 'maximum') ??
    (exclusiveMaximum !== undefined ? exclusiveMaximum - (integer ? 1 : 0.01) : low + 100);
  if (high < low) high = low;
  if (integer) {
    low = Math.ceil(low);
    high = Math.floor(high);
    const multipleOf = numberField(schema, 'multipleOf');
    const value = random.int(low, Math.max(low, high));
    return multipleOf !== undefined && multipleOf > 0 ? Math.ceil(value / multipleOf) * multipleOf : value;
  }
  return Math.round((low + random.next() * (high - low)) * 100) / 100;
}

/**
 * Generates a value that satisfies a JSON schema (the subset that structured
 * outputs and tool parameters use): `type` (also as a list), `enum`, `const`,
 * `properties` (all of them are filled in), `items`/`prefixItems`, `anyOf`/`oneOf`
 * (the first usable branch), `allOf`, local `$ref`s (`#/$defs/...`), string
 * `format`s and length bounds, number bounds. `pattern` is not honoured.
 */
export function generateInstance(schema: unknown, random: Random): unknown {
  const generate = (node: unknown, depth: number, name: string | undefined): unknown => {
    if (!isObject(node)) return node === false ? null : generateWords(random, 2);
    if (typeof node['$ref'] === 'string') {
      const target = resolvePointer(schema, node['$ref']);
      return depth > hardDepth ? null : generate(target, depth + 1, name);
    }
    if ('const' in node) return node['const'];
    if (Array.isArray(node['enum']) && node['enum'].length > 0) return random.pick(node['enum'] as readonly unknown[]);
    if (Array.isArray(node['allOf'])) return generate(mergeAllOf(node, schema), depth + 1, name);
    const branches = Array.isArray(node['anyOf'])
      ? (node['anyOf'] as unknown[])
      : Array.isArray(node['oneOf'])
        ? (node['oneOf'] as unknown[])
        : undefined;
    if (branches !== undefined && branches.length > 0) {
      const isNull = (branch: unknown): boolean => isObject(branch) && branch['type'] === 'null';
      const usable = branches.filter((branch) => !isNull(branch));
      const chosen =
        depth > maxDepth && usable.length < branches.length ? { type: 'null' } : (usable[0] ?? branches[0]);
      return generate(chosen, depth + 1, name);
    }
    let type = node['type'];
    if (Array.isArray(type)) {
      const types = type as unknown[];
      const nonNull = types.filter((entry) => entry !== 'null');
      type = depth > maxDepth && nonNull.length < types.length ? 'null' : (nonNull[0] ?? 'null');
    }
    if (type === undefined)
      type = isObject(node['properties']) ? 'object' : node['items'] !== undefined ? 'array' : 'string';
    switch (type) {
      case 'object': {
        const result: Record<string, unknown> = {};
        const properties = isObject(node['properties']) ? node['properties'] : {};
        for (const [key, value] of Object.entries(properties)) result[key] = generate(value, depth + 1, key);
        if (Object.keys(properties).length === 0 && isObject(node['additionalProperties'])) {
          result[generateWords(random, 1)] = generate(node['additionalProperties'], depth + 1, undefined);
        }
        return result;
      }
      case 'array': {
        const prefix = Array.isArray(node['prefixItems']) ? (node['prefixItems'] as unknown[]) : [];
        const minItems = numberField(node, 'minItems') ?? 0;
        const maxItems = numberField(node, 'maxItems') ?? Math.max(minItems, 3);
        const count =
          depth > maxDepth ? minItems : Math.min(maxItems, Math.max(minItems, random.int(1, 3), prefix.length));
        const items: unknown[] = [];
        const seen = new Set<string>();
        for (let index = 0; index < count; index++) {
          const itemSchema = index < prefix.length ? prefix[index] : node['items'];
          let item = generate(itemSchema ?? {}, depth + 1, name);
          if (node['uniqueItems'] === true) {
            for (let retry = 0; retry < 5 && seen.has(JSON.stringify(item)); retry++)
              item = generate(itemSchema ?? {}, depth + 1, name);
            if (seen.has(JSON.stringify(item))) continue;
            seen.add(JSON.stringify(item));
          }
          items.push(item);
        }
        return items;
      }
      case 'integer':
        return generateNumber(node, random, true);
      case 'number':
        return generateNumber(node, random, false);
      case 'boolean':
        return random.next() < 0.5;
      case 'null':
        return null;
      default:
        return generateString(node, random, name);
    }
  };
  return generate(schema, 0, undefined);
}
