import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testApiKey } from './support/harness.ts';

const binary = fileURLToPath(new URL('../src/bin/openai-mcp.ts', import.meta.url));
const recorder = fileURLToPath(new URL('./support/record-modules.mjs', import.meta.url));
const hello = { messages: [{ role: 'user', content: 'Say hello' }] };
// What only the SDK set-up loads (the API package, loaded by every layer, is a no-op by itself).
const sdkModules = /@opentelemetry[+/](sdk-trace-base|sdk-metrics|exporter-|context-async-hooks|resources|core)/;

let simulator: OpenAISimulator;
let folder: string;
let collector: Server;
let received: { path: string; body: string }[];
const children: ChildProcess[] = [];

beforeEach(async () => {
  simulator = await createOpenAISimulator({ seed: 5 });
  folder = await mkdtemp(join(tmpdir(), 'openai-mcp-telemetry-'));
  received = [];
  // A stand-in OTLP/HTTP collector: keeps what it is sent.
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await simulator.close();
  await new Promise((resolve) => collector.close(resolve));
  await rm(folder, { recursive: true, force: true });
});

/** Runs the binary over HTTP, makes one chat tool call, stops it; returns the modules it resolved. */
async function runOnce(extra: Record<string, string>): Promise<string[]> {
  const modulesFile = join(folder, 'modules.json');
  const child = spawn(
    process.execPath,
    ['--import', recorder, '--conditions=@openai-integration/source', binary, '--no-env-file', '--http', '--port', '0'],
    {
      env: {
        PATH: process.env['PATH'] ?? '',
        OPENAI_API_KEY: testApiKey,
        OPENAI_BASE_URL: simulator.baseURL,
        OPENAI_MAX_RETRIES: '0',
        RECORD_MODULES_FILE: modulesFile,
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await vi.waitFor(
    () => {
      expect(stderr).toMatch(/"msg":"serving MCP over Streamable HTTP"/);
    },
    { timeout: 60_000, interval: 50 },
  );
  const url = /"url":"(http:\/\/[^"]+)"/.exec(stderr)?.[1] ?? '';
  const client = new Client({ name: 'telemetry-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  expect((await client.callTool({ name: 'openai_chat', arguments: hello })).isError).toBeFalsy();
  await client.close();
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return JSON.parse(await readFile(modulesFile, 'utf8')) as string[];
}

describe('openai-mcp and OpenTelemetry', () => {
  it('loads nothing of the OpenTelemetry SDK without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const modules = await runOnce({});
    expect(modules.some((url) => url.includes('/operations/src/'))).toBe(true);
    expect(modules.filter((url) => sdkModules.test(url))).toEqual([]);
    expect(received).toEqual([]);
  }, 120_000);

  it('exports the tool call and the operation under it over OTLP when the endpoint is set', async () => {
    const { port } = collector.address() as AddressInfo;
    const modules = await runOnce({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'mcp-test',
    });
    expect(modules.some((url) => sdkModules.test(url))).toBe(true);
    const traces = received
      .filter((entry) => entry.path === '/v1/traces')
      .map((entry) => entry.body)
      .join('\n');
    expect(traces).toContain('tools/call openai_chat');
    expect(traces).toMatch(/chat gpt-4\.1-mini/);
    expect(traces).toContain('mcp-test');
    expect(
      received.some((entry) => entry.path === '/v1/metrics' && entry.body.includes('gen_ai.client.operation.duration')),
    ).toBe(true);
  }, 120_000);
});
