import { invalidRequest, type ApiFailure } from '../../http/api-failure.ts';
import type { ToolChoice, ToolSpec } from '../../reply/plan-reply.ts';
import { describeType, isJsonObject, type JsonObject } from '../../validation/field-reader.ts';

const namePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** Checks a function name the way OpenAI does. */
export function checkToolName(name: unknown, param: string): ApiFailure | undefined {
  if (typeof name !== 'string') {
    return name === undefined
      ? invalidRequest(param, `Missing required parameter: '${param}'.`, 'missing_required_parameter')
      : invalidRequest(
          param,
          `Invalid type for '${param}': expected a string, but got ${describeType(name)} instead.`,
          'invalid_type',
        );
  }
  if (!namePattern.test(name)) {
    return invalidRequest(
      param,
      `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      'invalid_value',
    );
  }
  return undefined;
}

/**
 * Reads `tool_choice` against the declared tools. `functionName` extracts the name
 * of an object choice (chat: `{type, function: {name}}`; responses: `{type, name}`).
 */
export function parseToolChoice(
  raw: unknown,
  tools: readonly ToolSpec[],
  functionName: (choice: JsonObject) => unknown,
): ToolChoice | ApiFailure {
  if (raw === undefined || raw === null) return tools.length > 0 ? 'auto' : 'none';
  if (tools.length === 0) {
    return invalidRequest(
      'tool_choice',
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      'invalid_value',
    );
  }
  if (raw === 'none' || raw === 'auto' || raw === 'required') return raw;
  if (isJsonObject(raw)) {
    const name = functionName(raw);
    if (typeof name === 'string') {
      if (!tools.some((tool) => tool.name === name)) {
        return invalidRequest(
          'tool_choice',
          `Invalid value for 'tool_choice': function '${name}' is not one of the declared tools.`,
          'invalid_value',
        );
      }
      return { name };
    }
    // Other tool kinds (built-in tools, allowed_tools): let the model choose.
    return 'auto';
  }
  return invalidRequest(
    'tool_choice',
    "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named tool.",
    'invalid_value',
  );
}
