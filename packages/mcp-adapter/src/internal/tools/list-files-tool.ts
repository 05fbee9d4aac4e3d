import { createError, type IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { apiIdSchema, filePurposeSchema } from './bounded-inputs.ts';

const inputSchema = z.object({
  purpose: filePurposeSchema
    .optional()
    .describe(
      'Only files with this purpose: `batch`, `batch_output`, `fine-tune`, `assistants`, `vision`, `user_data` or `evals`.',
    ),
  limit: z.number().int().optional().describe('Files per page, 1 to 100 (default 20).'),
  after: apiIdSchema('file-abc123').optional().describe('The `nextCursor` of the previous page, to get the next one.'),
  order: z.enum(['asc', 'desc']).optional().describe('By creation time: `desc` (newest first, default) or `asc`.'),
});

const outputSchema = z.object({
  files: z.array(
    z.object({
      id: z.string(),
      filename: z.string(),
      purpose: z.string(),
      bytes: z.number(),
      createdAt: z.string().describe('ISO 8601.'),
      expiresAt: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as `after` to get the next page; null on the last page.'),
});

type Output = z.input<typeof outputSchema>;

const iso = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1_000).toISOString() : null;

/** The `openai_list_files` tool: one page of the account's files, with the cursor for the next. */
export function listFilesTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations } = context;
  return {
    name: 'openai_list_files',
    title: 'List OpenAI files',
    description: [
      'Lists the files stored in the OpenAI account (batch inputs and outputs, fine-tuning data, assistant files), newest first, one page at a time.',
      'Use it to find a file id (for openai_delete_file) or a batch output file.',
      'Returns each file id, name, purpose, size and dates, and `nextCursor`: pass it as `after` to get the next page (null on the last page).',
      'Free; reads only.',
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: { title: 'List OpenAI files', readOnlyHint: true, openWorldHint: true },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const limit = input.limit ?? 20;
      if (limit < 1 || limit > 100) {
        return err(
          createError('ValidationError', {
            message: 'invalid argument limit: must be from 1 to 100',
            issues: [{ path: 'limit', message: 'must be from 1 to 100', code: 'too_big' }],
          }),
        );
      }
      const walk = operations.files.list(
        {
          limit,
          ...(input.purpose === undefined ? {} : { purpose: input.purpose }),
          ...(input.after === undefined ? {} : { after: input.after }),
          ...(input.order === undefined ? {} : { order: input.order }),
        },
        { signal: ctx.mcpReq.signal },
      );
      const page = await walk.take(limit);
      if (page.isErr()) return err(page.error);
      const answer: Output = {
        files: page.value.items.map((file) => ({
          id: file.id,
          filename: file.filename,
          purpose: file.purpose,
          bytes: file.bytes,
          createdAt: iso(file.created_at) ?? new Date(0).toISOString(),
          expiresAt: iso(file.expires_at),
        })),
        nextCursor: page.value.nextCursor,
      };
      const lines = answer.files.map(
        (file) => `${file.id} ${file.filename} (${file.purpose}, ${file.bytes} bytes, ${file.createdAt})`,
      );
      const more =
        answer.nextCursor === null ? 'No more files.' : `More files: call again with after=${answer.nextCursor}.`;
      return ok({ structured: answer, text: `${lines.length === 0 ? 'No files.' : lines.join('\n')}\n${more}` });
    },
  };
}
