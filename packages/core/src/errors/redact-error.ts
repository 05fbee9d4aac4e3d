import { redactText } from '../logging/redact-text.ts';

/** How deep a cause is followed; what lies deeper is dropped rather than shown unscrubbed. */
const maxDepth = 16;
const truncated = '[Truncated]';

function isHeaderLike(value: object): value is { entries(): Iterable<[string, string]> } {
  const candidate = value as { entries?: unknown; get?: unknown; has?: unknown };
  return (
    typeof candidate.entries === 'function' &&
    typeof candidate.get === 'function' &&
    typeof candidate.has === 'function' &&
    !(value instanceof Map)
  );
}

/**
 * A copy of a value with every string scrubbed by `redactText` (the key patterns and the
 * known secrets), or the value itself when it holds nothing to scrub. Errors keep their
 * class, and every own property (the non-enumerable `message`, `stack` and `cause`
 * included) keeps its enumerability; `Headers` stay `Headers`; objects of other classes
 * (streams, responses) are kept as they are, since they are not serialised.
 */
export function scrubValue(
  value: unknown,
  known: readonly string[],
  depth = 0,
  seen = new Map<object, unknown>(),
): unknown {
  if (typeof value === 'string') return redactText(value, known);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (depth > maxDepth) return truncated;
  if (value instanceof URL) {
    const href = redactText(value.href, known);
    return href === value.href ? value : href;
  }
  if (isHeaderLike(value)) {
    const entries = [...value.entries()];
    const scrubbed = entries.map(([name, text]): [string, string] => [name, redactText(text, known)]);
    if (scrubbed.every(([, text], index) => text === entries[index]?.[1])) return value;
    return typeof Headers === 'function' ? new Headers(scrubbed) : Object.fromEntries(scrubbed);
  }
  if (Array.isArray(value)) {
    seen.set(value, value);
    const items: unknown[] = value.map((item: unknown) => scrubValue(item, known, depth + 1, seen));
    const changed = items.some((item, index) => item !== value[index]);
    const result = changed ? items : value;
    seen.set(value, result);
    return result;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (!(value instanceof Error) && prototype !== Object.prototype && prototype !== null) return value;
  return scrubRecord(value, prototype as object | null, known, depth, seen);
}

function scrubRecord(
  value: object,
  prototype: object | null,
  known: readonly string[],
  depth: number,
  seen: Map<object, unknown>,
): object {
  // The copy is made first, so that a reference back to this object (a cycle) points to it.
  const copy = Object.create(prototype) as object;
  seen.set(value, copy);
  let changed = false;
  const descriptors = Object.getOwnPropertyDescriptors(value) as Record<PropertyKey, PropertyDescriptor>;
  for (const key of Reflect.ownKeys(descriptors)) {
    const descriptor = descriptors[key];
    if (descriptor === undefined) continue;
    // An accessor (V8 keeps an error's `stack` behind one) is read once and kept as a value.
    const current: unknown = 'value' in descriptor ? descriptor.value : readAccessor(descriptor, value);
    const next = scrubValue(current, known, depth + 1, seen);
    if (next !== current) changed = true;
    Object.defineProperty(copy, key, {
      value: next,
      enumerable: descriptor.enumerable === true,
      writable: true,
      configurable: true,
    });
  }
  if (!changed) {
    seen.set(value, value);
    return value;
  }
  if (Object.isFrozen(value)) Object.freeze(copy);
  return copy;
}

function readAccessor(descriptor: PropertyDescriptor, target: object): unknown {
  try {
    return descriptor.get?.call(target);
  } catch {
    return undefined;
  }
}

/**
 * Returns an error of the union with every string it carries scrubbed of secrets: its
 * fields (`message`, `param`, `code`, `issues`, the rate-limit snapshot, ...) and its
 * non-enumerable `cause` (the SDK's error, with its message, stack, body and headers),
 * so that `JSON.stringify(error)`, `util.inspect(error)` and `logger.error(error.cause)`
 * show no key. `knownSecrets` are exact values to remove besides the key patterns (the
 * configured key, which may not look like one), the partial output of a broken stream
 * included. The same error comes back when there is nothing to scrub.
 *
 * @example
 * redactError(error, [config.apiKey.reveal()]);
 */
export function redactError<E extends { readonly _tag: string; readonly cause?: unknown }>(
  error: E,
  knownSecrets: readonly string[] = [],
): E {
  const seen = new Map<object, unknown>();
  let changed = false;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    const next = scrubValue(value, knownSecrets, 1, seen);
    if (next !== value) changed = true;
    fields[key] = next;
  }
  const cause = error.cause === undefined ? undefined : scrubValue(error.cause, knownSecrets, 1, seen);
  if (!changed && cause === error.cause) return error;
  if (cause !== undefined) Object.defineProperty(fields, 'cause', { value: cause, enumerable: false });
  return Object.freeze(fields) as E;
}
