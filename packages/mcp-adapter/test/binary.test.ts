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
      expect(stderr()).toMatch(/"msg":"serving MCP over Streamable HTTP"/);
    },
    { timeout: 60_000, interval: 50 },
  );
  return /"url":"(http:\/\/[^"]+)"/.exec(stderr())?.[1] ?? '';
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

  it('gives each 2026-07-28 client a ledger of its own: by the client its token names, else by the name it announces', async () => {
    const alice = 'alice-token-0123456789';
    const bob = 'bob-token-0123456789ab';
    const withTokens = launch(
      ['--http', '--port', '0', '--session-max-tokens', '100000'],
      environment({ MCP_AUTH_TOKENS: `alice=${alice}, bob=${bob}` }),
    );
    const tokenUrl = await urlOf(withTokens.stderr);
    expect(withTokens.stderr()).toContain('"clients":["alice","bob"]');
    const connect = async (url: string, name: string, headers: Record<string, string>): Promise<Client> => {
      const client = new Client({ name, version: '2.0.0' }, { versionNegotiation: { mode: 'auto' } });
      clients.push(client);
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      return client;
    };
    const session = async (client: Client): Promise<{ ledger: string; requests: number; remainingTokens: number }> =>
      (
        (await client.callTool({ name: 'openai_usage_report', arguments: {} })).structuredContent as {
          session: { ledger: string; requests: number; remainingTokens: number };
        }
      ).session;

    const aliceAgent = await connect(tokenUrl, 'agent', { authorization: `Bearer ${alice}` });
    const aliceOther = await connect(tokenUrl, 'another-agent', { authorization: `Bearer ${alice}` });
    const bobAgent = await connect(tokenUrl, 'agent', { authorization: `Bearer ${bob}` });
    expect((await aliceAgent.callTool({ name: 'openai_chat', arguments: hello })).isError).toBeFalsy();
    const spent = await session(aliceAgent);
    expect(spent).toMatchObject({ ledger: 'client:alice', requests: 1 });
    expect(spent.remainingTokens).toBeLessThan(100_000);
    // The token decides: another agent with alice's token shares her ledger; bob has his own.
    expect(await session(aliceOther)).toEqual(spent);
    expect(await session(bobAgent)).toMatchObject({ ledger: 'client:bob', requests: 0, remainingTokens: 100_000 });

    const withoutTokens = launch(['--http', '--port', '0'], environment());
    const openUrl = await urlOf(withoutTokens.stderr);
    const first = await connect(openUrl, 'first-agent', {});
    const second = await connect(openUrl, 'second agent!', {});
    expect((await first.callTool({ name: 'openai_chat', arguments: hello })).isError).toBeFalsy();
    expect(await session(first)).toMatchObject({ ledger: 'client-info:first-agent@2.0.0', requests: 1 });
    expect(await session(second)).toMatchObject({ ledger: 'client-info:second_agent_@2.0.0', requests: 0 });
  }, 120_000);

  it('answers a 2025-era session only to the client that opened it', async () => {
    const alice = 'alice-token-0123456789';
    const bob = 'bob-token-0123456789ab';
    const { stderr } = launch(['--http', '--port', '0'], environment({ MCP_AUTH_TOKENS: `alice=${alice},bob=${bob}` }));
    const url = await urlOf(stderr);
    const client = new Client({ name: 'legacy', version: '1.0.0' });
    clients.push(client);
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${alice}` } },
    });
    await client.connect(transport);
    const sessionId = transport.sessionId ?? '';
    expect(sessionId).not.toBe('');
    const list = (token: string): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
        },
        body: '{"jsonrpc":"2.0","id":7,"method":"tools/list"}',
      });
    expect((await list(bob)).status).toBe(404);
    expect((await list(alice)).status).toBe(200);
  }, 120_000);

  it('refuses short or repeated tokens, naming the entry and never the token', async () => {
    const { stderr, exited } = launch(
      ['--http', '--port', '0'],
      environment({ MCP_AUTH_TOKENS: 'alice=short-secret,alice=alice-token-0123456789,bad name=x' }),
    );
    expect(await exited).toBe(2);
    expect(stderr()).toContain('MCP_AUTH_TOKENS entry 1 (alice) must be at least 16 characters');
    expect(stderr()).toContain('MCP_AUTH_TOKENS entry 3 must be name=token');
    expect(stderr()).not.toContain('short-secret');
  }, 120_000);

  it('serves Streamable HTTP behind a bearer token and DNS-rebinding protection, and stops on SIGTERM with code 0', async () => {
    const { child, stderr, exited } = launch(
      ['--http', '--port', '0'],
      environment({ MCP_AUTH_TOKEN: 'binary-token-4242-abcd' }),
    );
    const url = await urlOf(stderr);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const client = new Client({ name: 'binary-http-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: 'Bearer binary-token-4242-abcd' } },
      }),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('openai_usage_report');
    const answer = await client.callTool({ name: 'openai_chat', arguments: hello });
    expect(answer.isError).toBeFalsy();

    expect(await post(url, {})).toBe(401);
    expect(await post(url, { authorization: 'Bearer not-the-token' })).toBe(401);
    expect(await post(url, { authorization: 'Bearer binary-token-4242-abcd', host: 'attacker.example' })).toBe(403);

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
    expect(stderr()).toMatch(/^openai-mcp: configuration errors \(2\):\n {2}- OPENAI_API_KEY is not set; fix: /);
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
