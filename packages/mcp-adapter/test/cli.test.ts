import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from '../src/internal/cli/run-cli.ts';
import { testApiKey } from './support/harness.ts';

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };
let simulator: OpenAISimulator;
const running: RunningCli[] = [];
const clients: Client[] = [];

beforeEach(async () => {
  simulator = await createOpenAISimulator({ seed: 3 });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((cli) => cli.stop()));
  await simulator.close();
});

function output(): { readonly stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

async function start(argv: readonly string[], env: Record<string, string> = {}) {
  const stdin = new PassThrough();
  const stdout = output();
  const stderr = output();
  const cli = await runCli({
    argv: ['--no-env-file', ...argv],
    env: { OPENAI_API_KEY: testApiKey, OPENAI_BASE_URL: simulator.baseURL, OPENAI_MAX_RETRIES: '0', ...env },
    cwd: process.cwd(),
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  running.push(cli);
  return { cli, stdin, stdout, stderr };
}

async function connect(url: string, headers: Record<string, string> = {}, modern = false): Promise<Client> {
  const client = new Client(
    { name: 'cli-test', version: '1.0.0' },
    modern ? { versionNegotiation: { mode: 'auto' } } : {},
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

function rawPost(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
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
    request.end(body);
  });
}

describe('openai-mcp (in process)', () => {
  it('prints its help and version to stdout', async () => {
    const help = await start(['--help']);
    expect(await help.cli.done).toBe(0);
    expect(help.stdout.text()).toMatch(/^openai-mcp \d+\.\d+\.\d+: the OpenAI API as MCP tools/);
    expect(help.stdout.text()).toContain('OPENAI_BASE_URL');
    expect(help.stdout.text()).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    const version = await start(['--version']);
    expect(await version.cli.done).toBe(0);
    expect(version.stdout.text()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('refuses a bad flag with exit code 2', async () => {
    const { cli, stderr } = await start(['--port', 'eighty']);
    expect(await cli.done).toBe(2);
    expect(stderr.text()).toBe('openai-mcp: --port must be a whole number from 0 to 65535 (got "eighty")\n');
  });

  it('prints a configuration error clearly and exits with code 2', async () => {
    const { cli, stderr, stdout } = await start([], { OPENAI_API_KEY: '', OPENAI_TIMEOUT_MS: 'soon' });
    expect(await cli.done).toBe(2);
    // Each problem once, with a fix a command-line user can apply (no loadConfig option).
    const lines = stderr.text().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('openai-mcp: configuration errors (2):');
    expect(lines[1]).toBe(
      '  - OPENAI_API_KEY is not set; fix: set OPENAI_API_KEY in the environment or in .env (or name another file with --env-file)',
    );
    expect(lines[2]).toMatch(/^ {2}- OPENAI_TIMEOUT_MS from the environment must be a whole number of milliseconds/);
    expect(stderr.text()).not.toContain('loadConfig');
    expect(stdout.text()).toBe('');
  });

  it('refuses an OPENAI_MODEL outside the allowed models', async () => {
    const { cli, stderr } = await start(['--allowed-models', 'gpt-4.1-mini'], { OPENAI_MODEL: 'gpt-4o' });
    expect(await cli.done).toBe(2);
    expect(stderr.text()).toMatch(/OPENAI_MODEL gpt-4o is not in the allowed models \(gpt-4\.1-mini\)/);
  });

  it('refuses to listen beyond loopback without MCP_AUTH_TOKEN', async () => {
    const { cli, stderr } = await start(['--http', '--host', '0.0.0.0', '--port', '0']);
    expect(await cli.done).toBe(2);
    expect(stderr.text()).toMatch(/^openai-mcp: refusing to listen on 0\.0\.0\.0 without MCP_AUTH_TOKEN/);
  });

  it('exits with code 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { cli, stderr } = await start(['--http', '--port', String(port)]);
      expect(await cli.done).toBe(1);
      expect(stderr.text()).toMatch(new RegExp(`^openai-mcp: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      blocker.close();
    }
  });

  it('serves the tools over stdio until its input ends', async () => {
    const { cli, stdin, stdout } = await start(['--tools', 'openai_chat,openai_usage_report']);
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    // The stdio framing is the same both ways: a stdio transport over the crossed streams is a client transport.
    await client.connect(new StdioServerTransport(stdout.stream, stdin));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['openai_chat', 'openai_usage_report']);
    const answer = await client.callTool({ name: 'openai_chat', arguments: hello });
    expect(answer.isError).toBeFalsy();
    expect(simulator.requests[0]?.body).toMatchObject({ max_completion_tokens: 4_096, model: 'gpt-4.1-mini' });
    stdin.end();
    expect(await cli.done).toBe(0);
  });

  it('serves Streamable HTTP with sessions, a bearer token and DNS-rebinding protection', async () => {
    const { cli, stderr } = await start(['--http', '--port', '0', '--session-max-tokens', '100000'], {
      MCP_AUTH_TOKEN: 'test-token-123-abcdef',
    });
    const url = cli.url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    // One JSON line like every other log line, with the package's version.
    const announced = JSON.parse(stderr.text()) as Record<string, unknown>;
    expect(announced).toMatchObject({
      level: 'info',
      msg: 'serving MCP over Streamable HTTP',
      url,
      access: 'bearer token required',
      clients: ['default'],
      version: (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
        .version,
    });

    const client = await connect(url, { authorization: 'Bearer test-token-123-abcdef' });
    expect((await client.listTools()).tools).toHaveLength(11);
    const progress: string[] = [];
    const answer = await client.callTool(
      { name: 'openai_chat', arguments: hello },
      { onprogress: (update) => progress.push(update.message ?? '') },
    );
    expect(answer.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    const report = await client.callTool({ name: 'openai_usage_report', arguments: {} });
    expect((report.structuredContent as { session: { requests: number } }).session.requests).toBe(1);

    const other = await connect(url, { authorization: 'Bearer test-token-123-abcdef' });
    const otherReport = await other.callTool({ name: 'openai_usage_report', arguments: {} });
    expect(
      (otherReport.structuredContent as { session: { requests: number; remainingTokens: number } }).session,
    ).toMatchObject({ requests: 0, remainingTokens: 100_000 });

    expect(await rawPost(url, {})).toBe(401);
    expect(await rawPost(url, { authorization: 'Bearer wrong-token' })).toBe(401);
    expect(await rawPost(url, { authorization: 'Bearer test-token-123-abcdef', host: 'evil.example' })).toBe(403);
    expect(await rawPost(url, { authorization: 'Bearer test-token-123-abcdef', origin: 'http://evil.example' })).toBe(
      403,
    );
    expect(await rawPost(url.replace('/mcp', '/other'), { authorization: 'Bearer test-token-123-abcdef' })).toBe(404);
    expect(await rawPost(url, { authorization: 'Bearer test-token-123-abcdef', origin: 'http://localhost:6274' })).toBe(
      200,
    );
  });

  it('counts 2026-07-28 clients per token and answers a session only to the client that opened it', async () => {
    const alice = 'alice-token-0123456789';
    const bob = 'bob-token-0123456789ab';
    const { cli } = await start(['--http', '--port', '0'], { MCP_AUTH_TOKENS: `alice=${alice},bob=${bob}` });
    const url = cli.url!;
    const ledgerOf = async (client: Client): Promise<unknown> =>
      (
        (await client.callTool({ name: 'openai_usage_report', arguments: {} })).structuredContent as {
          session: unknown;
        }
      ).session;
    const modernAlice = await connect(url, { authorization: `Bearer ${alice}` }, true);
    const modernBob = await connect(url, { authorization: `Bearer ${bob}` }, true);
    expect((await modernAlice.callTool({ name: 'openai_chat', arguments: hello })).isError).toBeFalsy();
    expect(await ledgerOf(modernAlice)).toMatchObject({ ledger: 'client:alice', requests: 1 });
    expect(await ledgerOf(modernBob)).toMatchObject({ ledger: 'client:bob', requests: 0 });

    const legacy = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${alice}` } },
    });
    const legacyClient = new Client({ name: 'legacy', version: '1.0.0' });
    clients.push(legacyClient);
    await legacyClient.connect(legacy);
    expect(await ledgerOf(legacyClient)).toMatchObject({ ledger: 'session', requests: 0 });
    const list = (token: string): Promise<Response> =>
      fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': legacy.sessionId ?? '',
          'mcp-protocol-version': '2025-06-18',
        },
        body: '{"jsonrpc":"2.0","id":7,"method":"tools/list"}',
      });
    expect((await list(bob)).status).toBe(404);
    expect((await list(alice)).status).toBe(200);
  });

  it('serves 2026-07-28 clients per request next to sessions', async () => {
    const { cli } = await start(['--http', '--port', '0']);
    const client = await connect(cli.url!, {}, true);
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(11);
    const progress: string[] = [];
    const answer = await client.callTool(
      { name: 'openai_chat', arguments: hello },
      { onprogress: (update) => progress.push(update.message ?? '') },
    );
    expect(answer.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    expect((answer.structuredContent as { text: string }).text.startsWith(progress.at(-1) ?? '-')).toBe(true);
  });

  it('answers requests for unknown sessions and requests without initialize with JSON-RPC errors', async () => {
    const { cli } = await start(['--http', '--port', '0']);
    const url = cli.url!;
    const unknown = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': 'nope',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(unknown.status).toBe(404);
    const early = await fetch(url, { method: 'GET', headers: { accept: 'text/event-stream' } });
    expect(early.status).toBe(400);
    expect(await early.json()).toMatchObject({
      error: { message: 'Bad Request: no valid session id; send initialize first' },
    });
  });

  it('ends a session on DELETE and forgets its usage', async () => {
    const { cli } = await start(['--http', '--port', '0']);
    const transport = new StreamableHTTPClientTransport(new URL(cli.url!));
    const client = new Client({ name: 'delete-test', version: '1.0.0' });
    await client.connect(transport);
    await client.callTool({ name: 'openai_chat', arguments: hello });
    await transport.terminateSession();
    await client.close();
    const again = await fetch(cli.url!, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': transport.sessionId ?? 'none',
      },
      body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
    });
    expect(again.status).toBe(404);
  });

  it('listens beyond loopback when a token is set, and stops cleanly', async () => {
    const { cli } = await start(['--http', '--host', '0.0.0.0', '--port', '0', '--allowed-hosts', 'mcp.internal'], {
      MCP_AUTH_TOKEN: 'test-token-123-abcdef',
    });
    expect(cli.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/mcp$/);
    const local = cli.url!.replace('0.0.0.0', '127.0.0.1');
    expect(await rawPost(local, { authorization: 'Bearer test-token-123-abcdef', host: 'mcp.internal' })).toBe(200);
    await cli.stop();
    expect(await cli.done).toBe(0);
  });
});

describe('openai-mcp (in process) with clients that never say goodbye', () => {
  it('closes HTTP sessions idle past --session-idle-minutes on its clock, and makes room at the cap, so new clients are served', async () => {
    let now = 1_000_000;
    const stdin = new PassThrough();
    const stderr = output();
    const cli = await runCli({
      argv: ['--no-env-file', '--http', '--port', '0', '--session-idle-minutes', '5'],
      env: {
        OPENAI_API_KEY: testApiKey,
        OPENAI_BASE_URL: simulator.baseURL,
        OPENAI_MAX_RETRIES: '0',
        OPENAI_LOG: 'info',
      },
      cwd: process.cwd(),
      stdin,
      stdout: output().stream,
      stderr: stderr.stream,
      now: () => now,
    });
    running.push(cli);
    // The official client's close() sends no DELETE: these sessions are abandoned.
    for (let index = 0; index < 3; index += 1) {
      const client = new Client({ name: `careless-${index}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(cli.url!)));
      await client.callTool({ name: 'openai_usage_report', arguments: {} });
      await client.close();
    }
    now += 5 * 60_000;
    const fresh = await connect(cli.url!);
    const report = (await fresh.callTool({ name: 'openai_usage_report', arguments: {} })).structuredContent as {
      httpSessions: { open: number; expired: number; evicted: number };
    };
    expect(report.httpSessions).toEqual({ open: 1, expired: 3, evicted: 0 });
    const lines = stderr
      .text()
      .split('\n')
      .filter((line) => line.includes('mcp session closed after its idle time'));
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ reason: 'expired', idleMs: 300_000 });
  });
});
