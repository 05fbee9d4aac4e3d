import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { createMcpServerLaunch } from '../../src/mcp/create-mcp-server-launch.ts';
import { suite, suiteEndpoint, useCleanup } from './support/live-suite.ts';

describe('openai-mcp (the binary, over stdio)', () => {
  it('answers an openai_chat tool call end to end against the same endpoint', async () => {
    const cleanup = useCleanup();
    const launch = createMcpServerLaunch({ endpoint: await suiteEndpoint() });
    if (launch.isErr()) throw new Error(`${launch.error._tag}: ${launch.error.message}`);
    const stderr: string[] = [];
    const transport = new StdioClientTransport({ ...launch.value, stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    const client = new Client({ name: 'oi-live-tests', version: '0.0.0' });
    cleanup.defer('stop the MCP server', () => client.close());
    await client.connect(transport);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('openai_chat');

    const result = await client.callTool({
      name: 'openai_chat',
      arguments: {
        messages: [{ role: 'user', content: 'Reply with the single word: pong' }],
        model: suite.chatModel,
        max_output_tokens: 16,
      },
    });
    expect(result.isError, stderr.join('')).not.toBe(true);
    const answer = result.structuredContent as
      { text: string; model: string; usage: { outputTokens: number } | null; requestId: string | null } | undefined;
    expect(answer?.text.length).toBeGreaterThan(0);
    expect(answer?.model.startsWith(suite.chatModel)).toBe(true);
    expect(answer?.usage?.outputTokens).toBeLessThanOrEqual(16);
    expect(answer?.requestId).toMatch(/\S+/);
  });
});
