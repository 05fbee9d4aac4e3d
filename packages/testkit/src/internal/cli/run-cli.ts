import { parseArgs } from 'node:util';
import { isSimulatorProfile, simulatorProfiles } from '../../profiles/simulator-profile.ts';
import { createOpenAISimulator, type OpenAISimulator } from '../../simulator/create-openai-simulator.ts';

/** Where the CLI writes and which signals it listens to (injected for tests). */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly onSignal: (signal: 'SIGINT' | 'SIGTERM', listener: () => void) => void;
}

/** The outcome of a CLI run: an exit code, and the running simulator if it started. */
export interface CliRun {
  readonly exitCode: number;
  readonly simulator?: OpenAISimulator;
  /** Settles once the simulator has shut down after a signal. */
  readonly closed?: Promise<void>;
}

export const usage = `Usage: openai-simulator [options]

Starts the OpenAI wire simulator on a loopback port and prints its base URL.

Options:
  --profile <name>            openai (default), azure or compatible
  --port <n>                  TCP port (default 4010; 0 picks a free port)
  --host <address>            address to listen on (default 127.0.0.1)
  --seed <n>                  seed for generated content and ids (default 0)
  --requests-per-minute <n>   rate-limit budget of requests (default 10000)
  --tokens-per-minute <n>     rate-limit budget of tokens (default 30000000)
  --api-key <key>             accept only this API key (default: any)
  --model <id>                a model of the catalogue, repeatable (default: the built-in catalogue)
  --deployment <name>=<model> an Azure deployment, repeatable (azure; default: every model under its own id)
  -h, --help                  show this help

With --profile azure the printed base URL is the v1 API (<root>/openai/v1); the
deployment API is under <root>/openai/deployments/<name>/...?api-version=...

Stops cleanly on SIGINT or SIGTERM.`;

function integer(name: string, raw: string | undefined, fallback: number, minimum: number): number | string {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= minimum ? value : `--${name} needs an integer >= ${minimum}, got '${raw}'`;
}

/**
 * Runs the `openai-simulator` command: parses its arguments, starts the simulator,
 * prints the base URL as the only stdout line once it accepts connections, and
 * closes it on SIGINT/SIGTERM. Bad arguments print usage to stderr (exit code 2).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<CliRun> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        'requests-per-minute': { type: 'string' },
        'tokens-per-minute': { type: 'string' },
        'api-key': { type: 'string' },
        profile: { type: 'string' },
        model: { type: 'string', multiple: true },
        deployment: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (values.help === true) {
    io.stderr(usage);
    return { exitCode: 0 };
  }
  const port = integer('port', values.port, 4010, 0);
  const seed = integer('seed', values.seed, 0, 0);
  const requestsPerMinute = integer('requests-per-minute', values['requests-per-minute'], 10_000, 1);
  const tokensPerMinute = integer('tokens-per-minute', values['tokens-per-minute'], 30_000_000, 1);
  const profile = values.profile ?? 'openai';
  if (!isSimulatorProfile(profile)) {
    io.stderr(`--profile needs one of ${simulatorProfiles.join(', ')}, got '${profile}'\n\n${usage}`);
    return { exitCode: 2 };
  }
  const deployments: Record<string, string> = {};
  let deploymentProblem: string | undefined;
  for (const entry of values.deployment ?? []) {
    const parts = entry.split('=');
    const [name = '', model = ''] = parts;
    if (parts.length !== 2 || name === '' || model === '') {
      deploymentProblem ??= `--deployment needs <name>=<model>, got '${entry}'`;
    }
    deployments[name] = model;
  }
  const problem = [port, seed, requestsPerMinute, tokensPerMinute, deploymentProblem].find(
    (value) => typeof value === 'string',
  );
  if (problem !== undefined) {
    io.stderr(`${problem}\n\n${usage}`);
    return { exitCode: 2 };
  }
  let simulator: OpenAISimulator;
  try {
    simulator = await createOpenAISimulator({
      port: port as number,
      host: values.host ?? '127.0.0.1',
      seed: seed as number,
      rateLimit: { requestsPerMinute: requestsPerMinute as number, tokensPerMinute: tokensPerMinute as number },
      ...(values['api-key'] === undefined ? {} : { apiKey: values['api-key'] }),
      ...(values.model === undefined ? {} : { models: values.model }),
      ...(values.deployment === undefined ? {} : { azure: { deployments } }),
      profile,
    });
  } catch (error) {
    io.stderr(`openai-simulator: cannot listen: ${error instanceof Error ? error.message : String(error)}`);
    return { exitCode: 1 };
  }
  const closed = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      simulator.close().then(resolve, resolve);
    };
    io.onSignal('SIGINT', stop);
    io.onSignal('SIGTERM', stop);
  });
  io.stdout(simulator.baseURL);
  return { exitCode: 0, simulator, closed };
}
