import { invalidRequest, type ApiFailure } from '../http/api-failure.ts';
import type { JsonObject } from './field-reader.ts';

/** Names listed in one message, at most. */
const maximumNames = 20;
/** Names longer than this are cut in messages. */
const maximumNameLength = 100;

function bounded(name: string): string {
  return name.length > maximumNameLength ? `${name.slice(0, maximumNameLength)}...` : name;
}

/**
 * The 400 that Chat Completions (and embeddings) send for top-level arguments they
 * do not know: "Unrecognized request argument supplied: max_tokenz" (param and
 * code null), "Unrecognized request arguments supplied: a, b" for several.
 */
export function unrecognizedArguments(body: JsonObject, known: ReadonlySet<string>): ApiFailure | undefined {
  const unknown = Object.keys(body).filter((name) => !known.has(name));
  if (unknown.length === 0) return undefined;
  const names = unknown.slice(0, maximumNames).map(bounded).join(', ');
  const more = unknown.length > maximumNames ? ', ...' : '';
  return invalidRequest(
    null,
    unknown.length === 1
      ? `Unrecognized request argument supplied: ${names}`
      : `Unrecognized request arguments supplied: ${names}${more}`,
  );
}

/**
 * The 400 that the Responses API sends for the first top-level parameter it does
 * not know: "Unknown parameter: 'foo'." (param `foo`, code `unknown_parameter`).
 */
export function unknownParameter(body: JsonObject, known: ReadonlySet<string>): ApiFailure | undefined {
  const unknown = Object.keys(body).find((name) => !known.has(name));
  if (unknown === undefined) return undefined;
  const name = bounded(unknown);
  return invalidRequest(name, `Unknown parameter: '${name}'.`, 'unknown_parameter');
}

/** Whether any of the texts mentions JSON, as `json_object` output requires. */
export function mentionsJson(texts: readonly string[]): boolean {
  return texts.some((text) => /json/i.test(text));
}
