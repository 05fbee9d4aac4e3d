import type { Attributes } from '@opentelemetry/api';
import { genAiAttributes } from './attributes.ts';
import type { ConventionNames } from './semantic-conventions.ts';

type Fields = Readonly<Record<string, unknown>>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
// Strings from callers have a bound on a span, like everything else sent on.
const bounded = (value: string): string => (value.length > 256 ? value.slice(0, 256) : value);

/** `gen_ai.output.type` of a requested response format: `json` for JSON schemas and JSON mode, else `text`. */
function outputTypeOf(format: unknown): string | undefined {
  if (!isFields(format) || typeof format['type'] !== 'string') return undefined;
  return format['type'] === 'json_schema' || format['type'] === 'json_object' ? 'json' : bounded(format['type']);
}

/**
 * The request attributes of the GenAI conventions read from a chat completions,
 * Responses API or embeddings request (the wire names): the output token limit,
 * sampling settings, stop sequences, seed, choice count, output type, encoding format
 * and service tier. Fields that are absent or of another type are left out; nothing of
 * the prompt is read.
 */
export function requestAttributes(request: unknown, names: ConventionNames): Attributes {
  const attributes: Attributes = {};
  if (!isFields(request)) return attributes;
  const maxTokens = request['max_completion_tokens'] ?? request['max_tokens'] ?? request['max_output_tokens'];
  if (finite(maxTokens)) attributes[genAiAttributes.requestMaxTokens] = maxTokens;
  if (finite(request['temperature'])) attributes[genAiAttributes.requestTemperature] = request['temperature'];
  if (finite(request['top_p'])) attributes[genAiAttributes.requestTopP] = request['top_p'];
  if (finite(request['frequency_penalty']))
    attributes[genAiAttributes.requestFrequencyPenalty] = request['frequency_penalty'];
  if (finite(request['presence_penalty']))
    attributes[genAiAttributes.requestPresencePenalty] = request['presence_penalty'];
  if (finite(request['seed'])) attributes[genAiAttributes.requestSeed] = request['seed'];
  if (finite(request['n']) && request['n'] !== 1) attributes[genAiAttributes.requestChoiceCount] = request['n'];
  const stop = request['stop'];
  if (typeof stop === 'string') attributes[genAiAttributes.requestStopSequences] = [bounded(stop)];
  else if (Array.isArray(stop))
    attributes[genAiAttributes.requestStopSequences] = stop
      .slice(0, 4)
      .filter((entry): entry is string => typeof entry === 'string')
      .map(bounded);
  const text = request['text'];
  const outputType = outputTypeOf(request['response_format'] ?? (isFields(text) ? text['format'] : undefined));
  if (outputType !== undefined) attributes[genAiAttributes.outputType] = outputType;
  const encoding = request['encoding_format'] ?? request['encodingFormat'];
  if (typeof encoding === 'string') attributes[genAiAttributes.requestEncodingFormats] = [bounded(encoding)];
  if (typeof request['service_tier'] === 'string')
    attributes[names.requestServiceTier] = bounded(request['service_tier']);
  return attributes;
}
