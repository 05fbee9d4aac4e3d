import type { Readable, Writable } from 'node:stream';
import {
  createLogger,
  loadAzureConfig,
  loadConfig,
  type IntegrationConfig,
  type Logger,
} from '@openai-integration/core';
import { createOperations } from '@openai-integration/operations';
import type { McpServer } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { AgentGuards } from '../../guards/agent-guards.ts';
import { createOpenAIMcpServer } from '../../server/create-openai-mcp-server.ts';
import { createSessionLedger } from '../../sessions/create-session-ledger.ts';
import { isLoopback, serveHttp } from '../http/serve-http.ts';
import { createStdioGuard } from './create-stdio-guard.ts';
import { openSharedStore, type OpenedSharedStore } from './open-shared-store.ts';
import { helpText } from './help-text.ts';
import { packageVersion } from './package-version.ts';
import { readCliSettings, type ServeSettings } from './read-cli-settings.ts';

/** What the binary runs with: the process's arguments, environment and streams. */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** `fetch` for the OpenAI client (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Clock for session idle times (default `Date.now`), injectable for tests. */
  readonly now?: () => number;
}

/** The binary once started. */
export interface RunningCli {
  /** Resolves with the exit code once the binary has stopped (or refused to start). */
  readonly done: Promise<number>;
  /** The HTTP endpoint, in `--http` mode. */
  readonly url: string | null;
  /** Shuts down cleanly (SIGINT, SIGTERM); `done` then resolves with 0. */
  stop(): Promise<void>;
}

const finished = (code: number): RunningCli => ({
  done: Promise.resolve(code),
  url: null,
  stop: () => Promise.resolve(),
});

/**
 * A configuration problem as a command-line user fixes it: core's advice mentions the
 * `loadConfig` option, which only a program can pass.
 */
function forTheCommandLine(fix: string): string {
  return fix.replace(/, or pass \w+ to loadConfig$/, ' (or name another file with --env-file)');
}

/** The guards with the configured model as the default, when the allow-list permits it. */
function withDefaultModel(guards: AgentGuards, config: IntegrationConfig): AgentGuards | string {
  const allowed = guards.allowedModels;
  if (allowed === undefined || allowed.includes(config.model)) return { ...guards, defaultModel: config.model };
  if (config.sources.model === 'default') return guards;
  return `OPENAI_MODEL ${config.model} is not in the allowed models (${allowed.join(', ')}); add it to MCP_ALLOWED_MODELS or choose an allowed model`;
}

/**
 * Runs the `openai-mcp` binary: reads the settings (flags, environment, `.env`), loads
 * the OpenAI configuration with core's `loadConfig`, creates the operations and serves
 * the tools over stdio (default) or Streamable HTTP (`--http`). Logs go to `stderr`.
 * Refuses to start (exit code 2) on a configuration error, or when asked to listen on a
 * non-loopback address without `MCP_AUTH_TOKEN`.
 */
export async function runCli(io: CliIo): Promise<RunningCli> {
  const say = (line: string): void => {
    io.stderr.write(`openai-mcp: ${line}\n`);
  };
  const command = readCliSettings(io.argv, io.env, io.cwd);
  if (command.isErr()) {
    say(command.error);
    return finished(2);
  }
  if (command.value.kind === 'help') {
    io.stdout.write(`${helpText(packageVersion(import.meta.url))}\n`);
    return finished(0);
  }
  if (command.value.kind === 'version') {
    io.stdout.write(`${packageVersion(import.meta.url)}\n`);
    return finished(0);
  }
  const settings: ServeSettings = command.value.settings;
  const fileOptions =
    settings.envFile === false
      ? { envFile: false as const }
      : settings.envFileNamed
        ? { envFile: settings.envFile }
        : {};
  // AZURE_OPENAI_ENDPOINT turns Azure OpenAI on; its key replaces OPENAI_API_KEY.
  const azure = loadAzureConfig({ env: io.env, cwd: io.cwd, ...fileOptions });
  const loaded = azure.andThen((azureConfig) =>
    loadConfig({
      env: io.env,
      cwd: io.cwd,
      ...fileOptions,
      ...(azureConfig === null ? {} : { apiKey: 'supplied-by-azure', baseUrl: azureConfig.baseUrl }),
    }),
  );
  if (loaded.isErr()) {
    // Each problem once, with a fix a command-line user can apply.
    const problems = loaded.error.problems;
    if (problems.length === 0) say(`configuration error: ${loaded.error.message}`);
    else {
      say(`configuration error${problems.length === 1 ? '' : `s (${problems.length})`}:`);
      for (const problem of problems)
        io.stderr.write(`  - ${problem.variable} ${problem.problem}; fix: ${forTheCommandLine(problem.fix)}\n`);
    }
    return finished(2);
  }
  const config = loaded.value;
  const guards = withDefaultModel(settings.guards, config);
  if (typeof guards === 'string') {
    say(`configuration error: ${guards}`);
    return finished(2);
  }
  if (settings.mode === 'http' && !isLoopback(settings.host) && settings.authTokens.length === 0) {
    say(
      `refusing to listen on ${settings.host} without MCP_AUTH_TOKEN: anyone who can reach this address could spend your OpenAI budget. Set MCP_AUTH_TOKEN (or MCP_AUTH_TOKENS, one per client) to a long random secret, or listen on 127.0.0.1`,
    );
    return finished(2);
  }

  const sink = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  const logger: Logger = createLogger({ level: config.logLevel, sink });
  // Starting and stopping are always told, as JSON lines like every other log line.
  const lifecycle: Logger = createLogger({ level: 'info', sink });
  let shared: OpenedSharedStore | undefined;
  if (settings.redis !== undefined) {
    const opened = await openSharedStore(settings.redis, logger);
    if (opened.isErr()) {
      say(opened.error);
      return finished(2);
    }
    shared = opened.value;
  }
  const azureConfig = azure.isOk() ? azure.value : null;
  const operations = createOperations({
    config,
    logger,
    ...(azureConfig === null ? {} : { azure: { config: azureConfig } }),
    ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    ...(shared === undefined ? {} : { store: shared.store }),
  });
  // createOperations only fails on configuration, which is already loaded here.
  /* v8 ignore next 4 -- the configuration was loaded and checked above */
  if (operations.isErr()) {
    say(`configuration error: ${operations.error.message}`);
    return finished(2);
  }
  const store = shared === undefined ? 'memory' : 'redis';
  const closeStore = async (): Promise<void> => {
    await shared?.close();
  };
  const sessions = createSessionLedger();
  const serverVersion = packageVersion(import.meta.url);
  const factory = (): McpServer =>
    createOpenAIMcpServer(operations.value, {
      serverInfo: { name: 'openai-mcp', version: serverVersion },
      guards,
      sessions,
      ...(settings.tools === undefined ? {} : { tools: settings.tools }),
      ...(settings.exclude === undefined ? {} : { exclude: settings.exclude }),
    });
  const onError = (error: Error): void => {
    logger.warn({ error: error.message }, 'mcp transport error');
  };

  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  if (settings.mode === 'stdio') {
    // The SDK skips a line that is not JSON without a word; the guard answers it as JSON-RPC requires.
    const guard = createStdioGuard((line) => {
      io.stdout.write(`${line}\n`);
    }, logger);
    const handle = serveStdio(factory, {
      transport: new StdioServerTransport(io.stdin.pipe(guard), io.stdout),
      onerror: onError,
    });
    const stop = async (): Promise<void> => {
      await handle.close();
      await closeStore();
      resolveDone(0);
    };
    io.stdin.once('end', () => {
      void stop();
    });
    lifecycle.info({ mode: 'stdio', version: serverVersion, store }, 'serving MCP over stdio');
    return { done, url: null, stop };
  }

  try {
    const serving = await serveHttp({
      host: settings.host,
      port: settings.port,
      allowedHosts: settings.allowedHosts,
      allowedOrigins: settings.allowedOrigins,
      authTokens: settings.authTokens,
      factory,
      onSessionClosed: (sessionId) => {
        sessions.forget(sessionId);
      },
      sessions: {
        onChanged: (stats) => {
          sessions.noteHttpSessions(stats);
        },
        idleMs: settings.sessionIdleMs,
        ...(io.now === undefined ? {} : { now: io.now }),
        onEnded: (event) => {
          logger.info(
            { reason: event.reason, idleMs: event.idleMs, ...event.stats },
            event.reason === 'expired'
              ? 'mcp session closed after its idle time'
              : 'idle mcp session closed to make room',
          );
        },
      },
      onError,
    });
    lifecycle.info(
      {
        mode: 'http',
        url: serving.url,
        version: serverVersion,
        access: settings.authTokens.length === 0 ? 'open' : 'bearer token required',
        clients: settings.authTokens.map((entry) => entry.clientId),
        store,
      },
      'serving MCP over Streamable HTTP',
    );
    return {
      done,
      url: serving.url,
      stop: async () => {
        await serving.close();
        await closeStore();
        resolveDone(0);
      },
    };
  } catch (error) {
    await closeStore();
    say(
      `cannot listen on ${settings.host}:${settings.port}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return finished(1);
  }
}
