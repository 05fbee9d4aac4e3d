// Installs what users install: every published package is packed as `pnpm publish`
// packs it, the tarballs are installed with npm (and again with pnpm, whose layout is
// strict) into scratch apps outside the workspace with nothing else from it (the peers
// come from the npm registry or its cache), and each README quick start is
// type-checked there (module nodenext, and moduleResolution bundler) and run against
// the simulator of the installed testkit, on Node 24 and on Node 22.12, the lowest
// the packages claim.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packRelease, publishedPackages, type PackedPackage } from '../src/pack-release.ts';

const execFileAsync = promisify(execFile);

/** Runs a command; a failure says which command, where, and everything it printed. */
async function run(
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(command, args, { ...options, maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${options.cwd ?? process.cwd()}:\n${stdout ?? ''}${stderr ?? ''}`,
      { cause: error },
    );
  }
}
const root = fileURLToPath(new URL('../../..', import.meta.url));
const lowestNodeVersion = 'v22.12.0';

/** A clean environment for the tools and programs under test: none of the runner's package-manager or Node settings. */
const baseEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|NODE_OPTIONS$|NODE_PATH$|VITEST|OPENAI_)/i.test(key)),
);
const quiet = { ...baseEnv, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };

// Every quick start is type-checked; redis-store's is not run (it needs a Redis server; its own tests start one).
const examples = ['core', 'transport', 'testkit', 'operations', 'mcp-adapter', 'redis-store'] as const;
const peers = {
  openai: '^7.0.0',
  zod: '^4.2.0',
  neverthrow: '^8.2.0',
  '@modelcontextprotocol/server': '^2.4.0',
  ioredis: '^6.1.0',
};
const workspaceManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const tools = { typescript: workspaceManifest.devDependencies['typescript'] ?? '^6.0.0', '@types/node': '^24.0.0' };

/** What an app's own code adds beside the quick starts: the token counting it gets. */
const tokenCountingFile = `import { tokenCounting, type TokenCounting } from '@openai-integration/operations';

const counting: TokenCounting = await tokenCounting();
console.log(JSON.stringify(counting));
`;

/**
 * An app that installed only operations names the error union through it: under pnpm's
 * strict layout it cannot import core, which the second import proves.
 */
const errorsFromOperationsFile = `import { createOperations, type IntegrationError } from '@openai-integration/operations';
// @ts-expect-error -- core is not a dependency of this app: under pnpm it cannot be imported.
import type { IntegrationError as FromCore } from '@openai-integration/core';

export function describeFailure(error: IntegrationError): string {
  return error._tag === 'RateLimitError' ? \`rate limited; retry in \${error.retryAfterMs ?? 'unknown'} ms\` : \`\${error._tag}: \${error.message}\`;
}

const created = createOperations({ load: { apiKey: 'sk-test', baseUrl: 'http://127.0.0.1:9/v1', envFile: false } });
if (created.isErr()) console.error(describeFailure(created.error));
export type Unused = FromCore;
`;

const tsconfig = (compilerOptions: Record<string, unknown>): string =>
  `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023'],
        types: ['node'],
        strict: true,
        skipLibCheck: false,
        rootDir: 'src',
        outDir: 'dist',
        ...compilerOptions,
      },
      include: ['src'],
    },
    null,
    2,
  )}\n`;

function writeApp(folder: string, manifest: Record<string, unknown>, sources: Readonly<Record<string, string>>): void {
  mkdirSync(join(folder, 'src'), { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    `${JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, type: 'module', ...manifest }, null, 2)}\n`,
  );
  writeFileSync(join(folder, 'tsconfig.json'), tsconfig({ module: 'NodeNext', moduleResolution: 'NodeNext' }));
  writeFileSync(
    join(folder, 'tsconfig.bundler.json'),
    tsconfig({ module: 'Preserve', moduleResolution: 'Bundler', noEmit: true }),
  );
  for (const example of examples)
    copyFileSync(
      join(root, 'packages', example, 'examples/quick-start.ts'),
      join(folder, 'src', `${example}-quick-start.ts`),
    );
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(folder, 'src', file), text);
}

/** Runs the app's own tsc on one of its projects; a failure carries tsc's report. */
async function typeCheck(folder: string, project: string, emit: boolean): Promise<void> {
  await run(
    process.execPath,
    [join(folder, 'node_modules/typescript/bin/tsc'), '-p', join(folder, project), ...(emit ? [] : ['--noEmit'])],
    { cwd: folder, env: quiet },
  );
}

interface Simulator {
  readonly baseURL: string;
  readonly process: ChildProcessWithoutNullStreams;
}

/** Starts the installed `openai-simulator` binary on a free loopback port. */
async function startSimulator(folder: string): Promise<Simulator> {
  const child = spawn(
    process.execPath,
    [join(folder, 'node_modules/@openai-integration/testkit/dist/bin/openai-simulator.js'), '--port', '0'],
    { cwd: folder, env: quiet },
  );
  const lines = createInterface({ input: child.stdout });
  const baseURL = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      reject(new Error(`openai-simulator exited with ${String(code)}: ${stderr}`));
    });
    lines.once('line', resolve);
  });
  lines.close();
  return { baseURL, process: child };
}

async function stop(child: ChildProcessWithoutNullStreams | undefined): Promise<void> {
  if (child === undefined) return;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a compiled file of the app with `node` (resolving with its exit code and output, whatever they are). */
function runNode(node: string, folder: string, file: string, env: NodeJS.ProcessEnv, input?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [join(folder, 'dist', file)], { cwd: folder, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** Speaks MCP over stdio to a server command: initialize, list the tools, call `openai_chat`; returns the answers by request id. */
async function talkToMcpServer(
  command: string,
  args: readonly string[],
  folder: string,
  env: NodeJS.ProcessEnv,
): Promise<Map<number, unknown>> {
  const child = spawn(command, [...args], { cwd: folder, env });
  const answers = new Map<number, unknown>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const send = (message: unknown): void => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
  };
  const lines = createInterface({ input: child.stdout });
  const done = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the MCP server exited with ${String(code)} before answering: ${stderr}`));
    });
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { id?: number; result?: unknown; error?: unknown };
      if (typeof message.id !== 'number') return;
      answers.set(message.id, message.result ?? message.error);
      if (message.id === 1) {
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        send({
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: {
            name: 'openai_chat',
            arguments: { messages: [{ role: 'user', content: 'Say hello' }], max_output_tokens: 50 },
          },
        });
      }
      if (answers.has(2) && answers.has(3)) resolve();
    });
  });
  send({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'install-test', version: '1.0.0' } },
  });
  try {
    await done;
  } finally {
    lines.close();
    child.removeAllListeners('exit');
    await stop(child);
  }
  return answers;
}

const toolNames = (answer: unknown): string[] =>
  ((answer as { tools?: { name: string }[] }).tools ?? []).map((tool) => tool.name);

const scratch = mkdtempSync(join(tmpdir(), 'openai-integration-install-'));
const tarballs = join(scratch, 'tarballs');
const npmApp = join(scratch, 'npm-app');
const pnpmApp = join(scratch, 'pnpm-app');
const operationsOnlyApp = join(scratch, 'operations-only-app');
let packed: readonly PackedPackage[] = [];
let node22 = '';
let simulator: Simulator | undefined;
const tarballOf = (name: string): string => {
  const found = packed.find((item) => item.name === name);
  if (found === undefined) throw new Error(`no tarball of ${name}`);
  return `file:${found.tarball}`;
};

describe('the packed packages, installed as a user installs them', () => {
  beforeAll(async () => {
    const release = await packRelease(root, tarballs);
    expect(release.problems).toEqual([]);
    packed = release.packages;
    const all = Object.fromEntries(packed.map((item) => [item.name, tarballOf(item.name)]));

    writeApp(
      npmApp,
      { dependencies: { ...all, ...peers }, devDependencies: tools },
      { 'token-counting.ts': tokenCountingFile },
    );
    // pnpm takes a sibling that the packages require by version from the registry, where these versions are not yet: overrides point it at the tarballs.
    writeApp(
      pnpmApp,
      {
        dependencies: { ...all, ...peers, 'gpt-tokenizer': '^4.0.0' },
        devDependencies: tools,
        pnpm: { overrides: all },
      },
      { 'token-counting.ts': tokenCountingFile },
    );
    mkdirSync(join(operationsOnlyApp, 'src'), { recursive: true });
    writeFileSync(
      join(operationsOnlyApp, 'package.json'),
      `${JSON.stringify(
        {
          name: 'operations-only-app',
          version: '1.0.0',
          private: true,
          type: 'module',
          dependencies: {
            '@openai-integration/operations': tarballOf('@openai-integration/operations'),
            openai: peers.openai,
            zod: peers.zod,
            neverthrow: peers.neverthrow,
          },
          devDependencies: tools,
          // Siblings that are not on the registry yet come from their tarballs, without becoming dependencies of the app.
          pnpm: {
            overrides: {
              '@openai-integration/core': tarballOf('@openai-integration/core'),
              '@openai-integration/transport': tarballOf('@openai-integration/transport'),
            },
          },
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(
      join(operationsOnlyApp, 'tsconfig.json'),
      tsconfig({ module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true }),
    );
    writeFileSync(join(operationsOnlyApp, 'src/errors-from-operations.ts'), errorsFromOperationsFile);

    const npmInstall = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: npmApp,
      env: quiet,
    });
    const pnpmInstalls = (async () => {
      await run('pnpm', ['install', '--prefer-offline', '--config.node-linker=isolated'], { cwd: pnpmApp, env: quiet });
      await run('pnpm', ['install', '--prefer-offline', '--config.node-linker=isolated'], {
        cwd: operationsOnlyApp,
        env: quiet,
      });
    })();
    const lowestNode = run('bash', [join(root, 'tools/bootstrap/install-lowest-node.sh')], { env: baseEnv });
    await Promise.all([npmInstall, pnpmInstalls]);
    node22 = (await lowestNode).stdout.trim();
    simulator = await startSimulator(npmApp);
  }, 300_000);

  // Removing the scratch apps (thousands of files) and stopping a real process take longer on a busy machine.
  afterAll(async () => {
    await stop(simulator?.process);
    if (process.env['KEEP'] === undefined) rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  const appEnv = (): NodeJS.ProcessEnv => ({
    ...quiet,
    OPENAI_API_KEY: 'sk-test-install',
    OPENAI_BASE_URL: simulator?.baseURL ?? '',
  });

  it('packs every published package', () => {
    expect(packed.map((item) => item.name)).toEqual(publishedPackages(root).map((item) => item.name));
  });

  it('type-checks the quick starts under module nodenext (and builds them) and under moduleResolution bundler', async () => {
    await typeCheck(npmApp, 'tsconfig.json', true);
    await typeCheck(npmApp, 'tsconfig.bundler.json', false);
  }, 120_000);

  it('runs on the lowest Node the packages claim', async () => {
    const { stdout } = await run(node22, ['--version']);
    expect(stdout.trim()).toBe(lowestNodeVersion);
    for (const item of publishedPackages(root)) {
      const manifest = JSON.parse(readFileSync(join(root, item.folder, 'package.json'), 'utf8')) as {
        engines?: { node?: string };
      };
      expect(`v${(manifest.engines?.node ?? '').replace(/^>=/, '')}.0`).toBe(lowestNodeVersion);
    }
  });

  describe.each([
    ['Node 24', (): string => process.execPath],
    ['Node 22.12', (): string => node22],
  ])('on %s, installed with npm', (_label, node) => {
    it('runs the core quick start', async () => {
      const outcome = await runNode(node(), npmApp, 'core-quick-start.js', { ...appEnv(), OPENAI_LOG: 'info' });
      expect(outcome.stderr).toContain('chat completion done');
      expect(outcome.code).toBe(0);
    }, 60_000);

    it('runs the transport quick start', async () => {
      const outcome = await runNode(node(), npmApp, 'transport-quick-start.js', appEnv());
      expect(outcome.stderr).toBe('');
      expect(outcome.stdout).toContain('"object":"list"');
      expect(outcome.code).toBe(0);
    }, 60_000);

    it('runs the testkit quick start', async () => {
      const outcome = await runNode(node(), npmApp, 'testkit-quick-start.js', quiet);
      expect(outcome.stdout.trim().split('\n')).toEqual([
        'Summary unavailable right now.',
        'A short report.',
        '[ 503, 200 ]',
      ]);
      expect(outcome.code).toBe(0);
    }, 60_000);

    it('runs the operations quick start', async () => {
      const outcome = await runNode(node(), npmApp, 'operations-quick-start.js', appEnv());
      expect(outcome.stdout).toMatch(/answered in \d+ ms after 1 attempt\(s\)/);
      expect(outcome.stdout).toMatch(/inputTokens: \d+/);
      expect(outcome.code).toBe(0);
    }, 60_000);

    it('runs the mcp-adapter quick start: an MCP client lists the tools and calls openai_chat', async () => {
      const answers = await talkToMcpServer(
        node(),
        [join(npmApp, 'dist/mcp-adapter-quick-start.js')],
        npmApp,
        appEnv(),
      );
      const names = toolNames(answers.get(2));
      expect(names).toContain('openai_chat');
      expect(names).not.toContain('openai_delete_file');
      expect(JSON.stringify(answers.get(3))).toMatch(/"isError":false|"structuredContent"/);
    }, 60_000);

    it('serves the installed openai-mcp binary', async () => {
      const answers = await talkToMcpServer(
        node(),
        [join(npmApp, 'node_modules/@openai-integration/mcp-adapter/dist/bin/openai-mcp.js')],
        npmApp,
        appEnv(),
      );
      expect(toolNames(answers.get(2))).toContain('openai_delete_file');
      expect(JSON.stringify(answers.get(3))).toContain('structuredContent');
      // The installed binary finds its own package.json from the bundled dist.
      const manifest = JSON.parse(readFileSync(join(root, 'packages/mcp-adapter/package.json'), 'utf8')) as {
        version: string;
      };
      expect((answers.get(1) as { serverInfo?: unknown }).serverInfo).toEqual({
        name: 'openai-mcp',
        version: manifest.version,
      });
    }, 60_000);

    it('estimates token counts without the optional gpt-tokenizer, and says so', async () => {
      const outcome = await runNode(node(), npmApp, 'token-counting.js', quiet);
      expect(JSON.parse(outcome.stdout) as unknown).toEqual({
        exact: false,
        reason: expect.stringMatching(/^gpt-tokenizer is not installed; token counts are estimates/) as unknown,
      });
    }, 60_000);
  });

  describe('installed with pnpm (strict layout)', () => {
    it('type-checks the same app', async () => {
      await typeCheck(pnpmApp, 'tsconfig.json', true);
    }, 120_000);

    it('runs the operations quick start and counts tokens exactly with gpt-tokenizer installed', async () => {
      const operations = await runNode(process.execPath, pnpmApp, 'operations-quick-start.js', appEnv());
      expect(operations.stdout).toMatch(/answered in \d+ ms after 1 attempt\(s\)/);
      expect(operations.code).toBe(0);
      const counting = await runNode(process.execPath, pnpmApp, 'token-counting.js', quiet);
      expect(JSON.parse(counting.stdout) as unknown).toEqual({ exact: true });
    }, 60_000);

    it('runs the mcp-adapter quick start', async () => {
      const answers = await talkToMcpServer(
        process.execPath,
        [join(pnpmApp, 'dist/mcp-adapter-quick-start.js')],
        pnpmApp,
        appEnv(),
      );
      expect(toolNames(answers.get(2))).toContain('openai_chat');
    }, 60_000);

    // Error types re-exported by operations: the check runs once operations' published types name IntegrationError.
    const operationsTypes = (): string =>
      readFileSync(join(operationsOnlyApp, 'node_modules/@openai-integration/operations/dist/index.d.ts'), 'utf8');
    it('lets an app with only operations installed name the error union through operations', async (context) => {
      if (!/\bIntegrationError\b/.test(operationsTypes())) {
        context.skip('operations does not export IntegrationError yet');
        return;
      }
      expect(existsSync(join(operationsOnlyApp, 'node_modules/@openai-integration/core'))).toBe(false);
      await typeCheck(operationsOnlyApp, 'tsconfig.json', false);
    }, 120_000);
  });
});
