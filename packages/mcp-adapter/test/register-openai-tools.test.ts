import { createLogger } from '@openai-integration/core';
import { createOperations, type Operations } from '@openai-integration/operations';
import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it, vi } from 'vitest';
import { createSessionLedger, openAIToolNames, registerOpenAITools, type OpenAIToolName } from '../src/index.ts';
import { testApiKey, textOf, useHarness } from './support/harness.ts';

const start = useHarness();

function offlineOperations(): Operations {
  return createOperations({
    load: { apiKey: testApiKey, baseUrl: 'http://127.0.0.1:9/v1', envFile: false, env: {} },
    logger: createLogger({ level: 'off' }),
  })._unsafeUnwrap();
}

const readOnly: readonly OpenAIToolName[] = [
  'openai_moderate',
  'openai_list_models',
  'openai_select_model',
  'openai_list_files',
  'openai_batch_status',
  'openai_usage_report',
];
const destructive: readonly OpenAIToolName[] = ['openai_delete_file', 'openai_batch_cancel'];

describe('registerOpenAITools', () => {
  it('lists every tool with a title, a description for a model, input and output schemas and annotations', async () => {
    const harness = await start();
    const { tools } = await harness.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([...openAIToolNames]);
    for (const tool of tools) {
      expect(tool.title, tool.name).toMatch(/^[A-Z]/);
      expect(tool.description?.length, tool.name).toBeGreaterThan(150);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.['type']).toBe('object');
      expect(tool.annotations?.title).toBe(tool.title);
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(readOnly.includes(tool.name as OpenAIToolName));
      expect(tool.annotations?.destructiveHint === true, tool.name).toBe(
        destructive.includes(tool.name as OpenAIToolName),
      );
    }
    const chat = tools.find((tool) => tool.name === 'openai_chat');
    expect(chat?.annotations).toEqual({
      title: 'Ask an OpenAI chat model',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(chat?.description).toMatch(/Costs money/);
    expect(chat?.inputSchema.required).toEqual(['messages']);
  });

  it('registers only the included tools, minus the excluded ones', () => {
    const server = new McpServer({ name: 'test', version: '1.0.0' });
    const registered = registerOpenAITools(server, offlineOperations(), {
      tools: ['openai_chat', 'openai_usage_report', 'openai_delete_file'],
      exclude: ['openai_delete_file'],
    });
    expect(registered.names).toEqual(['openai_chat', 'openai_usage_report']);
    expect(Object.keys(registered.tools)).toEqual(['openai_chat', 'openai_usage_report']);
  });

  it('uses the ledger it is given, so that servers of several sessions share it', () => {
    const sessions = createSessionLedger();
    const registered = registerOpenAITools(new McpServer({ name: 'test', version: '1.0.0' }), offlineOperations(), {
      sessions,
      exclude: ['openai_chat'],
    });
    expect(registered.sessions).toBe(sessions);
    expect(registered.names).not.toContain('openai_chat');
  });

  it.each([
    [{ tools: ['openai_dance'] }, 'unknown tool name(s) in tools: openai_dance'],
    [{ exclude: ['nope'] }, 'unknown tool name(s) in exclude: nope'],
    [{ guards: { maxOutputTokens: 0 } }, 'guards.maxOutputTokens must be a positive integer'],
    [{ guards: { outputTokenPolicy: 'shrug' } }, "guards.outputTokenPolicy must be 'clamp' or 'refuse'"],
    [{ guards: { callBudget: { maxTokens: -1 } } }, 'guards.callBudget.maxTokens must be a positive number'],
    [
      { guards: { sessionBudget: { maxCostUsd: Number.NaN } } },
      'guards.sessionBudget.maxCostUsd must be a positive number',
    ],
    [
      { guards: { allowedModels: [] } },
      'guards.allowedModels must name at least one model (omit it for no allow-list)',
    ],
    [
      { guards: { allowedModels: ['gpt-4o'], defaultModel: 'gpt-5' } },
      'guards.defaultModel gpt-5 is not in guards.allowedModels',
    ],
    [{ progressIntervalMs: -5 }, 'progressIntervalMs must be 0 or more'],
  ])('throws a TypeError for the programming error %j', (options, message) => {
    const server = new McpServer({ name: 'test', version: '1.0.0' });
    expect(() => registerOpenAITools(server, offlineOperations(), options as never)).toThrow(
      new TypeError(`registerOpenAITools: ${message}`),
    );
  });

  it('answers a defect inside a tool with a tool error instead of a protocol error', async () => {
    const harness = await start();
    vi.spyOn(harness.operations.usage, 'report').mockImplementation(() => {
      throw new Error('boom with sk-proj-secret0123456789');
    });
    const result = await harness.call('openai_usage_report', {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^the tool failed unexpectedly \(a defect in this server, not in the request\)/);
    expect(JSON.stringify(result)).not.toContain('boom');
  });

  it('lets the SDK refuse arguments of the wrong type, as a tool error', async () => {
    const harness = await start();
    const result = await harness.call('openai_chat', { messages: 'hello' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/messages/);
  });
});
