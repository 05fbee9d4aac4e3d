import type { IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ToolContext } from '../tool-context.ts';
import type { ToolAnswer, ToolSpec } from '../tool-spec.ts';
import { apiIdSchema } from './bounded-inputs.ts';

const inputSchema = z.object({
  fileId: apiIdSchema('file-abc123').describe(
    'The id of the file to delete, e.g. `file-abc123` (openai_list_files lists them).',
  ),
});

const outputSchema = z.object({
  id: z.string(),
  deleted: z.boolean(),
});

type Output = z.input<typeof outputSchema>;

/** The `openai_delete_file` tool: deletes one stored file. */
export function deleteFileTool(context: ToolContext): ToolSpec<typeof inputSchema, typeof outputSchema> {
  const { operations } = context;
  return {
    name: 'openai_delete_file',
    title: 'Delete an OpenAI file',
    description: [
      'Deletes a file stored in the OpenAI account, for good: it cannot be undone.',
      'Use it to remove batch inputs and outputs or uploads that are no longer needed; check the id with openai_list_files first.',
      'Returns the id and whether it was deleted; a file that does not exist (or was already deleted) is a not-found error.',
    ].join(' '),
    inputSchema,
    outputSchema,
    annotations: {
      title: 'Delete an OpenAI file',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    },
    async run(input, ctx): Promise<Result<ToolAnswer<Output>, IntegrationError>> {
      const result = await operations.files.delete(input.fileId, { signal: ctx.mcpReq.signal });
      if (result.isErr()) return err(result.error);
      const answer: Output = { id: result.value.value.id, deleted: result.value.value.deleted };
      return ok({
        structured: answer,
        text: answer.deleted ? `Deleted ${answer.id}.` : `${answer.id} was not deleted.`,
      });
    },
  };
}
