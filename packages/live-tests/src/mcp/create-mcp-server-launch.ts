import { createError, type ErrorOf } from '@openai-integration/core';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { err, ok, type Result } from 'neverthrow';

/** How to start the MCP server as a subprocess; the shape of the MCP client's `StdioServerParameters`. */
export interface McpServerLaunch {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** The file that runs: the binary's TypeScript source in the workspace, or the built file. */
  readonly entry: string;
}

/** The endpoint the server must call: the same one the suite calls. */
export interface McpEndpoint {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly organization?: string | null;
  readonly project?: string | null;
}

/** What {@link createMcpServerLaunch} needs; only `endpoint` is required. */
export interface McpServerLaunchOptions {
  readonly endpoint: McpEndpoint;
  /** The `package.json` of the package with the binary. Default: `@openai-integration/mcp-adapter`'s. */
  readonly packageJsonPath?: string;
  /** The binary's name in `bin`. Default `openai-mcp`. */
  readonly binName?: string;
  /** Arguments after the entry file. Default none (stdio). */
  readonly args?: readonly string[];
  /** The environment the endpoint settings are added to. Default: the MCP SDK's safe subset (`PATH`, `HOME`, ...). */
  readonly baseEnv?: Readonly<Record<string, string>>;
  /** The Node executable. Default: the one running. */
  readonly nodePath?: string;
  /** File system access (tests inject it). Default: `node:fs`. */
  readonly files?: { readonly exists: (path: string) => boolean; readonly read: (path: string) => string };
}

const defaultPackageJson = (): string =>
  createRequire(import.meta.url).resolve('@openai-integration/mcp-adapter/package.json');

function problem(variable: string, text: string, fix: string): ErrorOf<'ConfigError'> {
  return createError('ConfigError', {
    message: `${variable} ${text}; fix: ${fix}`,
    variable,
    fix,
    problems: [{ variable, problem: text, fix }],
  });
}

function binPathOf(manifest: unknown, binName: string): string | undefined {
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const { bin, name } = manifest as { readonly bin?: unknown; readonly name?: unknown };
  if (typeof bin === 'string') return typeof name === 'string' && name.split('/').at(-1) === binName ? bin : undefined;
  if (typeof bin !== 'object' || bin === null) return undefined;
  const path = (bin as Readonly<Record<string, unknown>>)[binName];
  return typeof path === 'string' ? path : undefined;
}

/**
 * Works out how to start the `openai-mcp` binary over stdio, pointed at an endpoint:
 * reads the binary's path from the package's `bin`, prefers its TypeScript source
 * in the workspace (`dist/bin/x.js` -> `src/bin/x.ts`, run by Node with the
 * workspace's source condition, so the current code is what runs), else the built
 * file. The child's environment is the MCP SDK's safe subset plus OPENAI_API_KEY,
 * OPENAI_BASE_URL and, when set, OPENAI_ORG_ID and OPENAI_PROJECT_ID.
 *
 * Fails with: `ConfigError` (the package has no such binary, or neither its source
 * nor its built file exists).
 *
 * @example
 * const launch = createMcpServerLaunch({ endpoint: { baseUrl, apiKey } });
 * if (launch.isOk()) await client.connect(new StdioClientTransport(launch.value));
 */
export function createMcpServerLaunch(
  options: McpServerLaunchOptions,
): Result<McpServerLaunch, ErrorOf<'ConfigError'>> {
  const files = options.files ?? { exists: existsSync, read: (path: string) => readFileSync(path, 'utf8') };
  const binName = options.binName ?? 'openai-mcp';
  const packageJsonPath = options.packageJsonPath ?? defaultPackageJson();
  let manifest: unknown;
  try {
    manifest = JSON.parse(files.read(packageJsonPath));
  } catch {
    return err(
      problem(
        'package.json',
        `of the MCP adapter cannot be read at ${packageJsonPath}`,
        'run the suite from the workspace, after pnpm install',
      ),
    );
  }
  const binPath = binPathOf(manifest, binName);
  if (binPath === undefined) {
    return err(
      problem(
        `bin.${binName}`,
        `is not declared in ${packageJsonPath}`,
        `declare the ${binName} binary in the MCP adapter's package.json`,
      ),
    );
  }
  const packageDir = dirname(packageJsonPath);
  const built = resolve(packageDir, binPath);
  const source = resolve(packageDir, binPath.replace(/^(\.\/)?dist\//, 'src/').replace(/\.js$/, '.ts'));
  const nodePath = options.nodePath ?? process.execPath;
  const extra = [...(options.args ?? [])];
  let entry: string;
  let args: string[];
  if (source !== built && files.exists(source)) {
    entry = source;
    args = ['--conditions=@openai-integration/source', source, ...extra];
  } else if (files.exists(built)) {
    entry = built;
    args = [built, ...extra];
  } else {
    return err(
      problem(
        `bin.${binName}`,
        `points at ${built}, which does not exist`,
        'build the MCP adapter (pnpm --filter @openai-integration/mcp-adapter build)',
      ),
    );
  }
  const { endpoint } = options;
  const env: Record<string, string> = {
    ...(options.baseEnv ?? getDefaultEnvironment()),
    OPENAI_API_KEY: endpoint.apiKey,
    OPENAI_BASE_URL: endpoint.baseUrl,
    ...(endpoint.organization == null ? {} : { OPENAI_ORG_ID: endpoint.organization }),
    ...(endpoint.project == null ? {} : { OPENAI_PROJECT_ID: endpoint.project }),
  };
  return ok({ command: nodePath, args, env, entry });
}
