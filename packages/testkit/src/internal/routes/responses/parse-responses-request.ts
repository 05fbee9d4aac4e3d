import { apiFailure, invalidRequest, isApiFailure, type ApiFailure } from '../../http/api-failure.ts';
import type { IdFactory } from '../../random/create-ids.ts';
import type { OutputFormat, ToolChoice, ToolSpec } from '../../reply/plan-reply.ts';
import { mentionsJson, unknownParameter } from '../../validation/check-arguments.ts';
import { checkStrictSchema } from '../../validation/check-strict-schema.ts';
import { createFieldReader, describeType, isJsonObject, type JsonObject } from '../../validation/field-reader.ts';
import { knownArguments } from '../../validation/known-arguments.ts';
import { checkToolName, parseToolChoice } from '../shared/tool-parsing.ts';

/** A validated `POST /v1/responses` body, reduced to what shapes the reply. */
export interface ResponsesRequest {
  readonly model: string;
  readonly texts: readonly string[];
  readonly lastUserText: string;
  readonly afterToolResult: boolean;
  /** The input as `ItemResource`s with ids, for `GET /responses/{id}/input_items`. */
  readonly inputItems: readonly Record<string, unknown>[];
  readonly stream: boolean;
  readonly background: boolean;
  readonly store: boolean;
  readonly limit: number | null;
  readonly previousResponseId: string | null;
  readonly tools: readonly ToolSpec[];
  /** The tools as the response echoes them. */
  readonly toolsEcho: readonly unknown[];
  readonly toolChoice: ToolChoice;
  readonly format: OutputFormat;
  /** `text.format` as the response echoes it. */
  readonly formatEcho: unknown;
  readonly contentKey: string;
}

function partText(part: unknown): string {
  if (!isJsonObject(part)) return '';
  if (typeof part['text'] === 'string') return part['text'];
  return typeof part['type'] === 'string' && part['type'] !== 'input_text' ? '[attachment]' : '';
}

interface InputItem {
  readonly text: string;
  readonly role: string;
  readonly resource: Record<string, unknown>;
}

function readItem(raw: unknown, index: number, ids: IdFactory): InputItem | ApiFailure {
  const param = `input[${index}]`;
  if (!isJsonObject(raw)) {
    return invalidRequest(
      param,
      `Invalid type for '${param}': expected an object, but got ${describeType(raw)} instead.`,
      'invalid_type',
    );
  }
  const type = raw['type'] ?? 'message';
  if (type === 'function_call_output') {
    const read = createFieldReader(raw, param);
    const callId = read.requiredString('call_id');
    if (read.failure !== undefined) return read.failure;
    const output = typeof raw['output'] === 'string' ? raw['output'] : JSON.stringify(raw['output'] ?? '');
    return {
      text: output,
      role: 'tool',
      resource: { id: ids.next('function-output'), type, call_id: callId, output, status: 'completed' },
    };
  }
  if (type === 'function_call') {
    const read = createFieldReader(raw, param);
    const callId = read.requiredString('call_id');
    const name = read.requiredString('name');
    const args = read.requiredString('arguments');
    if (read.failure !== undefined) return read.failure;
    return {
      text: `${name} ${args}`,
      role: 'assistant',
      resource: {
        id: typeof raw['id'] === 'string' ? raw['id'] : ids.next('function-call'),
        type,
        call_id: callId,
        name,
        arguments: args,
        status: 'completed',
      },
    };
  }
  if (type !== 'message') {
    return {
      text: '',
      role: 'other',
      resource: { ...raw, id: typeof raw['id'] === 'string' ? raw['id'] : ids.next('message') },
    };
  }
  const read = createFieldReader(raw, param);
  const role = read.requiredString('role', { oneOf: ['user', 'assistant', 'system', 'developer'] });
  if (read.failure !== undefined) return read.failure;
  const content = raw['content'];
  if (typeof content !== 'string' && !Array.isArray(content)) {
    return content === undefined || content === null
      ? invalidRequest(
          `${param}.content`,
          `Missing required parameter: '${param}.content'.`,
          'missing_required_parameter',
        )
      : invalidRequest(
          `${param}.content`,
          `Invalid type for '${param}.content': expected one of a string or array of objects, but got ${describeType(content)} instead.`,
          'invalid_type',
        );
  }
  const text = typeof content === 'string' ? content : content.map(partText).join(' ');
  const id = typeof raw['id'] === 'string' ? raw['id'] : ids.next('message');
  const resource =
    role === 'assistant'
      ? {
          id,
          type: 'message',
          role,
          status: 'completed',
          content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
        }
      : {
          id,
          type: 'message',
          role,
          status: 'completed',
          content: typeof content === 'string' ? [{ type: 'input_text', text: content }] : content,
        };
  return { text, role, resource };
}

/** A function tool as declared, with whether `strict` was set to true. */
interface DeclaredTool extends ToolSpec {
  readonly strict: boolean;
}

function readTools(
  raw: readonly unknown[] | undefined,
): { readonly tools: DeclaredTool[]; readonly echo: unknown[] } | ApiFailure {
  const tools: DeclaredTool[] = [];
  const echo: unknown[] = [];
  for (const [index, entry] of (raw ?? []).entries()) {
    const param = `tools[${index}]`;
    if (!isJsonObject(entry) || typeof entry['type'] !== 'string') {
      return invalidRequest(
        `${param}.type`,
        `Missing required parameter: '${param}.type'.`,
        'missing_required_parameter',
      );
    }
    if (entry['type'] !== 'function') {
      echo.push(entry);
      continue;
    }
    const nameFailure = checkToolName(entry['name'], `${param}.name`);
    if (nameFailure !== undefined) return nameFailure;
    const name = entry['name'] as string;
    tools.push({ name, parameters: entry['parameters'], strict: entry['strict'] === true });
    echo.push({
      type: 'function',
      name,
      description: typeof entry['description'] === 'string' ? entry['description'] : null,
      parameters: entry['parameters'] ?? null,
      strict: typeof entry['strict'] === 'boolean' ? entry['strict'] : true,
    });
  }
  return { tools, echo };
}

interface DeclaredFormat {
  readonly format: OutputFormat;
  readonly echo: unknown;
  /** The schema's name when `strict` is true (it is then checked). */
  readonly strictName?: string;
}

function readFormat(text: JsonObject | undefined): DeclaredFormat | ApiFailure {
  const raw = text?.['format'];
  if (raw === undefined || raw === null) return { format: { type: 'text' }, echo: { type: 'text' } };
  if (!isJsonObject(raw))
    return invalidRequest(
      'text.format',
      `Invalid type for 'text.format': expected an object, but got ${describeType(raw)} instead.`,
      'invalid_type',
    );
  const read = createFieldReader(raw, 'text.format');
  const type = read.requiredString('type', { oneOf: ['text', 'json_object', 'json_schema'] });
  if (type !== 'json_schema') {
    if (read.failure !== undefined) return read.failure;
    return type === 'json_object'
      ? { format: { type: 'json_object' }, echo: { type: 'json_object' } }
      : { format: { type: 'text' }, echo: { type: 'text' } };
  }
  const name = read.requiredString('name');
  const schema = read.object('schema', { required: true });
  const strict = read.boolean('strict');
  if (read.failure !== undefined) return read.failure;
  return {
    format: { type: 'json_schema', schema },
    ...(strict === true ? { strictName: name } : {}),
    echo: {
      type: 'json_schema',
      name,
      schema,
      strict: strict ?? false,
      ...(typeof raw['description'] === 'string' ? { description: raw['description'] } : {}),
    },
  };
}

/**
 * The rules of the real API that lenient servers skip: `json_object` output needs
 * the word "json" in the input, strict schemas (`text.format` and function tools
 * with `strict: true`) must keep to strict mode's subset.
 */
function checkStrictRules(
  format: DeclaredFormat,
  tools: readonly DeclaredTool[],
  texts: readonly string[],
): ApiFailure | undefined {
  if (format.format.type === 'json_object' && !mentionsJson(texts)) {
    return invalidRequest(
      'input',
      "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.",
    );
  }
  const formatProblem =
    format.strictName !== undefined && format.format.type === 'json_schema'
      ? checkStrictSchema(format.format.schema)
      : undefined;
  if (formatProblem !== undefined) {
    return invalidRequest(
      'text.format.schema',
      `Invalid schema for response_format '${format.strictName ?? ''}': ${formatProblem}`,
      'invalid_json_schema',
    );
  }
  for (const [index, tool] of tools.entries()) {
    const schemaProblem = tool.strict
      ? checkStrictSchema(tool.parameters ?? { type: 'object', properties: {} })
      : undefined;
    if (schemaProblem !== undefined) {
      return apiFailure({
        status: 400,
        type: 'invalid_request_error',
        param: `tools[${index}].parameters`,
        code: 'invalid_function_parameters',
        message: `Invalid schema for function '${tool.name}': ${schemaProblem}`,
      });
    }
  }
  return undefined;
}

/**
 * Validates a `POST /v1/responses` body as OpenAI does (the first problem becomes
 * a 400 naming the field) and reduces it to a {@link ResponsesRequest}. With
 * `strict` (the `openai` and `azure` profiles) unknown parameters, `json_object`
 * without the word "json" and strict schemas outside strict mode's subset are
 * refused as the real API refuses them.
 */
export function parseResponsesRequest(
  body: JsonObject,
  ids: IdFactory,
  strict: boolean,
): ResponsesRequest | ApiFailure {
  const unknownFailure = strict ? unknownParameter(body, knownArguments.responses) : undefined;
  if (unknownFailure !== undefined) return unknownFailure;
  const read = createFieldReader(body);
  const model = read.requiredString('model');
  const instructions = read.string('instructions');
  const limit = read.integer('max_output_tokens', { min: 16 });
  read.number('temperature', { min: 0, max: 2 });
  read.number('top_p', { min: 0, max: 1 });
  const stream = read.boolean('stream');
  const background = read.boolean('background');
  const store = read.boolean('store');
  const previousResponseId = read.string('previous_response_id');
  const rawTools = read.array('tools');
  const text = read.object('text');
  read.object('metadata');
  read.boolean('parallel_tool_calls');
  read.string('truncation', { oneOf: ['auto', 'disabled'] });
  if (read.failure !== undefined) return read.failure;
  const input = body['input'];
  if ((input === undefined || input === null) && previousResponseId === undefined) {
    return invalidRequest('input', "Missing required parameter: 'input'.", 'missing_required_parameter');
  }
  if (input !== undefined && input !== null && typeof input !== 'string' && !Array.isArray(input)) {
    return invalidRequest(
      'input',
      `Invalid type for 'input': expected one of a string or array of input items, but got ${describeType(input)} instead.`,
      'invalid_type',
    );
  }
  if (background === true && store === false) {
    return invalidRequest('background', 'Background mode requires store to be true.', 'invalid_value');
  }
  const items: InputItem[] = [];
  if (typeof input === 'string') {
    items.push({
      text: input,
      role: 'user',
      resource: {
        id: ids.next('message'),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: input }],
      },
    });
  } else {
    for (const [index, raw] of (input ?? []).entries()) {
      const item = readItem(raw, index, ids);
      if (isApiFailure(item)) return item;
      items.push(item);
    }
  }
  const tools = readTools(rawTools);
  if (isApiFailure(tools)) return tools;
  const toolChoice = parseToolChoice(body['tool_choice'], tools.tools, (choice) =>
    choice['type'] === 'function' ? choice['name'] : undefined,
  );
  if (isApiFailure(toolChoice)) return toolChoice;
  const format = readFormat(text);
  if (isApiFailure(format)) return format;
  const texts = [...(instructions === undefined ? [] : [instructions]), ...items.map((item) => item.text)];
  const strictFailure = strict ? checkStrictRules(format, tools.tools, texts) : undefined;
  if (strictFailure !== undefined) return strictFailure;
  const lastUser = [...items].reverse().find((item) => item.role === 'user');
  return {
    model,
    texts,
    lastUserText: lastUser?.text ?? '',
    afterToolResult: items.at(-1)?.role === 'tool',
    inputItems: items.map((item) => item.resource),
    stream: stream === true,
    background: background === true,
    store: store ?? true,
    limit: limit ?? null,
    previousResponseId: previousResponseId ?? null,
    tools: tools.tools,
    toolsEcho: tools.echo,
    toolChoice,
    format: format.format,
    formatEcho: format.echo,
    contentKey: JSON.stringify([
      model,
      instructions ?? null,
      input ?? null,
      previousResponseId ?? null,
      body['tools'] ?? null,
      body['tool_choice'] ?? null,
      text ?? null,
    ]),
  };
}
