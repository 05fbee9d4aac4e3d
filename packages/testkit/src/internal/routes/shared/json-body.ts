import { invalidRequest, type ApiFailure } from '../../http/api-failure.ts';
import { isJsonObject, type JsonObject } from '../../validation/field-reader.ts';

/** OpenAI's 400 for a body that is not JSON (or not a JSON object). */
export const unparsableBody: ApiFailure = invalidRequest(
  null,
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
);

/** The request body as a JSON object, or the 400 OpenAI sends otherwise. */
export function jsonBody(body: unknown): JsonObject | ApiFailure {
  return isJsonObject(body) ? body : unparsableBody;
}
