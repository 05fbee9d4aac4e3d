import type { Attributes } from '@opentelemetry/api';
import { genAiAttributes } from './attributes.ts';
import type { ConventionNames } from './semantic-conventions.ts';

type Fields = Readonly<Record<string, unknown>>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
// What a server sends has a bound on a span too.
const bounded = (value: string): string => (value.length > 256 ? value.slice(0, 256) : value);

/** The finish reasons of a chat completion (per choice), a Responses API response (its status) or a stream's result. */
function finishReasonsOf(data: Fields): string[] | undefined {
  const choices = data['choices'];
  if (Array.isArray(choices)) {
    const reasons = (choices as unknown[])
      .slice(0, 16)
      .map((choice) => (isFields(choice) && typeof choice['finish_reason'] === 'string' ? choice['finish_reason'] : ''))
      .filter((reason) => reason !== '')
      .map(bounded);
    return reasons.length === 0 ? undefined : reasons;
  }
  if (typeof data['finishReason'] === 'string') return [bounded(data['finishReason'])];
  const details = data['incomplete_details'];
  if (isFields(details) && typeof details['reason'] === 'string') return [bounded(details['reason'])];
  if (data['object'] === 'response' && typeof data['status'] === 'string') return [bounded(data['status'])];
  return undefined;
}

/**
 * The response attributes of the GenAI conventions read from what the server answered:
 * a chat completion, a Responses API response, an embedding list, or the result a
 * stream folded its chunks into. The id, the model, the finish reasons, the service
 * tier and the system fingerprint; nothing of the output text.
 */
export function responseAttributes(data: unknown, names: ConventionNames): Attributes {
  const attributes: Attributes = {};
  if (!isFields(data)) return attributes;
  if (typeof data['id'] === 'string' && data['id'] !== '') attributes[genAiAttributes.responseId] = bounded(data['id']);
  if (typeof data['model'] === 'string' && data['model'] !== '')
    attributes[genAiAttributes.responseModel] = bounded(data['model']);
  const reasons = finishReasonsOf(data);
  if (reasons !== undefined) attributes[genAiAttributes.responseFinishReasons] = reasons;
  if (typeof data['service_tier'] === 'string') attributes[names.responseServiceTier] = bounded(data['service_tier']);
  if (typeof data['system_fingerprint'] === 'string')
    attributes[names.responseSystemFingerprint] = bounded(data['system_fingerprint']);
  return attributes;
}
