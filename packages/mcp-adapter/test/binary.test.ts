import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testApiKey } from './support/harness.ts';

// Node 24 runs the TypeScript source directly; the condition points the workspace packages at their sources too.
const binary = fileURLToPath(new URL('../src/bin/openai-mcp.ts', import.meta.url));
const nodeArgs = ['--conditions=@openai-integration/source', binary, '--no-env-file'];
const hello = { messages: [{ role: 'user', content: 'Say hello' }] };

let simulator: OpenAISimulator;
const children: ChildProcess[] = [];
const clients: Client[] = [];

beforeEach(async () => {
  simulator = await createOpenAISimulator({ seed: 11 });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await simulator.close();
});

const environment = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  OPENAI_API_KEY: testApiKey,
  OPENAI_BASE_URL: simulator.baseURL,
  OPENAI_MAX_RETRIES: '0',
  ...extra,
});

function launch(
  args: readonly string[],
  env: Record<string, string>,
): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeArgs, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  return { child, stderr: () => stderr, exited };
}

async function urlOf(stderr: () => string): Promise<string> {
  await vi.waitFor(
    () => {
      expect(stderr()).toMatch(/serving MCP over Streamable HTTP at /);
    },
    { timeout: 60_000, interval: 50 },
  );
  return /at (http:\/\/\S+)/.exec(stderr())?.[1] ?? '';
}

function post(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    );
  });
}

describe('the openai-mcp binary', { timeout: 120_000 }, () => {
  it('lists its tools and answers openai_chat over stdio', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: nodeArgs,
      env: environment(),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'binary-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    expect(client.getServerVersion()).toMatchObject({ name: 'openai-mcp' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('openai_chat');
    const answer = await client.callTool({ name: 'openai_chat', arguments: hello });
    expect(answer.isError).toBeFalsy();
    expect(answer.structuredContent).toMatchObject({
      text: expect.any(String) as unknown,
      model: expect.stringMatching(/^gpt-4\.1-mini/) as unknown,
    });
    expect(simulator.requests.some((request) => request.path === '/v1/chat/completions')).toBe(true);
  }, 120_000);

  it('serves Streamable HTTP behind a bearer token and DNS-rebinding protection, and stops on SIGTERM with code 0', async () => {
    const { child, stderr, exited } = launch(
      ['--http', '--port', '0'],
      environment({ MCP_AUTH_TOKEN: 'binary-token-42' }),
    );
    const url = await urlOf(stderr);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const client = new Client({ name: 'binary-http-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: 'Bearer binary-token-42' } },
      }),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('openai_usage_report');
    const answer = await client.callTool({ name: 'openai_chat', arguments: hello });
    expect(answer.isError).toBeFalsy();

    expect(await post(url, {})).toBe(401);
    expect(await post(url, { authorization: 'Bearer not-the-token' })).toBe(401);
    expect(await post(url, { authorization: 'Bearer binary-token-42', host: 'attacker.example' })).toBe(403);

    await client.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('stops on SIGINT with code 0 in stdio mode', async () => {
    const { child, exited } = launch([], environment());
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stdin?.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`,
    );
    await vi.waitFor(
      () => {
        expect(stdout).toContain('"serverInfo":{"name":"openai-mcp"');
      },
      { timeout: 60_000, interval: 50 },
    );
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 120_000);

  it('prints a configuration error to stderr and exits with code 2, writing nothing to stdout', async () => {
    const { child, stderr, exited } = launch([], { PATH: process.env['PATH'] ?? '', OPENAI_BASE_URL: 'not a url' });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    expect(await exited).toBe(2);
    expect(stderr()).toMatch(/^openai-mcp: configuration error: OPENAI_API_KEY is not set/);
    expect(stderr()).toContain('OPENAI_BASE_URL from the environment must be an http(s) URL');
    expect(stdout).toBe('');
  }, 120_000);

  it('refuses to listen beyond loopback without a token, with code 2', async () => {
    const { stderr, exited } = launch(['--http', '--host', '0.0.0.0'], environment());
    expect(await exited).toBe(2);
    expect(stderr()).toMatch(/refusing to listen on 0\.0\.0\.0 without MCP_AUTH_TOKEN/);
  }, 120_000);
});

describe('the openai-mcp binary over stdio, given lines that are not JSON-RPC', { timeout: 120_000 }, () => {
  it('answers -32700 and -32600 as JSON-RPC requires, logs one line each, and goes on serving', async () => {
    const { child, stderr, exited } = launch([], environment());
    const lines: string[] = [];
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts.filter((line) => line !== ''));
    });
    child.stdin?.write('this is not json\n');
    child.stdin?.write('{"jsonrpc":"2.0","id":7,"method":42}\n');
    child.stdin?.write('[]\n');
    child.stdin?.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`,
    );
    await vi.waitFor(
      () => {
        expect(lines).toHaveLength(4);
      },
      { timeout: 60_000, interval: 50 },
    );
    expect(lines.slice(0, 3).map((line) => JSON.parse(line) as unknown)).toEqual([
      { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the line is not JSON' }, id: null },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' }, id: 7 },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' }, id: null },
    ]);
    expect(JSON.parse(lines[3] ?? '{}')).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { serverInfo: { name: 'openai-mcp' } },
    });
    const refusals = stderr()
      .split('\n')
      .filter((line) => line.includes('refused a stdio message'));
    expect(refusals).toHaveLength(3);
    expect(stderr()).not.toContain('this is not json');
    child.stdin?.end();
    expect(await exited).toBe(0);
  });
});
