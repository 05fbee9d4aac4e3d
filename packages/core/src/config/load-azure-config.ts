import { err, ok, type Result } from 'neverthrow';
import type { ErrorOf } from '../errors/integration-error.ts';
import { configErrorOf } from '../internal/config-error-of.ts';
import { readEnvFile } from '../internal/read-env-file.ts';
import { redactText } from '../logging/redact-text.ts';
import { createSecret, isSecret, type Secret } from './secret.ts';

/** What {@link loadAzureConfig} accepts; each setting overrides its variable. */
export interface LoadAzureConfigOptions {
  /** The resource's endpoint, e.g. `https://my-resource.openai.azure.com` (`AZURE_OPENAI_ENDPOINT`). */
  readonly endpoint?: string;
  /** The resource's key, sent as `api-key` (`AZURE_OPENAI_API_KEY`); leave it out with a Microsoft Entra ID token provider. */
  readonly apiKey?: string | Secret;
  /** The classic deployment API's `api-version` (`AZURE_OPENAI_API_VERSION`); unset: the v1 API. */
  readonly apiVersion?: string;
  /** Model name to deployment name (`AZURE_OPENAI_DEPLOYMENTS`, `gpt-4o-mini=my-mini,gpt-4.1=prod-41`). */
  readonly deployments?: Readonly<Record<string, string>>;
  /** The environment to read (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The `.env` file read after the environment (default `.env`, which may be missing; `false`: none). */
  readonly envFile?: string | false;
  /** The folder a relative `envFile` is resolved against. */
  readonly cwd?: string;
}

/** Azure OpenAI settings, validated (frozen). */
export interface AzureConfig {
  /** The resource's endpoint, without a trailing `/` or an `/openai...` path. */
  readonly endpoint: string;
  /** `v1`: the plain client on `<endpoint>/openai/v1`; `classic`: deployments with an `api-version`. */
  readonly api: 'v1' | 'classic';
  /** The base URL of the v1 API, `<endpoint>/openai/v1`. */
  readonly baseUrl: string;
  readonly apiVersion: string | null;
  /** The key, or null when a token provider authenticates. */
  readonly apiKey: Secret | null;
  /** Model name to deployment name; a model not listed is its own deployment name. */
  readonly deployments: Readonly<Record<string, string>>;
}

/** The variables {@link loadAzureConfig} reads. */
export const azureConfigVariables = Object.freeze([
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_API_VERSION',
  'AZURE_OPENAI_DEPLOYMENTS',
] as const);

const apiVersionPattern = /^(?:\d{4}-\d{2}-\d{2}(?:-preview)?|preview|latest)$/;
const deploymentNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,255}$/;
const maxDeployments = 256;

type Problem = ErrorOf<'ConfigError'>['problems'][number];

function defaultEnv(): Readonly<Record<string, string | undefined>> {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env ?? {};
}

const shown = (text: string): string => `"${redactText(text).slice(0, 60)}"`;

/** `model=deployment,...` as a record, or the problem with it. */
function parseDeployments(text: string): Record<string, string> | string {
  const deployments: Record<string, string> = {};
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length > maxDeployments) return `lists ${entries.length} deployments, more than ${maxDeployments}`;
  for (const [index, entry] of entries.entries()) {
    const at = entry.indexOf('=');
    const model = entry.slice(0, Math.max(at, 0)).trim();
    const deployment = entry.slice(at + 1).trim();
    if (at < 1 || !deploymentNamePattern.test(model) || !deploymentNamePattern.test(deployment))
      return `entry ${index + 1} must be model=deployment, each of letters, digits and . _ : / @ - (got ${shown(entry)})`;
    deployments[model] = deployment;
  }
  return deployments;
}

/**
 * Loads the Azure OpenAI settings from explicit options, then the environment, then a
 * `.env` file: `AZURE_OPENAI_ENDPOINT` (which turns Azure on), `AZURE_OPENAI_API_KEY`,
 * `AZURE_OPENAI_API_VERSION` (set: the classic deployment API; unset: the v1 API) and
 * `AZURE_OPENAI_DEPLOYMENTS`. Returns `null` when no endpoint is set. A key is required
 * unless `tokenProvider` says a Microsoft Entra ID token provider authenticates, and
 * not allowed beside one. Problems name the variable and the fix, never the key.
 *
 * Fails with: `ConfigError`.
 *
 * @example
 * const azure = loadAzureConfig({ env: { AZURE_OPENAI_ENDPOINT: 'https://my.openai.azure.com', AZURE_OPENAI_API_KEY: key } });
 * azure._unsafeUnwrap()?.baseUrl; // 'https://my.openai.azure.com/openai/v1'
 */
export function loadAzureConfig(
  options: LoadAzureConfigOptions = {},
  auth: { readonly tokenProvider: boolean } = { tokenProvider: false },
): Result<AzureConfig | null, ErrorOf<'ConfigError'>> {
  const env = options.env ?? defaultEnv();
  const read = options.envFile === false ? undefined : readEnvFile(options.envFile ?? '.env', options.cwd);
  const file = read?.kind === 'loaded' ? read.values : {};
  const text = (variable: (typeof azureConfigVariables)[number]): string | undefined => {
    const value = env[variable]?.trim();
    if (value !== undefined && value !== '') return value;
    const fromFile = file[variable]?.trim();
    return fromFile === undefined || fromFile === '' ? undefined : fromFile;
  };
  const endpointText = options.endpoint ?? text('AZURE_OPENAI_ENDPOINT');
  if (endpointText === undefined) return ok(null);

  const problems: Problem[] = [];
  const fix = (variable: string, option: string): string =>
    `correct ${variable} in the environment or .env, or pass ${option} to loadAzureConfig`;
  let endpoint = '';
  const url = URL.canParse(endpointText) ? new URL(endpointText) : undefined;
  if (url === undefined || !/^https?:$/.test(url.protocol) || url.search !== '' || url.username !== '') {
    problems.push({
      variable: 'AZURE_OPENAI_ENDPOINT',
      problem: `must be the resource's https URL such as https://my-resource.openai.azure.com (got ${shown(endpointText)})`,
      fix: fix('AZURE_OPENAI_ENDPOINT', 'endpoint'),
    });
  } else {
    // The resource's root, whether it was given as the root, `/openai` or `/openai/v1`.
    endpoint = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/openai(?:\/v1)?$/, '')}`;
  }

  const apiVersion = options.apiVersion ?? text('AZURE_OPENAI_API_VERSION') ?? null;
  if (apiVersion !== null && !apiVersionPattern.test(apiVersion)) {
    problems.push({
      variable: 'AZURE_OPENAI_API_VERSION',
      problem: `must be an api-version such as 2024-10-21 or 2025-04-01-preview (got ${shown(apiVersion)})`,
      fix: `${fix('AZURE_OPENAI_API_VERSION', 'apiVersion')}; leave it unset for the v1 API`,
    });
  }

  let deployments: Readonly<Record<string, string>> = options.deployments ?? {};
  const deploymentsText = options.deployments === undefined ? text('AZURE_OPENAI_DEPLOYMENTS') : undefined;
  if (deploymentsText !== undefined) {
    const parsed = parseDeployments(deploymentsText);
    if (typeof parsed === 'string')
      problems.push({
        variable: 'AZURE_OPENAI_DEPLOYMENTS',
        problem: parsed,
        fix: fix('AZURE_OPENAI_DEPLOYMENTS', 'deployments'),
      });
    else deployments = parsed;
  }

  const keyOption = options.apiKey;
  const keyText = isSecret(keyOption) ? undefined : (keyOption ?? text('AZURE_OPENAI_API_KEY'));
  let apiKey: Secret | null = isSecret(keyOption) ? keyOption : null;
  if (keyText !== undefined) {
    if (/[\s"']/.test(keyText.trim()) || keyText.trim() === '')
      problems.push({
        variable: 'AZURE_OPENAI_API_KEY',
        problem: 'is empty or contains spaces or quotes',
        fix: fix('AZURE_OPENAI_API_KEY', 'apiKey'),
      });
    else apiKey = createSecret(keyText.trim(), 'AZURE_OPENAI_API_KEY');
  }
  if (apiKey === null && !auth.tokenProvider && keyText === undefined)
    problems.push({
      variable: 'AZURE_OPENAI_API_KEY',
      problem: 'is not set, and no Microsoft Entra ID token provider was given',
      fix: 'set AZURE_OPENAI_API_KEY to the resource key, or pass azure.tokenProvider to createOperations',
    });
  if (apiKey !== null && auth.tokenProvider)
    problems.push({
      variable: 'AZURE_OPENAI_API_KEY',
      problem: 'is set beside a Microsoft Entra ID token provider; only one may authenticate',
      fix: 'unset AZURE_OPENAI_API_KEY, or leave out azure.tokenProvider',
    });

  const error = configErrorOf(problems);
  if (error !== undefined) return err(error);
  return ok(
    Object.freeze({
      endpoint,
      api: apiVersion === null ? 'v1' : 'classic',
      baseUrl: `${endpoint}/openai/v1`,
      apiVersion,
      apiKey,
      deployments: Object.freeze({ ...deployments }),
    }),
  );
}
