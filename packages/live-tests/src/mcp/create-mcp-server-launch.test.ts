import { describe, expect, it } from 'vitest';
import { createMcpServerLaunch } from './create-mcp-server-launch.ts';

const endpoint = { baseUrl: 'http://127.0.0.1:4010/v1', apiKey: 'sk-live-tests-rehearsal' };
const manifestPath = '/repo/packages/mcp-adapter/package.json';

function files(manifest: unknown, existing: readonly string[]) {
  return {
    exists: (path: string) => existing.includes(path),
    read: (path: string) => {
      if (path !== manifestPath || manifest === undefined) throw new Error(`ENOENT: ${path}`);
      return typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
    },
  };
}

const adapter = { name: '@openai-integration/mcp-adapter', bin: { 'openai-mcp': './dist/bin/openai-mcp.js' } };

describe('createMcpServerLaunch', () => {
  it("runs the binary's TypeScript source with the workspace's source condition when it exists", () => {
    const launch = createMcpServerLaunch({
      endpoint: { ...endpoint, organization: 'org-live', project: 'proj_live' },
      packageJsonPath: manifestPath,
      files: files(adapter, [
        '/repo/packages/mcp-adapter/src/bin/openai-mcp.ts',
        '/repo/packages/mcp-adapter/dist/bin/openai-mcp.js',
      ]),
      baseEnv: { PATH: '/usr/bin' },
      nodePath: '/usr/bin/node',
      args: ['--stdio'],
    });
    expect(launch._unsafeUnwrap()).toEqual({
      command: '/usr/bin/node',
      args: ['--conditions=@openai-integration/source', '/repo/packages/mcp-adapter/src/bin/openai-mcp.ts', '--stdio'],
      entry: '/repo/packages/mcp-adapter/src/bin/openai-mcp.ts',
      env: {
        PATH: '/usr/bin',
        OPENAI_API_KEY: endpoint.apiKey,
        OPENAI_BASE_URL: endpoint.baseUrl,
        OPENAI_ORG_ID: 'org-live',
        OPENAI_PROJECT_ID: 'proj_live',
      },
    });
  });

  it('runs the built file when there is no source, with a string bin named like the package', () => {
    const launch = createMcpServerLaunch({
      endpoint: { ...endpoint, organization: null },
      packageJsonPath: manifestPath,
      files: files({ name: '@scope/openai-mcp', bin: 'bin/server.js' }, ['/repo/packages/mcp-adapter/bin/server.js']),
      baseEnv: {},
    })._unsafeUnwrap();
    expect(launch.command).toBe(process.execPath);
    expect(launch.args).toEqual(['/repo/packages/mcp-adapter/bin/server.js']);
    expect(launch.env).toEqual({ OPENAI_API_KEY: endpoint.apiKey, OPENAI_BASE_URL: endpoint.baseUrl });
  });

  it('fails with a ConfigError when the package declares no such binary', () => {
    for (const manifest of [
      { name: 'x' },
      { name: '@scope/other', bin: 'x.js' },
      { bin: { other: 'x.js' } },
      [],
      'null',
    ]) {
      const launch = createMcpServerLaunch({ endpoint, packageJsonPath: manifestPath, files: files(manifest, []) });
      expect(launch.isErr() && launch.error).toMatchObject({ _tag: 'ConfigError', variable: 'bin.openai-mcp' });
    }
  });

  it('fails with a ConfigError when the binary is neither in the source nor built', () => {
    const launch = createMcpServerLaunch({ endpoint, packageJsonPath: manifestPath, files: files(adapter, []) });
    expect(launch.isErr() && launch.error).toMatchObject({
      _tag: 'ConfigError',
      fix: expect.stringContaining('build the MCP adapter') as string,
    });
  });

  it('fails with a ConfigError when the package.json cannot be read', () => {
    const launch = createMcpServerLaunch({ endpoint, packageJsonPath: manifestPath, files: files(undefined, []) });
    expect(launch.isErr() && launch.error).toMatchObject({ _tag: 'ConfigError', variable: 'package.json' });
  });

  it("reads the MCP adapter's real package.json and the MCP SDK's safe environment by default", () => {
    const launch = createMcpServerLaunch({ endpoint });
    if (launch.isOk()) {
      expect(launch.value.entry).toMatch(/packages\/mcp-adapter\/(src|dist)\/.*openai-mcp/);
      expect(launch.value.env['PATH']).toBe(process.env['PATH']);
    } else {
      expect(launch.error.variable).toBe('bin.openai-mcp');
    }
  });
});
