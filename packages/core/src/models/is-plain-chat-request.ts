/**
 * Fields of a chat request whose checks the quick test below does not repeat: when one
 * of them is present, only the full schema can say whether the request is valid.
 */
const fieldsForTheSchema = [
  'tools',
  'tool_choice',
  'response_format',
  'stop',
  'stream_options',
  'metadata',
  'parallel_tool_calls',
] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown): boolean => value === undefined || value === null;
const numberIn = (value: unknown, min: number, max: number): boolean =>
  absent(value) || (typeof value === 'number' && value >= min && value <= max);
const integerIn = (value: unknown, min: number, max: number): boolean =>
  absent(value) || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max);
const booleanOrAbsent = (value: unknown): boolean => absent(value) || typeof value === 'boolean';

/** A plain-text message of the common roles, with nothing that needs the schema's deeper checks. */
function isPlainMessage(message: unknown): boolean {
  if (!isRecord(message) || typeof message['content'] !== 'string') return false;
  const name = message['name'];
  if (name !== undefined && typeof name !== 'string') return false;
  switch (message['role']) {
    case 'system':
    case 'developer':
    case 'user':
      return true;
    case 'assistant': {
      const refusal = message['refusal'];
      return (
        (absent(refusal) || typeof refusal === 'string') &&
        message['tool_calls'] === undefined &&
        message['audio'] === undefined &&
        message['function_call'] === undefined
      );
    }
    case 'tool': {
      const id = message['tool_call_id'];
      return typeof id === 'string' && id.length > 0 && name === undefined;
    }
    default:
      return false;
  }
}

/**
 * Whether `chatCompletionRequestSchema` certainly accepts `value`, decided without
 * running the schema: a non-empty `model`, plain-text messages (system, developer,
 * user, assistant or tool, with string content), and the sampling fields within the
 * API's limits. It is a quick test for the common request, run on every call before
 * the schema; `false` does not mean invalid, only that the schema must decide (and
 * then explain what is wrong). `true` is never given for a request the schema rejects.
 *
 * @example
 * const valid = isPlainChatRequest(body) || parseInput(chatCompletionRequestSchema, body).isOk();
 */
export function isPlainChatRequest(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const model = value['model'];
  if (typeof model !== 'string' || model.length === 0) return false;
  for (const field of fieldsForTheSchema) if (value[field] !== undefined) return false;
  const messages = value['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const message of messages) if (!isPlainMessage(message)) return false;
  const stream = value['stream'];
  return (
    (absent(stream) || stream === false || stream === true) &&
    numberIn(value['temperature'], 0, 2) &&
    numberIn(value['top_p'], 0, 1) &&
    numberIn(value['frequency_penalty'], -2, 2) &&
    numberIn(value['presence_penalty'], -2, 2) &&
    integerIn(value['max_tokens'], 1, Number.MAX_SAFE_INTEGER) &&
    integerIn(value['max_completion_tokens'], 1, Number.MAX_SAFE_INTEGER) &&
    integerIn(value['n'], 1, 128) &&
    integerIn(value['seed'], Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) &&
    booleanOrAbsent(value['logprobs']) &&
    integerIn(value['top_logprobs'], 0, 20) &&
    (value['user'] === undefined || typeof value['user'] === 'string') &&
    booleanOrAbsent(value['store'])
  );
}
