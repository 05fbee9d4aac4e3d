import { redact, type RedactOptions } from '@openai-integration/core';

type Fields = Readonly<Record<string, unknown>>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;

/** One message as the conventions' `gen_ai.input.messages` / `gen_ai.output.messages` describe it. */
export interface CapturedMessage {
  readonly role: string;
  readonly parts: readonly unknown[];
  readonly finish_reason?: string;
}

// A call may send thousands of messages; a span keeps the first of them.
const maxMessages = 64;

/** The parts of a message's content: text parts for strings, the content parts as sent otherwise. */
function partsOf(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (Array.isArray(content)) return (content as unknown[]).slice(0, maxMessages);
  return [];
}

/** Tool calls of a chat message (or of a stream's result) as `tool_call` parts. */
function toolCallParts(calls: unknown): unknown[] {
  if (!Array.isArray(calls)) return [];
  return (calls as unknown[]).slice(0, maxMessages).map((call) => {
    const fields = isFields(call) ? call : {};
    const fn = isFields(fields['function']) ? fields['function'] : fields;
    return {
      type: 'tool_call',
      id: fields['id'] ?? null,
      name: fn['name'] ?? null,
      arguments: fn['arguments'] ?? null,
    };
  });
}

/**
 * The prompt of a request as messages: the `messages` of a chat request, the
 * `instructions` and `input` of a Responses API request, the `input` of an embeddings
 * request. Undefined when the request has none of them.
 */
export function promptMessages(request: unknown): CapturedMessage[] | undefined {
  if (!isFields(request)) return undefined;
  const messages: CapturedMessage[] = [];
  if (typeof request['instructions'] === 'string')
    messages.push({ role: 'system', parts: partsOf(request['instructions']) });
  const source = request['messages'] ?? request['input'];
  if (typeof source === 'string') messages.push({ role: 'user', parts: partsOf(source) });
  else if (Array.isArray(source)) {
    for (const message of (source as unknown[]).slice(0, maxMessages)) {
      if (typeof message === 'string') messages.push({ role: 'user', parts: partsOf(message) });
      else if (isFields(message))
        messages.push({
          role: typeof message['role'] === 'string' ? message['role'] : 'user',
          parts: [...partsOf(message['content']), ...toolCallParts(message['tool_calls'])],
        });
    }
  }
  return messages.length === 0 ? undefined : messages;
}

/**
 * The output of a call as messages: the choices of a chat completion, the output items
 * of a Responses API response, or the text and tool calls of a stream's result (or of
 * its partial output). Undefined when there is none.
 */
export function outputMessages(data: unknown): CapturedMessage[] | undefined {
  if (!isFields(data)) return undefined;
  const choices = data['choices'];
  if (Array.isArray(choices)) {
    return (choices as unknown[]).slice(0, maxMessages).flatMap((choice) => {
      if (!isFields(choice) || !isFields(choice['message'])) return [];
      const message = choice['message'];
      return [
        {
          role: 'assistant',
          parts: [...partsOf(message['content']), ...toolCallParts(message['tool_calls'])],
          ...(typeof choice['finish_reason'] === 'string' ? { finish_reason: choice['finish_reason'] } : {}),
        },
      ];
    });
  }
  if (Array.isArray(data['output'])) {
    return [{ role: 'assistant', parts: (data['output'] as unknown[]).slice(0, maxMessages) }];
  }
  if (typeof data['text'] === 'string') {
    return [
      {
        role: 'assistant',
        parts: [...(data['text'] === '' ? [] : partsOf(data['text'])), ...toolCallParts(data['toolCalls'])],
        ...(typeof data['finishReason'] === 'string' ? { finish_reason: data['finishReason'] } : {}),
      },
    ];
  }
  return undefined;
}

/**
 * Serialises captured messages for a span: redacted as log records with bodies are
 * (keys, bearer tokens, credential fields and the known secrets removed), as JSON, cut
 * at `maxLength` characters (marked with `…[truncated]`).
 */
export function serializeContent(
  messages: readonly CapturedMessage[],
  options: { readonly knownSecrets: RedactOptions['knownSecrets']; readonly maxLength: number },
): string {
  const safe = redact(messages, {
    includeBodies: true,
    ...(options.knownSecrets === undefined ? {} : { knownSecrets: options.knownSecrets }),
  });
  const json = JSON.stringify(safe);
  return json.length > options.maxLength ? `${json.slice(0, options.maxLength)}…[truncated]` : json;
}
