import { err, ok, type Result } from 'neverthrow';
import { z } from 'zod';
import type { ErrorOf } from '../errors/integration-error.ts';
import { configErrorOf } from '../internal/config-error-of.ts';
import { lowestNodeForEnvFiles, readEnvFile, type EnvFileRead } from '../internal/read-env-file.ts';
import type { LogLevel } from '../logging/logger.ts';
import { redactText } from '../logging/redact-text.ts';
import { configVariables, type ConfigSetting } from './config-variables.ts';
import { createSecret, isSecret, type Secret, type SecretSource } from './secret.ts';

/** Where a setting's value came from. */
export type ConfigSource = 'options' | 'env' | 'env-file' | 'default';

/** What {@link loadConfig} accepts; every field is optional. */
export interface LoadConfigOptions {
  /** The API key, a function that returns it (read on each use, for rotation), or a `Secret`. */
  readonly apiKey?: SecretSource | Secret;
  readonly organization?: string | null;
  readonly project?: string | null;
  readonly baseUrl?: string | URL;
  readonly model?: string;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  readonly streamIdleTimeoutMs?: number;
  readonly logLevel?: LogLevel;
  readonly logBodies?: boolean;
  /** The environment to read (default: `process.env`, or nothing outside Node). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The `.env` file to read after the environment. Default `.env` (in `cwd`), which may
   * be missing; a file named here must exist. `false` reads no file.
   */
  readonly envFile?: string | false;
  /** The folder a relative `envFile` is resolved against (default: the process's cwd). */
  readonly cwd?: string;
}

const maxTimerMs = 2_147_483_647;
const logLevels = ['off', 'error', 'warn', 'info', 'debug'] as const;
const noSpaces = (text: string): boolean => !/[\s"']/.test(text);
const httpUrl = (text: string): boolean => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);
const fromDigits = (schema: z.ZodNumber) => z.string().regex(/^\d+$/).transform(Number).pipe(schema);
const booleanWords: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  on: true,
  false: false,
  '0': false,
  no: false,
  off: false,
};

/**
 * The typed, validated configuration: each field's zod schema. `apiKey` is a `Secret`;
 * `sources` says where each value came from (to debug a deployment without printing
 * values).
 */
export const integrationConfigSchema = z.object({
  apiKey: z.custom<Secret>(isSecret),
  organization: z.string().min(1).refine(noSpaces).nullable(),
  project: z.string().min(1).refine(noSpaces).nullable(),
  baseUrl: z.string().refine(httpUrl),
  model: z.string().min(1).refine(noSpaces),
  timeoutMs: wholeNumber(1, maxTimerMs),
  maxRetries: wholeNumber(0, 10),
  streamIdleTimeoutMs: wholeNumber(1, maxTimerMs),
  logLevel: z.enum(logLevels),
  logBodies: z.boolean(),
  sources: z.record(z.string(), z.enum(['options', 'env', 'env-file', 'default'])),
});

/** The configuration of the integration, as {@link loadConfig} returns it (frozen). */
export type IntegrationConfig = Readonly<Omit<z.infer<typeof integrationConfigSchema>, 'sources'>> & {
  readonly sources: Readonly<Record<ConfigSetting, ConfigSource>>;
};

type TypedSetting = Exclude<ConfigSetting, 'apiKey'>;

interface Rule {
  /** Checks a typed option value (and normalises it). */
  readonly option: z.ZodType;
  /** Turns text from the environment or `.env` into the typed value. */
  readonly text: z.ZodType;
  /** What a good value looks like. */
  readonly expected: string;
}

const shape = integrationConfigSchema.shape;
const baseUrl = z
  .string()
  .refine(httpUrl)
  .transform((url) => url.replace(/\/+$/, ''));
const timeout = {
  option: shape.timeoutMs,
  text: fromDigits(shape.timeoutMs),
  expected: `must be a whole number of milliseconds from 1 to ${maxTimerMs}`,
};

const rules: Readonly<Record<TypedSetting, Rule>> = {
  organization: {
    option: shape.organization,
    text: shape.organization,
    expected: 'must be an organization id such as org-abc123, without spaces or quotes',
  },
  project: {
    option: shape.project,
    text: shape.project,
    expected: 'must be a project id such as proj_abc123, without spaces or quotes',
  },
  baseUrl: { option: baseUrl, text: baseUrl, expected: 'must be an http(s) URL such as https://api.openai.com/v1' },
  model: {
    option: shape.model,
    text: shape.model,
    expected: 'must be a model id such as gpt-4.1-mini, without spaces or quotes',
  },
  timeoutMs: timeout,
  maxRetries: {
    option: shape.maxRetries,
    text: fromDigits(shape.maxRetries),
    expected: 'must be a whole number from 0 to 10',
  },
  streamIdleTimeoutMs: timeout,
  logLevel: {
    option: shape.logLevel,
    text: z
      .string()
      .transform((level) => level.toLowerCase())
      .pipe(shape.logLevel),
    expected: `must be one of ${logLevels.join(', ')}`,
  },
  logBodies: {
    option: shape.logBodies,
    text: z.string().transform((word, context) => {
      const value = booleanWords[word.toLowerCase()];
      if (value === undefined) context.addIssue({ code: 'custom', message: 'not a boolean' });
      return value ?? false;
    }),
    expected: 'must be true or false (also 1/0, yes/no, on/off)',
  },
};

/** The value of each setting when nothing sets it (the text forms are in `configVariables`). */
const defaults: Readonly<Record<TypedSetting, unknown>> = {
  organization: null,
  project: null,
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4.1-mini',
  timeoutMs: 60_000,
  maxRetries: 6,
  streamIdleTimeoutMs: 30_000,
  logLevel: 'warn',
  logBodies: false,
};

type Problem = ErrorOf<'ConfigError'>['problems'][number];

const sourceLabel: Readonly<Record<Exclude<ConfigSource, 'default'>, string>> = {
  options: 'the loadConfig option',
  env: 'the environment',
  'env-file': 'the .env file',
};

function fixFor(variable: string, setting: ConfigSetting, source: ConfigSource): string {
  if (source === 'options') return `pass a valid ${setting} to loadConfig`;
  if (source === 'env-file') return `correct ${variable} in the .env file, or set it in the environment`;
  return `correct ${variable} in the environment (it overrides the .env file)`;
}

function defaultEnv(): Readonly<Record<string, string | undefined>> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env ?? {};
}

function defaultCwd(): string | undefined {
  const process = (globalThis as { process?: { cwd?: () => string } }).process;
  return typeof process?.cwd === 'function' ? process.cwd() : undefined;
}

interface FileRead {
  readonly values: Readonly<Record<string, string>>;
  readonly problem: Problem | null;
  /** The Node version that could not read `.env` (too old), so that a missing setting can say why. */
  readonly oldNode: string | null;
}

function readFile(options: LoadConfigOptions): FileRead {
  if (options.envFile === false) return { values: {}, problem: null, oldNode: null };
  const named = options.envFile !== undefined;
  const read: EnvFileRead = readEnvFile(options.envFile ?? '.env', options.cwd ?? defaultCwd());
  if (read.kind === 'loaded') return { values: read.values, problem: null, oldNode: null };
  const oldNode = read.kind === 'unsupported' ? read.node : null;
  if (read.kind === 'missing' && !named) return { values: {}, problem: null, oldNode };
  // Outside Node there is no file to read; on a Node too old to read one, a .env that sets
  // OPENAI_BASE_URL (say) would be ignored without a word, and calls would go elsewhere.
  if (read.kind === 'unsupported' && read.node !== null) {
    const problem = `is not read on Node ${read.node}: reading a .env file needs Node ${lowestNodeForEnvFiles} or later`;
    return {
      values: {},
      problem: {
        variable: '.env',
        problem,
        fix: `upgrade to Node ${lowestNodeForEnvFiles} or later, or set the variables in the environment and pass envFile: false`,
      },
      oldNode,
    };
  }
  if (read.kind === 'unsupported' && !named) return { values: {}, problem: null, oldNode };
  const problem =
    read.kind === 'missing'
      ? `names ${read.path}, which does not exist`
      : read.kind === 'unsupported'
        ? 'cannot be read: this runtime has no Node file system'
        : `names ${read.path}, but ${read.problem}`;
  const fix = 'create the file, fix the envFile path, or pass envFile: false';
  return { values: {}, problem: { variable: '.env', problem: `the envFile option ${problem}`, fix }, oldNode };
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Loads the integration's configuration from, in order of precedence, explicit
 * `options`, the process environment, then a `.env` file (parsed with Node's
 * `util.parseEnv`), and validates it into a frozen {@link IntegrationConfig}.
 *
 * Reads OPENAI_API_KEY (required, kept in a `Secret`), OPENAI_ORG_ID,
 * OPENAI_PROJECT_ID, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_TIMEOUT_MS,
 * OPENAI_MAX_RETRIES, OPENAI_STREAM_IDLE_TIMEOUT_MS, OPENAI_LOG and OPENAI_LOG_BODIES
 * (see {@link configVariables} for defaults). Empty values count as unset. Every bad
 * value is reported at once; problems name the variable and the fix, never the key.
 * The environment, the `.env` path and the cwd are injectable; nothing is written to
 * `process.env`.
 *
 * Fails with: `ConfigError` (a missing key, a malformed value, or an `envFile` that
 * cannot be read).
 *
 * @example
 * const config = loadConfig();
 * if (config.isErr()) throw new Error(config.error.message); // names the variable and the fix
 * config.value.baseUrl; // 'https://api.openai.com/v1'
 */
export function loadConfig(options: LoadConfigOptions = {}): Result<IntegrationConfig, ErrorOf<'ConfigError'>> {
  const env = options.env ?? defaultEnv();
  const file = readFile(options);
  const problems: Problem[] = file.problem === null ? [] : [file.problem];
  const values: Record<string, unknown> = {};
  const sources = {} as Record<ConfigSetting, ConfigSource>;

  for (const { setting, variable } of configVariables) {
    const option = options[setting];
    const fromEnv = env[variable];
    const fromFile = file.values[variable];
    const source: ConfigSource =
      option !== undefined ? 'options' : present(fromEnv) ? 'env' : present(fromFile) ? 'env-file' : 'default';
    sources[setting] = source;
    const text = source === 'env' ? fromEnv?.trim() : source === 'env-file' ? fromFile?.trim() : undefined;

    if (setting === 'apiKey') {
      const key = option as LoadConfigOptions['apiKey'];
      if (isSecret(key)) values[setting] = key;
      else if (typeof key === 'function') values[setting] = createSecret(key, variable);
      else {
        const value = (key ?? text)?.trim();
        if (value === undefined || value === '') {
          const problem = source === 'options' ? 'from the loadConfig option is empty' : 'is not set';
          // A .env that this Node cannot read is the likely reason: say so instead of "not set" alone.
          const oldNode = source === 'options' ? null : file.oldNode;
          problems.push(
            oldNode === null
              ? {
                  variable,
                  problem,
                  fix: `set ${variable} in the environment or in .env, or pass apiKey to loadConfig`,
                }
              : {
                  variable,
                  problem: `${problem} in the environment, and a .env file is not read on Node ${oldNode}: that needs Node ${lowestNodeForEnvFiles} or later`,
                  fix: `upgrade to Node ${lowestNodeForEnvFiles} or later, or set ${variable} in the environment`,
                },
          );
        } else if (!noSpaces(value)) {
          problems.push({
            variable,
            problem: `from ${sourceLabel[source as Exclude<ConfigSource, 'default'>]} contains spaces or quotes`,
            fix: fixFor(variable, setting, source),
          });
        } else values[setting] = createSecret(value, variable);
      }
      continue;
    }

    if (source === 'default') {
      values[setting] = defaults[setting];
      continue;
    }
    const rule = rules[setting];
    const candidate = source === 'options' ? (option instanceof URL ? option.href : option) : text;
    const parsed = (source === 'options' ? rule.option : rule.text).safeParse(candidate);
    if (parsed.success) {
      values[setting] = parsed.data;
      continue;
    }
    const shown = typeof candidate === 'string' ? ` (got "${redactText(candidate).slice(0, 60)}")` : '';
    problems.push({
      variable,
      problem: `from ${sourceLabel[source]} ${rule.expected}${shown}`,
      fix: fixFor(variable, setting, source),
    });
  }

  const error = configErrorOf(problems);
  if (error !== undefined) return err(error);
  return ok(Object.freeze({ ...values, sources: Object.freeze(sources) }) as IntegrationConfig);
}
