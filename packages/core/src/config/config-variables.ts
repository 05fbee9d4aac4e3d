/** The settings {@link loadConfig} resolves, by their option name. */
export type ConfigSetting =
  | 'apiKey'
  | 'organization'
  | 'project'
  | 'baseUrl'
  | 'model'
  | 'timeoutMs'
  | 'maxRetries'
  | 'streamIdleTimeoutMs'
  | 'logLevel'
  | 'logBodies';

/** One environment variable that {@link loadConfig} reads. */
export interface ConfigVariable {
  /** The option of `loadConfig` that overrides it. */
  readonly setting: ConfigSetting;
  /** The environment variable (also read from `.env`). */
  readonly variable: string;
  /** The default, as text; `null` when the setting is required or has no value by default. */
  readonly defaultValue: string | null;
  /** Whether loading fails without it. */
  readonly required: boolean;
  /** Whether the value is a secret (kept in a `Secret`, never logged or printed). */
  readonly secret: boolean;
  /** What it means. */
  readonly description: string;
}

/**
 * Every environment variable of the integration, with its default and meaning, in the
 * order `loadConfig` reports problems. Useful to print a help screen or to check a
 * deployment's environment.
 */
export const configVariables: readonly ConfigVariable[] = Object.freeze([
  {
    setting: 'apiKey',
    variable: 'OPENAI_API_KEY',
    defaultValue: null,
    required: true,
    secret: true,
    description: 'API key sent as `Authorization: Bearer`.',
  },
  {
    setting: 'organization',
    variable: 'OPENAI_ORG_ID',
    defaultValue: null,
    required: false,
    secret: false,
    description: 'Organization id sent as `OpenAI-Organization`.',
  },
  {
    setting: 'project',
    variable: 'OPENAI_PROJECT_ID',
    defaultValue: null,
    required: false,
    secret: false,
    description: 'Project id sent as `OpenAI-Project`.',
  },
  {
    setting: 'baseUrl',
    variable: 'OPENAI_BASE_URL',
    defaultValue: 'https://api.openai.com/v1',
    required: false,
    secret: false,
    description: 'API base URL (a proxy, Azure-compatible gateway or local simulator); trailing `/` removed.',
  },
  {
    setting: 'model',
    variable: 'OPENAI_MODEL',
    defaultValue: 'gpt-4.1-mini',
    required: false,
    secret: false,
    description: 'Model used when a call names none.',
  },
  {
    setting: 'timeoutMs',
    variable: 'OPENAI_TIMEOUT_MS',
    defaultValue: '60000',
    required: false,
    secret: false,
    description: 'Time limit of one attempt, in milliseconds.',
  },
  {
    setting: 'maxRetries',
    variable: 'OPENAI_MAX_RETRIES',
    defaultValue: '6',
    required: false,
    secret: false,
    description: 'Retries after the first attempt (0-10) for retryable errors (backoff 1, 2, 4, 8, 16, 32 s).',
  },
  {
    setting: 'streamIdleTimeoutMs',
    variable: 'OPENAI_STREAM_IDLE_TIMEOUT_MS',
    defaultValue: '30000',
    required: false,
    secret: false,
    description: 'A stream that sends nothing for this long, in milliseconds, is cut and reported.',
  },
  {
    setting: 'logLevel',
    variable: 'OPENAI_LOG',
    defaultValue: 'warn',
    required: false,
    secret: false,
    description: 'Log level: off, error, warn, info or debug.',
  },
  {
    setting: 'logBodies',
    variable: 'OPENAI_LOG_BODIES',
    defaultValue: 'false',
    required: false,
    secret: false,
    description: 'Log request and response bodies (still redacted); true/false, 1/0, yes/no, on/off.',
  },
] as const);
