import type { IntegrationError } from '@openai-integration/core';
import type { ServerContext, ToolAnnotations } from '@modelcontextprotocol/server';
import type { Result } from 'neverthrow';
import type { z } from 'zod';
import type { OpenAIToolName } from '../tools/openai-tool-names.ts';

/** What a tool answers on success: the structured result and its short text rendering. */
export interface ToolAnswer<Output> {
  readonly structured: Output;
  readonly text: string;
}

/** One tool, ready to register: metadata, schemas and a handler that returns a Result. */
export interface ToolSpec<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  readonly name: OpenAIToolName;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Input;
  readonly outputSchema: Output;
  readonly annotations: ToolAnnotations;
  run(input: z.output<Input>, ctx: ServerContext): Promise<Result<ToolAnswer<z.input<Output>>, IntegrationError>>;
}
