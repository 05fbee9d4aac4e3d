import {
  createError,
  loadConfig,
  type ErrorOf,
  type IntegrationConfig,
  type LoadConfigOptions,
} from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { repositoryRoot } from './repository-root.ts';

/** The chat model the suite uses unless `LIVE_TESTS_CHAT_MODEL` names another: one of the cheapest. */
export const defaultLiveChatModel = 'gpt-4.1-nano';

/** The embedding model the suite uses unless `LIVE_TESTS_EMBEDDING_MODEL` names another: the cheapest. */
export const defaultLiveEmbeddingModel = 'text-embedding-3-small';

/** The models every scenario uses, whatever the mode. */
interface LiveModels {
  readonly chatModel: string;
  readonly embeddingModel: string;
}

/**
 * How the suite runs: `live` against the configured endpoint with the configured key,
 * or `rehearsal` against the local simulator.
 */
export type LiveMode =
  | (LiveModels & {
      readonly kind: 'live';
      /** The configuration from the environment and `.env`, with the suite's defaults for what neither sets. */
      readonly config: IntegrationConfig;
    })
  | (LiveModels & {
      readonly kind: 'rehearsal';
      /** True when `LIVE_TESTS_REHEARSAL` asked for it although a key is configured. */
      readonly forced: boolean;
      /** Other configuration problems, worth fixing before a real run (the missing key is not listed). */
      readonly notes: readonly string[];
    });

/** Where {@link selectLiveMode} reads its settings. */
export interface SelectLiveModeOptions {
  /** The environment. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The folder of the `.env` file, or `false` to read none. Default: the repository root. */
  readonly envDir?: string | false;
}

/**
 * The settings the suite chooses when neither the environment nor `.env` sets them:
 * few retries (a run should fail in seconds, not minutes), a 30 s attempt timeout, and
 * no log lines (the expected failures of the error scenarios would fill the output).
 */
const suiteDefaults = { maxRetries: 2, timeoutMs: 30_000, logLevel: 'off' } as const satisfies LoadConfigOptions;

const yes = new Set(['1', 'true', 'yes', 'on']);
const no = new Set(['', '0', 'false', 'no', 'off']);

const present = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

function configProblem(variable: string, problem: string, fix: string): ErrorOf<'ConfigError'> {
  return createError('ConfigError', {
    message: `${variable} ${problem}; fix: ${fix}`,
    variable,
    fix,
    problems: [{ variable, problem, fix }],
  });
}

/**
 * Decides how the live suite runs, from the environment and the `.env` file at the
 * repository root (read with core's `loadConfig`, so the rules are the integration's).
 *
 * - A valid configuration with OPENAI_API_KEY: `live`. The suite's defaults fill in
 *   OPENAI_MAX_RETRIES (2), OPENAI_TIMEOUT_MS (30000) and OPENAI_LOG (off) when
 *   neither the environment nor `.env` sets them.
 * - No OPENAI_API_KEY, or `LIVE_TESTS_REHEARSAL=1`: `rehearsal` (the local simulator).
 * - A key with other settings that do not load (a malformed OPENAI_BASE_URL, a key
 *   with spaces): a `ConfigError`, so that a run meant to be real never turns into a
 *   rehearsal without anyone noticing.
 *
 * `LIVE_TESTS_CHAT_MODEL` and `LIVE_TESTS_EMBEDDING_MODEL` (environment only) change
 * the models; the defaults are the cheapest ones.
 *
 * Fails with: `ConfigError`.
 *
 * @example
 * const mode = selectLiveMode();
 * if (mode.isOk() && mode.value.kind === 'rehearsal') console.log('running against the simulator');
 */
export function selectLiveMode(options: SelectLiveModeOptions = {}): Result<LiveMode, ErrorOf<'ConfigError'>> {
  const env = options.env ?? process.env;
  const envDir = options.envDir ?? repositoryRoot;
  const models: LiveModels = {
    chatModel: present(env['LIVE_TESTS_CHAT_MODEL']) ?? defaultLiveChatModel,
    embeddingModel: present(env['LIVE_TESTS_EMBEDDING_MODEL']) ?? defaultLiveEmbeddingModel,
  };
  const rehearsalFlag = (env['LIVE_TESTS_REHEARSAL'] ?? '').trim().toLowerCase();
  if (!yes.has(rehearsalFlag) && !no.has(rehearsalFlag)) {
    return err(
      configProblem(
        'LIVE_TESTS_REHEARSAL',
        `must be true or false (also 1/0, yes/no, on/off), got "${rehearsalFlag.slice(0, 20)}"`,
        'set LIVE_TESTS_REHEARSAL=1 to rehearse, or unset it',
      ),
    );
  }
  const source: LoadConfigOptions = { env, ...(envDir === false ? { envFile: false } : { cwd: envDir }) };
  const loaded = loadConfig(source);
  if (loaded.isErr()) {
    const problems = loaded.error.problems;
    const keyMissing = problems.some(
      (problem) => problem.variable === 'OPENAI_API_KEY' && problem.problem === 'is not set',
    );
    if (!keyMissing && !yes.has(rehearsalFlag)) return err(loaded.error);
    const notes = problems
      .filter((problem) => problem.variable !== 'OPENAI_API_KEY')
      .map((problem) => `${problem.variable} ${problem.problem}; ${problem.fix}`);
    return ok({ kind: 'rehearsal', forced: !keyMissing, notes, ...models });
  }
  if (yes.has(rehearsalFlag)) return ok({ kind: 'rehearsal', forced: true, notes: [], ...models });
  const sources = loaded.value.sources;
  const defaults: Record<string, unknown> = {};
  for (const [setting, value] of Object.entries(suiteDefaults)) {
    if (sources[setting as keyof typeof suiteDefaults] === 'default') defaults[setting] = value;
  }
  const config =
    Object.keys(defaults).length === 0 ? loaded : loadConfig({ ...source, ...(defaults as LoadConfigOptions) });
  // The same sources loaded a moment ago, plus valid option values: this cannot fail.
  return config.map((value) => ({ kind: 'live' as const, config: value, ...models }));
}
