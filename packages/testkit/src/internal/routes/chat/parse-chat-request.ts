import { apiFailure, invalidRequest, isApiFailure, type ApiFailure } from '../../http/api-failure.ts';
import type { OutputFormat, ToolChoice, ToolSpec } from '../../reply/plan-reply.ts';
import { mentionsJson, unrecognizedArguments } from '../../validation/check-arguments.ts';
import { checkStrictSchema } from '../../validation/check-strict-schema.ts';
import { createFieldReader, describeType, isJsonObject, type JsonObject } from '../../validation/field-reader.ts';
import { knownArguments } from '../../validation/known-arguments.ts';
import { checkToolName, parseToolChoice } from '../shared/tool-parsing.ts';

/** A validated chat completion request, reduced to what shapes the reply. */
export interface ChatRequest {
  readonly model: string;
  /** Each message flattened to text (for token counting). */
  readonly messageTexts: readonly string[];
  readonly lastUserText: string;
  readonly afterToolResult: boolean;
  readonly stream: boolean;
  /** `store: true`: keep the completion for `GET /chat/completions`. */
  readonly store: boolean;
  readonly includeUsage: boolean;
  readonly limit: number | null;
  readonly n: number;
  readonly tools: readonly ToolSpec[];
  readonly toolChoice: ToolChoice;
  readonly format: OutputFormat;
  /** Everything that decides the content, serialised: equal keys give equal replies. */
  readonly contentKey: string;
}

const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'] as const;

function partText(part: unknown): string {
  if (!isJsonObject(part)) return '';
  if (typeof part['text'] === 'string') return part['text'];
  if (typeof part['refusal'] === 'string') return part['refusal'];
  return part['type'] === 'image_url' || part['type'] === 'file' || part['type'] === 'input_audio'
    ? '[attachment]'
    : '';
}

function readMessage(raw: unknown, index: number): { readonly text: string; readonly role: string } | ApiFailure {
  const param = `messages[${index}]`;
  if (!isJsonObject(raw)) {
    return invalidRequest(
      param,
      `Invalid type for '${param}': expected an object, but got ${describeType(raw)} instead.`,
      'invalid_type',
    );
  }
  const read = createFieldReader(raw, param);
  const role = read.requiredString('role', { oneOf: roles });
  const content = raw['content'];
  const toolCalls = read.array('tool_calls');
  if (read.failure !== undefined) return read.failure;
  const needsContent = role !== 'assistant' || (toolCalls === undefined && raw['function_call'] === undefined);
  if ((content === undefined || content === null) && needsContent) {
    return invalidRequest(
      `${param}.content`,
      `Missing required parameter: '${param}.content'.`,
      'missing_required_parameter',
    );
  }
  if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
    return invalidRequest(
      `${param}.content`,
      `Invalid type for '${param}.content': expected one of a string or array of objects, but got ${describeType(content)} instead.`,
      'invalid_type',
    );
  }
  if (role === 'tool' && typeof raw['tool_call_id'] !== 'string') {
    return invalidRequest(
      `${param}.tool_call_id`,
      `Missing required parameter: '${param}.tool_call_id'.`,
      'missing_required_parameter',
    );
  }
  const texts: string[] = [];
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) texts.push(...content.map(partText));
  for (const call of toolCalls ?? []) {
    const fn = isJsonObject(call) && isJsonObject(call['function']) ? call['function'] : undefined;
    if (fn !== undefined) texts.push(`${String(fn['name'])} ${String(fn['arguments'])}`);
  }
  return { text: texts.join(' '), role };
}

/** A function tool as declared, with its strictness (for the strict-schema check). */
interface DeclaredTool extends ToolSpec {
  readonly strict: boolean;
}

function readTools(raw: readonly unknown[] | undefined): readonly DeclaredTool[] | ApiFailure {
  const tools: DeclaredTool[] = [];
  for (const [index, entry] of (raw ?? []).entries()) {
    const param = `tools[${index}]`;
    if (!isJsonObject(entry)) {
      return invalidRequest(
        param,
        `Invalid type for '${param}': expected an object, but got ${describeType(entry)} instead.`,
        'invalid_type',
      );
    }
    if (entry['type'] === 'custom') continue;
    if (entry['type'] !== 'function') {
      return invalidRequest(
        `${param}.type`,
        `Invalid value: '${String(entry['type'])}'. Supported values are: 'function' and 'custom'.`,
        'invalid_value',
      );
    }
    if (!isJsonObject(entry['function'])) {
      return invalidRequest(
        `${param}.function`,
        `Missing required parameter: '${param}.function'.`,
        'missing_required_parameter',
      );
    }
    const nameFailure = checkToolName(entry['function']['name'], `${param}.function.name`);
    if (nameFailure !== undefined) return nameFailure;
    tools.push({
      name: entry['function']['name'] as string,
      parameters: entry['function']['parameters'],
      strict: entry['function']['strict'] === true,
    });
  }
  return tools;
}

/** The requested output format, with the schema's name and strictness. */
type DeclaredFormat = OutputFormat & { readonly name?: string; readonly strict?: boolean };

function readFormat(raw: JsonObject | undefined): DeclaredFormat | ApiFailure {
  if (raw === undefined) return { type: 'text' };
  const read = createFieldReader(raw, 'response_format');
  const type = read.string('type', { required: true, oneOf: ['text', 'json_object', 'json_schema'] });
  if (type !== 'json_schema')
    return read.failure ?? (type === 'json_object' ? { type: 'json_object' } : { type: 'text' });
  const jsonSchema = read.object('json_schema', { required: true });
  if (jsonSchema === undefined)
    return (
      read.failure ??
      invalidRequest('response_format.json_schema', "Missing required parameter: 'response_format.json_schema'.")
    );
  const inner = createFieldReader(jsonSchema, 'response_format.json_schema');
  const name = inner.string('name', { required: true }) ?? '';
  const schema = inner.object('schema');
  const strict = inner.boolean('strict');
  return inner.failure ?? { type: 'json_schema', schema: schema ?? {}, name, strict: strict === true };
}

/**
 * The rules of the real API that a lenient server does not apply: `json_object`
 * output needs the word "json" in the messages, and strict schemas (the response
 * format's and strict function tools') must keep to strict mode's subset.
 */
function checkStrictRules(
  format: DeclaredFormat,
  tools: readonly DeclaredTool[],
  messageTexts: readonly string[],
): ApiFailure | undefined {
  if (format.type === 'json_object' && !mentionsJson(messageTexts)) {
    return invalidRequest(
      'messages',
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
    );
  }
  if (format.type === 'json_schema' && format.strict === true) {
    const schemaProblem = checkStrictSchema(format.schema);
    if (schemaProblem !== undefined) {
      return invalidRequest(
        'response_format',
        `Invalid schema for response_format '${format.name ?? ''}': ${schemaProblem}`,
        'invalid_json_schema',
      );
    }
  }
  for (const [index, tool] of tools.entries()) {
    const schemaProblem = tool.strict
      ? checkStrictSchema(tool.parameters ?? { type: 'object', properties: {} })
      : undefined;
    if (schemaProblem !== undefined) {
      return apiFailure({
        status: 400,
        type: 'invalid_request_error',
        param: `tools[${index}].function.parameters`,
        code: 'invalid_function_parameters',
        message: `Invalid schema for function '${tool.name}': ${schemaProblem}`,
      });
    }
  }
  return undefined;
}

/**
 * Validates a chat completion body as OpenAI does (the first problem becomes a 400
 * naming the field) and reduces it to a {@link ChatRequest}. With `strict` (the
 * `openai` and `azure` profiles) unknown arguments, `json_object` without the word
 * "json" and strict schemas outside strict mode's subset are refused as the real
 * API refuses them; without it they are accepted, as lenient servers do.
 */
export function parseChatRequest(body: JsonObject, strict: boolean): ChatRequest | ApiFailure {
  const unknownFailure = strict ? unrecognizedArguments(body, knownArguments.chat) : undefined;
  if (unknownFailure !== undefined) return unknownFailure;
  const read = createFieldReader(body);
  const model = read.requiredString('model');
  const rawMessages = read.array('messages', { required: true, minItems: 1 });
  read.number('temperature', { min: 0, max: 2 });
  read.number('top_p', { min: 0, max: 1 });
  read.number('presence_penalty', { min: -2, max: 2 });
  read.number('frequency_penalty', { min: -2, max: 2 });
  const n = read.integer('n', { min: 1, max: 128 });
  const maxTokens = read.integer('max_tokens', { min: 1 });
  const maxCompletionTokens = read.integer('max_completion_tokens', { min: 1 });
  const stream = read.boolean('stream');
  const streamOptions = read.object('stream_options');
  read.integer('seed');
  read.boolean('logprobs');
  read.integer('top_logprobs', { min: 0, max: 20 });
  read.boolean('parallel_tool_calls');
  const store = read.boolean('store');
  read.string('user');
  const rawTools = read.array('tools');
  const responseFormat = read.object('response_format');
  if (read.failure !== undefined) return read.failure;
  if (streamOptions !== undefined && stream !== true) {
    return invalidRequest(
      'stream_options',
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'invalid_value',
    );
  }
  const includeUsage = streamOptions?.['include_usage'] === true;
  const messages: { readonly text: string; readonly role: string }[] = [];
  for (const [index, raw] of (rawMessages ?? []).entries()) {
    const message = readMessage(raw, index);
    if (isApiFailure(message)) return message;
    messages.push(message);
  }
  const tools = readTools(rawTools);
  if (isApiFailure(tools)) return tools;
  const toolChoice = parseToolChoice(body['tool_choice'], tools, (choice) =>
    isJsonObject(choice['function']) ? choice['function']['name'] : undefined,
  );
  if (isApiFailure(toolChoice)) return toolChoice;
  const format = readFormat(responseFormat);
  if (isApiFailure(format)) return format;
  const strictFailure = strict
    ? checkStrictRules(
        format,
        tools,
        messages.map((message) => message.text),
      )
    : undefined;
  if (strictFailure !== undefined) return strictFailure;
  const lastRole = messages.at(-1)?.role;
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  return {
    model,
    messageTexts: messages.map((message) => message.text),
    lastUserText: lastUser?.text ?? '',
    afterToolResult: lastRole === 'tool' || lastRole === 'function',
    stream: stream === true,
    store: store === true,
    includeUsage,
    limit: maxCompletionTokens ?? maxTokens ?? null,
    n: n ?? 1,
    tools,
    toolChoice,
    format,
    contentKey: JSON.stringify([
      model,
      body['messages'],
      body['tools'] ?? null,
      body['tool_choice'] ?? null,
      body['response_format'] ?? null,
      body['seed'] ?? null,
    ]),
  };
}
