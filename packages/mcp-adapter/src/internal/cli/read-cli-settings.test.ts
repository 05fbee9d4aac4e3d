import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCliSettings, type ServeSettings } from './read-cli-settings.ts';

const folder = (envFile?: string): string => {
  const path = mkdtempSync(join(tmpdir(), 'openai-mcp-'));
  if (envFile !== undefined) writeFileSync(join(path, '.env'), envFile);
  return path;
};

const serve = (argv: readonly string[], env: Record<string, string> = {}, cwd = folder()): ServeSettings => {
  const command = readCliSettings(argv, env, cwd)._unsafeUnwrap();
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`);
  return command.settings;
};

describe('readCliSettings', () => {
  it('serves stdio on defaults: loopback, port 3333, a 4096-token clamped ceiling, no budgets', () => {
    expect(serve([])).toEqual({
      mode: 'stdio',
      host: '127.0.0.1',
      port: 3_333,
      allowedHosts: [],
      allowedOrigins: [],
      authTokens: [],
      envFile: '.env',
      envFileNamed: false,
      tools: undefined,
      exclude: undefined,
      guards: { maxOutputTokens: 4_096, outputTokenPolicy: 'clamp' },
      sessionIdleMs: 600_000,
      redis: undefined,
    });
  });

  it('reads the shared Redis store from --redis or REDIS_URL, with the number of processes sharing it', () => {
    const cwd = folder('REDIS_URL=redis://from-file:6379\nREDIS_INSTANCES=3\n');
    expect(serve(['--redis', 'redis://flag:6379', '--redis-instances', '4'], {}, cwd).redis).toEqual({
      url: 'redis://flag:6379',
      source: '--redis',
      instances: 4,
    });
    expect(serve([], { REDIS_URL: 'redis://env:6379' }, cwd).redis).toEqual({
      url: 'redis://env:6379',
      source: 'REDIS_URL',
      instances: 3,
    });
    expect(serve([], {}, cwd).redis).toMatchObject({ url: 'redis://from-file:6379', instances: 3 });
    expect(readCliSettings(['--redis', 'redis://x:6379'], {}, folder())._unsafeUnwrapErr()).toMatch(
      /--redis needs --redis-instances \(REDIS_INSTANCES\)/,
    );
    expect(
      readCliSettings(['--redis', 'redis://x:6379', '--redis-instances', '0'], {}, folder())._unsafeUnwrapErr(),
    ).toContain('--redis-instances must be a whole number from 1 to 10000 (got "0")');
  });

  it('reads every flag', () => {
    const settings = serve([
      '--http',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--allowed-hosts',
      'mcp.example.com, other.example',
      '--allowed-origins',
      'app.example',
      '--tools',
      'openai_chat,openai_usage_report',
      '--exclude-tools',
      'openai_usage_report',
      '--allowed-models',
      'gpt-4o-mini,gpt-4.1-mini',
      '--max-output-tokens',
      '1000',
      '--output-token-policy',
      'refuse',
      '--session-max-tokens',
      '50000',
      '--session-max-cost-usd',
      '0.5',
      '--call-max-tokens',
      '8000',
      '--call-max-cost-usd',
      '0.05',
      '--no-env-file',
      '--session-idle-minutes',
      '2.5',
    ]);
    expect(settings).toEqual({
      mode: 'http',
      host: '0.0.0.0',
      port: 8_080,
      allowedHosts: ['mcp.example.com', 'other.example'],
      allowedOrigins: ['app.example'],
      authTokens: [],
      envFile: false,
      envFileNamed: false,
      tools: ['openai_chat', 'openai_usage_report'],
      exclude: ['openai_usage_report'],
      guards: {
        maxOutputTokens: 1_000,
        outputTokenPolicy: 'refuse',
        allowedModels: ['gpt-4o-mini', 'gpt-4.1-mini'],
        sessionBudget: { maxTokens: 50_000, maxCostUsd: 0.5 },
        callBudget: { maxTokens: 8_000, maxCostUsd: 0.05 },
      },
      sessionIdleMs: 150_000,
    });
  });

  it('reads the environment, then .env, with flags winning over both', () => {
    const cwd = folder(
      'MCP_PORT=4000\nMCP_AUTH_TOKEN=from-file-0123456789\nMCP_SESSION_MAX_TOKENS=100\nMCP_HOST=127.0.0.2\n',
    );
    const settings = serve(
      ['--port', '5000'],
      { MCP_PORT: '4500', MCP_HOST: ' ', MCP_ALLOWED_MODELS: 'gpt-4o-mini' },
      cwd,
    );
    expect(settings).toMatchObject({
      port: 5_000,
      host: '127.0.0.2',
      authTokens: [{ clientId: 'default', token: 'from-file-0123456789' }],
      guards: { sessionBudget: { maxTokens: 100 }, allowedModels: ['gpt-4o-mini'] },
    });
    expect(serve([], { MCP_PORT: '4500', MCP_AUTH_TOKEN: 'from-env-0123456789' }, cwd)).toMatchObject({
      port: 4_500,
      authTokens: [{ clientId: 'default', token: 'from-env-0123456789' }],
    });
  });

  it('reads a named .env file and reports one that cannot be read', () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'custom.env'), 'MCP_PORT=4100\n');
    expect(serve(['--env-file', 'custom.env'], {}, cwd)).toMatchObject({
      port: 4_100,
      envFile: 'custom.env',
      envFileNamed: true,
    });
    mkdirSync(join(cwd, 'folder.env'));
    expect(readCliSettings(['--env-file', 'folder.env'], {}, cwd)._unsafeUnwrapErr()).toMatch(
      /^folder\.env cannot be read \(EISDIR\)$/,
    );
  });

  it('asks for help or the version', () => {
    expect(readCliSettings(['--help'], {}, folder())._unsafeUnwrap()).toEqual({ kind: 'help' });
    expect(readCliSettings(['-v'], {}, folder())._unsafeUnwrap()).toEqual({ kind: 'version' });
  });

  it('reports every bad value at once, naming the flag or variable', () => {
    const message = readCliSettings(
      [
        '--port',
        '99999',
        '--max-output-tokens',
        '1.5',
        '--output-token-policy',
        'maybe',
        '--tools',
        'openai_chat,openai_dance',
        '--call-max-cost-usd=-1',
      ],
      { MCP_SESSION_MAX_TOKENS: 'lots' },
      folder(),
    )._unsafeUnwrapErr();
    expect(message).toContain('--port must be a whole number from 0 to 65535 (got "99999")');
    expect(message).toContain('--max-output-tokens must be a whole number from 1 (got "1.5")');
    expect(message).toContain('--output-token-policy must be clamp or refuse (got "maybe")');
    expect(message).toContain('--tools names unknown tools: openai_dance');
    expect(message).toContain('--call-max-cost-usd must be a number above 0 (got "-1")');
    expect(message).toContain('MCP_SESSION_MAX_TOKENS must be a whole number from 1 (got "lots")');
  });

  it('refuses unknown flags, stray arguments and contradictory modes', () => {
    expect(readCliSettings(['--verbose'], {}, folder())._unsafeUnwrapErr()).toMatch(
      /Unknown option '--verbose'.*\(see --help\)$/,
    );
    expect(readCliSettings(['serve'], {}, folder())._unsafeUnwrapErr()).toMatch(/see --help/);
    expect(readCliSettings(['--http', '--stdio'], {}, folder())._unsafeUnwrapErr()).toBe(
      '--http and --stdio cannot be used together',
    );
  });

  it('reads one token per client from MCP_AUTH_TOKENS beside MCP_AUTH_TOKEN', () => {
    expect(
      serve([], {
        MCP_AUTH_TOKEN: 'the-default-token-0123',
        MCP_AUTH_TOKENS: ' alice = alice-token-0123456789 ,ci=ci-token-0123456789ab',
      }).authTokens,
    ).toEqual([
      { clientId: 'default', token: 'the-default-token-0123' },
      { clientId: 'alice', token: 'alice-token-0123456789' },
      { clientId: 'ci', token: 'ci-token-0123456789ab' },
    ]);
  });

  it('refuses short tokens, bad names, a name used twice and a token shared by two clients, never quoting a token', () => {
    const problems = (tokens: string): string =>
      readCliSettings([], { MCP_AUTH_TOKENS: tokens }, folder())._unsafeUnwrapErr();
    expect(problems('alice=short')).toBe(
      'MCP_AUTH_TOKENS entry 1 (alice) must be at least 16 characters without spaces (a long random secret)',
    );
    expect(problems('no-equals-sign-here-0123456789')).toMatch(/^MCP_AUTH_TOKENS entry 1 must be name=token/);
    expect(problems('bad name=alice-token-0123456789')).toMatch(/^MCP_AUTH_TOKENS entry 1 must be name=token/);
    expect(problems('alice=alice-token-0123456789,alice=other-token-0123456789')).toBe(
      'MCP_AUTH_TOKENS entry 2 (alice): the client name alice is used twice',
    );
    const shared = problems('alice=alice-token-0123456789,bob=alice-token-0123456789');
    expect(shared).toBe('MCP_AUTH_TOKENS entry 2 (bob): two clients have the same token; give each its own');
    expect(shared).not.toContain('alice-token');
    expect(readCliSettings([], { MCP_AUTH_TOKEN: 'short' }, folder())._unsafeUnwrapErr()).toMatch(
      /^MCP_AUTH_TOKEN must be at least 16 characters/,
    );
  });
});
