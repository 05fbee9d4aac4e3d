import { failed, type RouteContext, type RouteResult } from '../../engine/route-types.ts';
import { invalidRequest, isApiFailure, type ApiFailure } from '../../http/api-failure.ts';
import { createRandom } from '../../random/create-random.ts';
import { countTokens } from '../../../tokens/count-tokens.ts';
import { unrecognizedArguments } from '../../validation/check-arguments.ts';
import { createFieldReader } from '../../validation/field-reader.ts';
import { knownArguments } from '../../validation/known-arguments.ts';
import { jsonBody } from '../shared/json-body.ts';
import { requireModel } from '../shared/model-checks.ts';

interface EmbeddingInput {
  /** What the vector is derived from. */
  readonly key: string;
  readonly tokens: number;
}

function isTokenArray(value: unknown): value is readonly number[] {
  return Array.isArray(value) && value.length > 0 && value.every((entry) => Number.isInteger(entry));
}

function readInputs(input: unknown): readonly EmbeddingInput[] | ApiFailure {
  const invalid = invalidRequest(
    'input',
    "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
  );
  if (typeof input === 'string') return input === '' ? invalid : [{ key: input, tokens: countTokens(input) }];
  if (isTokenArray(input)) return [{ key: input.join(','), tokens: input.length }];
  if (!Array.isArray(input) || input.length === 0 || input.length > 2048) return invalid;
  const inputs: EmbeddingInput[] = [];
  for (const entry of input as readonly unknown[]) {
    if (typeof entry === 'string' && entry !== '') inputs.push({ key: entry, tokens: countTokens(entry) });
    else if (isTokenArray(entry)) inputs.push({ key: entry.join(','), tokens: entry.length });
    else return invalid;
  }
  return inputs;
}

function toBase64(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, index) => {
    view.setFloat32(index * 4, value, true);
  });
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x2000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x2000));
  }
  return btoa(binary);
}

/**
 * A deterministic unit vector for a text: the same model, text, dimensions and seed
 * always give the same vector; values are float32, so `float` and `base64` agree.
 */
function embed(seed: number, model: string, key: string, dimensions: number): number[] {
  const random = createRandom(seed, 'embedding', model, key);
  const raw = Array.from({ length: dimensions }, () => random.next() + random.next() + random.next() - 1.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

/**
 * POST /v1/embeddings: one deterministic unit vector per input (a string, a list of
 * strings, a token array or a list of token arrays), `float` or `base64`
 * (little-endian float32), shortened to `dimensions` where the model allows it.
 * `usage` counts the tokens of every input. Unknown arguments are refused as Chat
 * Completions refuses them, except under the `compatible` profile.
 */
export function createEmbeddings(context: RouteContext): RouteResult {
  const { state } = context;
  const body = jsonBody(context.body);
  if (isApiFailure(body)) return failed(body);
  const unknownFailure =
    state.options.profile === 'compatible' ? undefined : unrecognizedArguments(body, knownArguments.embeddings);
  if (unknownFailure !== undefined) return failed(unknownFailure);
  const read = createFieldReader(body);
  const modelId = read.requiredString('model');
  const encoding = read.string('encoding_format', { oneOf: ['float', 'base64'] });
  const dimensions = read.integer('dimensions', { min: 1 });
  read.string('user');
  if (read.failure !== undefined) return failed(read.failure);
  if (body['input'] === undefined || body['input'] === null)
    return failed(invalidRequest('input', "Missing required parameter: 'input'.", 'missing_required_parameter'));
  const inputs = readInputs(body['input']);
  if (isApiFailure(inputs)) return failed(inputs);
  const model = requireModel(state, modelId, 'embedding', 'v1/embeddings');
  if (isApiFailure(model)) return failed(model);
  const native = model.dimensions ?? 1536;
  if (dimensions !== undefined && model.supportsDimensions !== true) {
    return failed(invalidRequest('dimensions', 'This model does not support specifying dimensions.'));
  }
  if (dimensions !== undefined && dimensions > native) {
    return failed(
      invalidRequest(
        'dimensions',
        `Invalid 'dimensions': integer above maximum value. Expected a value <= ${native}, but got ${dimensions} instead.`,
        'integer_above_max_value',
      ),
    );
  }
  const promptTokens = inputs.reduce((total, input) => total + input.tokens, 0);
  const refusal = context.charge(promptTokens, model.id);
  if (refusal !== undefined) return failed(refusal);
  const size = dimensions ?? native;
  return {
    kind: 'json',
    body: {
      object: 'list',
      data: inputs.map((input, index) => {
        const vector = embed(state.options.seed, model.id, input.key, size);
        return { object: 'embedding', index, embedding: encoding === 'base64' ? toBase64(vector) : vector };
      }),
      model: model.id,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}
