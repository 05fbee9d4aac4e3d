// The binary on Azure OpenAI: AZURE_OPENAI_* in the environment replace OPENAI_API_KEY.
import { PassThrough } from 'node:stream';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../src/internal/cli/run-cli.ts';

const key = 'azureKEY0123456789abcdef0123456789';
let simulator: OpenAISimulator | undefined;
let cli: RunningCli | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  await cli?.stop();
  await simulator?.close();
  client = undefined;
  cli = undefined;
  simulator = undefined;
});

async function start(
  env: Record<string, string>,
): Promise<{ readonly cli: RunningCli; readonly stderr: () => string }> {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  cli = await runCli({
    argv: ['--no-env-file', '--http', '--port', '0'],
    env,
    cwd: process.cwd(),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
  });
  return { cli, stderr: () => text };
}

describe('openai-mcp on Azure OpenAI', () => {
  it('serves chat through the v1 API with the resource key and a deployment, without OPENAI_API_KEY', async () => {
    simulator = await createOpenAISimulator({
      profile: 'azure',
      apiKey: key,
      azure: { deployments: { prod: 'gpt-4o-mini' } },
    });
    const running = await start({
      AZURE_OPENAI_ENDPOINT: simulator.endpoint,
      AZURE_OPENAI_API_KEY: key,
      AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=prod',
      OPENAI_MODEL: 'gpt-4o-mini',
    });
    client = new Client({ name: 'azure-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.cli.url ?? '')));
    const result = await client.callTool({
      name: 'openai_chat',
      arguments: { messages: [{ role: 'user', content: 'Say hello' }] },
    });
    expect(result.isError).toBeFalsy();
    expect(simulator.requests[0]).toMatchObject({ path: '/openai/v1/chat/completions', body: { model: 'prod' } });
    expect(running.stderr()).not.toContain(key);
  }, 60_000);

  it('refuses to start with an Azure endpoint but no key, naming the variable', async () => {
    const running = await start({ AZURE_OPENAI_ENDPOINT: 'https://my.openai.azure.com' });
    expect(await running.cli.done).toBe(2);
    expect(running.stderr()).toMatch(/AZURE_OPENAI_API_KEY is not set/);
  }, 60_000);
});
