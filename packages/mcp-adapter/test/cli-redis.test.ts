// The binary with --redis / REDIS_URL: two servers on one real redis-server (started by
// this test) spend one budget.
import { PassThrough } from 'node:stream';
import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureRedisServer, startRedisServer, type RedisServer } from '../../../tools/config/redis-server.ts';
import { runCli, type RunningCli } from '../src/internal/cli/run-cli.ts';
import { testApiKey } from './support/harness.ts';

const hello = { messages: [{ role: 'user', content: 'Say hello' }] };
let redis: RedisServer;
let simulator: OpenAISimulator | undefined;
const running: RunningCli[] = [];
const clients: Client[] = [];

beforeAll(async () => {
  ensureRedisServer();
  redis = await startRedisServer();
}, 120_000);

afterAll(async () => {
  await redis.stop();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((cli) => cli.stop()));
  await simulator?.close();
  simulator = undefined;
});

async function start(server: OpenAISimulator, argv: readonly string[], env: Record<string, string> = {}) {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const cli = await runCli({
    argv: ['--no-env-file', '--http', '--port', '0', ...argv],
    env: { OPENAI_API_KEY: testApiKey, OPENAI_BASE_URL: server.baseURL, OPENAI_MAX_RETRIES: '0', ...env },
    cwd: process.cwd(),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
  });
  running.push(cli);
  return { cli, stderr: () => text };
}

async function chat(url: string): Promise<{ readonly isError: boolean; readonly text: string }> {
  const client = new Client({ name: 'redis-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  const result = await client.callTool({ name: 'openai_chat', arguments: hello });
  const content = result.content as readonly { readonly type: string; readonly text?: string }[];
  return { isError: result.isError === true, text: content.map((part) => part.text ?? '').join('\n') };
}

describe('openai-mcp --redis', () => {
  it('spends one budget from two servers on one Redis: the second refuses what the first used up', async () => {
    // A server limit of one request a minute: the next refills in 60 s, past the 30 s a call may wait.
    simulator = await createOpenAISimulator({ seed: 4, rateLimit: { requestsPerMinute: 1 } });
    const first = await start(simulator, ['--redis', redis.url, '--redis-instances', '2']);
    const second = await start(simulator, [], { REDIS_URL: redis.url, REDIS_INSTANCES: '2' });
    expect(first.stderr()).toMatch(/"msg":"serving MCP over Streamable HTTP".*"store":"redis"/);
    expect(second.stderr()).toMatch(/"store":"redis"/);
    expect((await chat(first.cli.url ?? '')).isError).toBe(false);
    const refused = await chat(second.cli.url ?? '');
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/rate limited by this server's pacing/);
    expect(simulator.requests).toHaveLength(1);
    // The budget lives in Redis, where every process finds it.
    const client = new Redis(redis.url);
    try {
      expect((await client.keys('*budget*')).length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  }, 120_000);

  it('keeps the budget in memory without --redis, and says so', async () => {
    simulator = await createOpenAISimulator({ seed: 4 });
    const alone = await start(simulator, []);
    expect(alone.stderr()).toMatch(/"store":"memory"/);
  }, 60_000);

  it('refuses a Redis URL that is not one, naming the flag and never the password', async () => {
    simulator = await createOpenAISimulator({ seed: 4 });
    const bad = await start(simulator, [
      '--redis',
      'http://user:hunter2-secret@127.0.0.1:6379',
      '--redis-instances',
      '2',
    ]);
    expect(await bad.cli.done).toBe(2);
    expect(bad.stderr()).toMatch(/--redis/);
    expect(bad.stderr()).not.toContain('hunter2');
    const unsized = await start(simulator, ['--redis', redis.url]);
    expect(await unsized.cli.done).toBe(2);
    expect(unsized.stderr()).toMatch(/--redis needs --redis-instances \(REDIS_INSTANCES\)/);
  }, 60_000);
});
