import { isSecret } from '../config/secret.ts';
import { isIntegrationError } from '../errors/integration-error.ts';
import type { RedactOptions } from '../logging/redact-options.ts';
import { REDACTED, redactText } from '../logging/redact-text.ts';
import { createFieldNames, type FieldNames } from './field-names.ts';

/** What replaces a request or response body in log records unless bodies are included. */
export const OMITTED = '[omitted]';

/** What replaces a reference back to an enclosing object. */
export const CIRCULAR = '[Circular]';

/** Everything one redaction pass needs. */
export interface RedactContext {
  readonly names: FieldNames;
  readonly known: readonly string[];
  readonly includeBodies: boolean;
  readonly maxDepth: number;
  readonly ancestors: Set<object>;
}

const text = (value: string, context: RedactContext): string => redactText(value, context.known);

function errorFields(error: Error, context: RedactContext, depth: number): Record<string, unknown> {
  const rendered: Record<string, unknown> = { name: text(error.name, context), message: text(error.message, context) };
  const extra = error as Error & { code?: unknown; status?: unknown; type?: unknown };
  for (const key of ['code', 'status', 'type'] as const) {
    const value = extra[key];
    if (typeof value === 'string' || typeof value === 'number')
      rendered[key] = typeof value === 'string' ? text(value, context) : value;
  }
  if (typeof error.stack === 'string') rendered['stack'] = text(error.stack, context);
  const cause: unknown = error.cause;
  // Only the cause's identity and message: its body, headers and request stay out.
  if (cause instanceof Error && depth < context.maxDepth) {
    rendered['cause'] = { name: text(cause.name, context), message: text(cause.message, context) };
  } else if (isIntegrationError(cause)) {
    rendered['cause'] = { _tag: cause._tag, message: text(cause.message, context) };
  } else if (typeof cause === 'string') {
    rendered['cause'] = text(cause, context);
  }
  return rendered;
}

function summarisePartial(partial: unknown): unknown {
  if (typeof partial !== 'object' || partial === null) return OMITTED;
  const fields = partial as {
    text?: unknown;
    toolCalls?: unknown;
    eventsReceived?: unknown;
    responseId?: unknown;
    lastSequenceNumber?: unknown;
  };
  return {
    textLength: typeof fields.text === 'string' ? fields.text.length : 0,
    toolCalls: Array.isArray(fields.toolCalls) ? fields.toolCalls.length : 0,
    eventsReceived: fields.eventsReceived,
    responseId: fields.responseId,
    lastSequenceNumber: fields.lastSequenceNumber,
  };
}

function isBinary(value: object): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function isHeaderLike(value: object): value is { entries(): Iterable<[string, string]> } {
  const candidate = value as { entries?: unknown; get?: unknown; has?: unknown };
  return (
    typeof candidate.entries === 'function' &&
    typeof candidate.get === 'function' &&
    typeof candidate.has === 'function' &&
    !(value instanceof Map)
  );
}

function redactEntries(
  entries: Iterable<readonly [unknown, unknown]>,
  context: RedactContext,
  depth: number,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [rawKey, value] of entries) {
    const key = text(String(rawKey), context);
    copy[key] = redactField(key, value, context, depth);
  }
  return copy;
}

function redactField(key: string, value: unknown, context: RedactContext, depth: number): unknown {
  if (value === undefined || value === null) return value;
  if (context.names.isSecret(key)) return REDACTED;
  if (!context.includeBodies && context.names.isBody(key)) return OMITTED;
  return redactValue(value, context, depth + 1);
}

function redactObject(value: object, context: RedactContext, depth: number): unknown {
  if (isSecret(value)) return REDACTED;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof URL) return text(value.href, context);
  if (value instanceof RegExp) return text(String(value), context);
  if (isBinary(value)) return `[binary ${value.byteLength} bytes]`;
  if (typeof (value as { then?: unknown }).then === 'function') return '[Promise]';
  if (depth > context.maxDepth) return '[Truncated]';
  if (context.ancestors.has(value)) return CIRCULAR;
  context.ancestors.add(value);
  try {
    if (Array.isArray(value))
      return value.map((item: unknown) => (item === undefined ? null : redactValue(item, context, depth + 1)));
    if (value instanceof Set) return [...value].map((item: unknown) => redactValue(item, context, depth + 1));
    if (value instanceof Map) return redactEntries(value.entries(), context, depth);
    if (isHeaderLike(value)) return redactEntries(value.entries(), context, depth);
    if (isIntegrationError(value)) {
      const copy = redactEntries(
        Object.entries(value).filter(([key]) => key !== 'partial'),
        context,
        depth,
      );
      copy['message'] = text(value.message, context);
      if ('partial' in value)
        copy['partial'] = context.includeBodies
          ? redactValue(value.partial, context, depth + 1)
          : summarisePartial(value.partial);
      return copy;
    }
    if (value instanceof Error) return errorFields(value, context, depth);
    const withJson = value as { toJSON?: unknown };
    if (typeof withJson.toJSON === 'function' && Object.getPrototypeOf(value) !== Object.prototype) {
      return redactValue((withJson.toJSON as () => unknown).call(value), context, depth + 1);
    }
    const copy: Record<string, unknown> = {};
    for (const rawKey of Object.keys(value)) {
      const key = text(rawKey, context);
      try {
        copy[key] = redactField(rawKey, (value as Record<string, unknown>)[rawKey], context, depth);
      } catch {
        copy[key] = '[Unreadable]';
      }
    }
    return copy;
  } catch {
    return '[Unreadable]';
  } finally {
    context.ancestors.delete(value);
  }
}

function redactValue(value: unknown, context: RedactContext, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return text(value, context);
    case 'object':
      return value === null ? null : redactObject(value, context, depth);
    case 'function':
      return `[Function ${value.name === '' ? 'anonymous' : text(value.name, context)}]`;
    case 'symbol':
      return text(value.toString(), context);
    default:
      return value;
  }
}

/** Resolves the options once per call (the known-secrets function may change over time). */
export function createRedactContext(
  options: RedactOptions,
  names: FieldNames = createFieldNames(options.secretFields, options.bodyFields),
) {
  return (): RedactContext => ({
    names,
    known: typeof options.knownSecrets === 'function' ? options.knownSecrets() : (options.knownSecrets ?? []),
    includeBodies: options.includeBodies === true,
    maxDepth: options.maxDepth ?? 16,
    ancestors: new Set(),
  });
}

/** Redacts with a context made by {@link createRedactContext} (for loggers that redact many records). */
export function redactWith(value: unknown, context: RedactContext): unknown {
  return redactValue(value, context, 0);
}
