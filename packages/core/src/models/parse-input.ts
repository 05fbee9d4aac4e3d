import { err, ok, type Result } from 'neverthrow';
import type { z } from 'zod';
import { createError, type ErrorOf } from '../errors/integration-error.ts';
import { describeIssue, formatIssues } from '../internal/format-issues.ts';

const listedInMessage = 5;

/**
 * Validates a value against a zod schema and returns the parsed value or a
 * `ValidationError` that says, for every problem, which field is wrong and how.
 *
 * Each issue's `path` is dotted and bracketed (`messages[0].content`); a union is
 * reported through the branch the value most likely meant, so a tool message without
 * `tool_call_id` says exactly that instead of "invalid input". The `message` reads
 * like "invalid argument temperature: must be at most 2" and never quotes the value,
 * so it is safe to log even when the input holds a prompt. Never throws.
 *
 * Fails with: `ValidationError`.
 *
 * @example
 * const request = parseInput(chatCompletionRequestSchema, body);
 * if (request.isErr()) console.error(request.error.message);
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): Result<z.output<Schema>, ErrorOf<'ValidationError'>> {
  const parsed = schema.safeParse(value, { reportInput: true, error: describeIssue });
  if (parsed.success) return ok(parsed.data);
  const issues = formatIssues(parsed.error.issues);
  const described = issues.map((issue) => `${issue.path === '' ? 'input' : issue.path}: ${issue.message}`);
  const shown = described.slice(0, listedInMessage).join('; ');
  const more = described.length > listedInMessage ? ` (and ${described.length - listedInMessage} more)` : '';
  const message = described.length === 1 ? `invalid argument ${shown}` : `invalid arguments: ${shown}${more}`;
  return err(createError('ValidationError', { message, issues }));
}
