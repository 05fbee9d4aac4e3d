import { invalidRequest, type ApiFailure } from '../http/api-failure.ts';

/** How OpenAI names the type of a value in its error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  return 'an object';
}

/** A plain JSON object, as a request body or a nested field. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Bounds {
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Reads and checks request fields the way OpenAI reports them: the first problem
 * wins and becomes a 400 `invalid_request_error` naming the field in `param`.
 * After a failure every read returns `undefined`; check `failure` once at the end.
 * An explicit `null` counts as absent, as it does for OpenAI's optional fields.
 */
export interface FieldReader {
  readonly failure: ApiFailure | undefined;
  /** A required string; `''` once anything has failed (check `failure`). */
  requiredString(name: string, options?: { readonly oneOf?: readonly string[] }): string;
  string(
    name: string,
    options?: { readonly required?: boolean; readonly oneOf?: readonly string[] },
  ): string | undefined;
  integer(name: string, options?: Bounds): number | undefined;
  number(name: string, options?: Bounds): number | undefined;
  boolean(name: string): boolean | undefined;
  array(
    name: string,
    options?: { readonly required?: boolean; readonly minItems?: number },
  ): readonly unknown[] | undefined;
  object(name: string, options?: { readonly required?: boolean }): JsonObject | undefined;
}

/** Creates a reader for one JSON object; `prefix` names nested fields (`messages[0]`). */
export function createFieldReader(source: JsonObject, prefix = ''): FieldReader {
  let failure: ApiFailure | undefined;
  const param = (name: string): string => (prefix === '' ? name : `${prefix}.${name}`);
  // Returns the value once `problemOf` found nothing wrong with it (callers narrow the type accordingly).
  const take = (
    name: string,
    required: boolean | undefined,
    problemOf: (value: unknown) => ApiFailure | undefined,
  ): unknown => {
    if (failure !== undefined) return undefined;
    const value = source[name];
    if (value === undefined || value === null) {
      if (required === true)
        failure = invalidRequest(
          param(name),
          `Missing required parameter: '${param(name)}'.`,
          'missing_required_parameter',
        );
      return undefined;
    }
    failure = problemOf(value);
    return failure === undefined ? value : undefined;
  };
  const wrongType = (name: string, expected: string, value: unknown): ApiFailure =>
    invalidRequest(
      param(name),
      `Invalid type for '${param(name)}': expected ${expected}, but got ${describeType(value)} instead.`,
      'invalid_type',
    );
  const outOfBounds = (
    name: string,
    value: number,
    bounds: Bounds,
    kind: 'integer' | 'decimal',
  ): ApiFailure | undefined => {
    if (bounds.min !== undefined && value < bounds.min) {
      return invalidRequest(
        param(name),
        `Invalid '${param(name)}': ${kind} below minimum value. Expected a value >= ${bounds.min}, but got ${value} instead.`,
        `${kind}_below_min_value`,
      );
    }
    if (bounds.max !== undefined && value > bounds.max) {
      return invalidRequest(
        param(name),
        `Invalid '${param(name)}': ${kind} above maximum value. Expected a value <= ${bounds.max}, but got ${value} instead.`,
        `${kind}_above_max_value`,
      );
    }
    return undefined;
  };
  const string = (
    name: string,
    options: { readonly required?: boolean; readonly oneOf?: readonly string[] } = {},
  ): string | undefined =>
    take(name, options.required, (value) => {
      if (typeof value !== 'string') return wrongType(name, 'a string', value);
      if (options.oneOf === undefined || options.oneOf.includes(value)) return undefined;
      const supported = options.oneOf.map((entry) => `'${entry}'`).join(', ');
      return invalidRequest(
        param(name),
        `Invalid value: '${value}'. Supported values are: ${supported}.`,
        'invalid_value',
      );
    }) as string | undefined;
  return {
    get failure() {
      return failure;
    },
    requiredString: (name, options = {}) => string(name, { ...options, required: true }) ?? '',
    string,
    integer: (name, options = {}) =>
      take(name, options.required, (value) =>
        typeof value !== 'number' || !Number.isInteger(value)
          ? wrongType(name, 'an integer', value)
          : outOfBounds(name, value, options, 'integer'),
      ) as number | undefined,
    number: (name, options = {}) =>
      take(name, options.required, (value) =>
        typeof value !== 'number' || !Number.isFinite(value)
          ? wrongType(name, 'a decimal', value)
          : outOfBounds(name, value, options, 'decimal'),
      ) as number | undefined,
    boolean: (name) =>
      take(name, false, (value) => (typeof value === 'boolean' ? undefined : wrongType(name, 'a boolean', value))) as
        boolean | undefined,
    array: (name, options = {}) =>
      take(name, options.required, (value) => {
        if (!Array.isArray(value)) return wrongType(name, 'an array', value);
        if (options.minItems === undefined || value.length >= options.minItems) return undefined;
        return invalidRequest(
          param(name),
          `Invalid '${param(name)}': empty array. Expected an array with minimum length ${options.minItems}, but got an empty array instead.`,
          'empty_array',
        );
      }) as readonly unknown[] | undefined,
    object: (name, options = {}) =>
      take(name, options.required, (value) =>
        isJsonObject(value) ? undefined : wrongType(name, 'an object', value),
      ) as JsonObject | undefined,
  };
}
