import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const specName = 'openai-openapi.yaml';

/**
 * Finds the official OpenAPI spec: `OPENAI_OPENAPI_SPEC` if set, else the first
 * `tools/spec/` copy vendored at the repository root (or a `shared/spec/` or `spec/` copy in an ancestor).
 */
export function findSpecPath(): string {
  const fromEnvironment = process.env['OPENAI_OPENAPI_SPEC'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [
      join(directory, 'shared', 'spec', specName),
      join(directory, 'spec', specName),
      join(directory, 'tools', 'spec', specName),
    ]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error(`${specName} not found: set OPENAI_OPENAPI_SPEC to the official OpenAI spec`);
    directory = parent;
  }
}

type Node = unknown;

/**
 * The spec has 24 schemas that use `nullable` without a sibling `type` (OpenAPI 3.0
 * style in a 3.1 document); ajv refuses to compile them ("nullable cannot be used
 * without type"). In this in-memory copy each such `nullable: true` becomes
 * `anyOf: [<the rest of the schema>, {type: 'null'}]`, which is what it means;
 * a `nullable: false` is dropped. Where `nullable: true` sits next to a `type` and
 * an `enum` (e.g. `finish_reason` of stream chunks), ajv adds `null` to the type but
 * not to the enum, so `null` is added to the enum, as OpenAPI 3.0 meant. The file
 * itself is not changed.
 */
export function fixTypelessNullable(node: Node): Node {
  if (Array.isArray(node)) return node.map(fixTypelessNullable);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, Node> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = fixTypelessNullable(value);
  if (copy['nullable'] === true && 'type' in copy && Array.isArray(copy['enum']) && !copy['enum'].includes(null)) {
    return { ...copy, enum: [...(copy['enum'] as unknown[]), null] };
  }
  if (!('nullable' in copy) || 'type' in copy) return copy;
  const { nullable, description: _description, ...rest } = copy;
  if (nullable !== true) return rest;
  return Object.keys(rest).length === 0 ? {} : { anyOf: [rest, { type: 'null' }] };
}

/** Counts the schemas that the fix above touches (24 in the pinned spec). */
export function countTypelessNullable(node: Node): number {
  if (Array.isArray(node)) return node.reduce((total: number, entry) => total + countTypelessNullable(entry), 0);
  if (typeof node !== 'object' || node === null) return 0;
  const own = 'nullable' in node && !('type' in node) ? 1 : 0;
  return Object.values(node).reduce((total: number, value) => total + countTypelessNullable(value), own);
}

/** The spec parsed once, with validators compiled on demand from `components.schemas`. */
export interface SpecValidator {
  readonly rawComponents: unknown;
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Validates a value against a component schema; returns readable errors (empty when valid). */
  check(schemaName: string, value: unknown): string[];
}

/** Parses the spec (about a second) and prepares ajv 2020 with formats. */
export function loadSpecValidator(): SpecValidator {
  const document = parse(readFileSync(findSpecPath(), 'utf8'), { maxAliasCount: -1 }) as {
    components: unknown;
    paths: Record<string, Record<string, unknown>>;
  };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => Ajv2020;
  addFormats(ajv);
  // OpenAI's own format for Unix timestamps; the `type: integer` next to it is checked.
  ajv.addFormat('unixtime', true);
  ajv.addSchema({ components: fixTypelessNullable(document.components) }, 'openai');
  const cache = new Map<string, ValidateFunction>();
  return {
    rawComponents: document.components,
    paths: document.paths,
    check(schemaName, value) {
      let validate = cache.get(schemaName);
      if (validate === undefined) {
        const compiled = ajv.getSchema(`openai#/components/schemas/${schemaName}`);
        if (compiled === undefined) throw new Error(`no schema ${schemaName} in the spec`);
        validate = compiled;
        cache.set(schemaName, validate);
      }
      return validate(value)
        ? []
        : (validate.errors ?? [])
            .slice(0, 8)
            .map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
    },
  };
}

/**
 * Every property a component schema declares, with those of its `allOf` / `anyOf` /
 * `oneOf` parts and the schemas they reference (the arguments a request may carry).
 */
export function declaredProperties(components: unknown, schemaName: string): string[] {
  const schemas = (components as { readonly schemas: Readonly<Record<string, unknown>> }).schemas;
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null) return;
    const record = schema as Readonly<Record<string, unknown>>;
    const reference = record['$ref'];
    if (typeof reference === 'string') {
      const name = reference.split('/').at(-1) ?? '';
      if (seen.has(name)) return;
      seen.add(name);
      visit(schemas[name]);
      return;
    }
    const properties = record['properties'];
    if (typeof properties === 'object' && properties !== null) {
      for (const key of Object.keys(properties)) found.add(key);
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      const parts = record[keyword];
      if (Array.isArray(parts)) for (const part of parts) visit(part);
    }
  };
  visit(schemas[schemaName]);
  return [...found].sort();
}
