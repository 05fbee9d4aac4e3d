import { parseArgs } from 'node:util';
import { err, ok, type Result } from 'neverthrow';
import type { AgentGuards, OutputTokenPolicy } from '../../guards/agent-guards.ts';
import { isOpenAIToolName, type OpenAIToolName } from '../../tools/openai-tool-names.ts';
import type { AuthToken } from '../http/create-bearer-check.ts';
import { readEnvFile } from './read-env-file.ts';

/** Everything the binary needs to start serving. */
export interface ServeSettings {
  readonly mode: 'stdio' | 'http';
  readonly host: string;
  readonly port: number;
  /** Host header names accepted besides the loopback names and `host`. */
  readonly allowedHosts: readonly string[];
  /** Origin host names accepted besides the loopback names and `host`. */
  readonly allowedOrigins: readonly string[];
  /** Bearer tokens accepted over HTTP, each naming its client (`MCP_AUTH_TOKEN`, `MCP_AUTH_TOKENS`). */
  readonly authTokens: readonly AuthToken[];
  /** The `.env` file for core's `loadConfig` (`false`: none). */
  readonly envFile: string | false;
  /** Whether `--env-file` named the file (then it must exist). */
  readonly envFileNamed: boolean;
  readonly tools: readonly OpenAIToolName[] | undefined;
  readonly exclude: readonly OpenAIToolName[] | undefined;
  readonly guards: AgentGuards;
  /** An HTTP session without a request for this long is closed (`--session-idle-minutes`). */
  readonly sessionIdleMs: number;
  /**
   * Budgets and cooldowns shared on this Redis (`--redis`, `REDIS_URL`) by `instances`
   * processes (`--redis-instances`, `REDIS_INSTANCES`); undefined: in memory.
   */
  readonly redis: { readonly url: string; readonly source: string; readonly instances: number } | undefined;
}

/** What the command line asks for. */
export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'serve'; readonly settings: ServeSettings };

const options = {
  http: { type: 'boolean' },
  stdio: { type: 'boolean' },
  host: { type: 'string' },
  port: { type: 'string' },
  'allowed-hosts': { type: 'string' },
  'allowed-origins': { type: 'string' },
  tools: { type: 'string' },
  'exclude-tools': { type: 'string' },
  'allowed-models': { type: 'string' },
  'max-output-tokens': { type: 'string' },
  'session-idle-minutes': { type: 'string' },
  'output-token-policy': { type: 'string' },
  'session-max-tokens': { type: 'string' },
  'session-max-cost-usd': { type: 'string' },
  'call-max-tokens': { type: 'string' },
  'call-max-cost-usd': { type: 'string' },
  'env-file': { type: 'string' },
  'no-env-file': { type: 'boolean' },
  redis: { type: 'string' },
  'redis-instances': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const list = (text: string | undefined): string[] | undefined =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/**
 * Reads the binary's settings from the command line, then the environment, then the
 * `.env` file (in that order of precedence; OpenAI settings are left to core's
 * `loadConfig`). Every bad value is reported as a message naming the flag and the
 * variable.
 */
export function readCliSettings(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Result<CliCommand, string> {
  let parsed: ReturnType<
    typeof parseArgs<{ options: typeof options; args: string[]; strict: true; allowPositionals: false }>
  >;
  try {
    parsed = parseArgs({ options, args: [...argv], strict: true, allowPositionals: false });
  } catch (error) {
    return err(`${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  const flags = parsed.values;
  if (flags.help === true) return ok({ kind: 'help' });
  if (flags.version === true) return ok({ kind: 'version' });
  if (flags.http === true && flags.stdio === true) return err('--http and --stdio cannot be used together');

  const envFile: string | false = flags['no-env-file'] === true ? false : (flags['env-file'] ?? '.env');
  const file = readEnvFile(envFile, cwd);
  if (file.problem !== null) return err(file.problem);
  const present = (value: string | undefined): string | undefined =>
    value === undefined || value.trim() === '' ? undefined : value.trim();
  const setting = (
    flag: keyof typeof flags,
    variable: string,
  ): { readonly value: string | undefined; readonly source: string } => {
    const fromFlag = flags[flag];
    if (typeof fromFlag === 'string') return { value: fromFlag.trim(), source: `--${flag}` };
    const fromEnv = present(env[variable]);
    if (fromEnv !== undefined) return { value: fromEnv, source: variable };
    return { value: present(file.values[variable]), source: `${variable} in ${String(envFile)}` };
  };
  const problems: string[] = [];
  const number = (
    flag: keyof typeof flags,
    variable: string,
    rule: { readonly integer: boolean; readonly min: number; readonly max?: number },
  ): number | undefined => {
    const { value, source } = setting(flag, variable);
    if (value === undefined) return undefined;
    const parsedNumber = Number(value);
    const fits =
      value !== '' &&
      Number.isFinite(parsedNumber) &&
      (!rule.integer || Number.isInteger(parsedNumber)) &&
      parsedNumber >= rule.min &&
      (rule.max === undefined || parsedNumber <= rule.max);
    if (!fits) {
      problems.push(
        `${source} must be ${rule.integer ? 'a whole number' : 'a number'} ${rule.min > 0 && !rule.integer ? 'above 0' : `from ${rule.min}`}${rule.max === undefined ? '' : ` to ${rule.max}`} (got "${value.slice(0, 40)}")`,
      );
      return undefined;
    }
    return parsedNumber;
  };
  const tools = (flag: keyof typeof flags, variable: string): OpenAIToolName[] | undefined => {
    const { value, source } = setting(flag, variable);
    const names = list(value);
    if (names === undefined) return undefined;
    const unknown = names.filter((name) => !isOpenAIToolName(name));
    if (unknown.length > 0) problems.push(`${source} names unknown tools: ${unknown.join(', ')}`);
    return names.filter(isOpenAIToolName);
  };

  const host = setting('host', 'MCP_HOST').value ?? '127.0.0.1';
  const port = number('port', 'MCP_PORT', { integer: true, min: 0, max: 65_535 }) ?? 3_333;
  const sessionIdleMinutes =
    number('session-idle-minutes', 'MCP_SESSION_IDLE_MINUTES', { integer: false, min: Number.MIN_VALUE }) ?? 10;
  const maxOutputTokens = number('max-output-tokens', 'MCP_MAX_OUTPUT_TOKENS', { integer: true, min: 1 }) ?? 4_096;
  const policy = setting('output-token-policy', 'MCP_OUTPUT_TOKEN_POLICY');
  if (policy.value !== undefined && policy.value !== 'clamp' && policy.value !== 'refuse')
    problems.push(`${policy.source} must be clamp or refuse (got "${policy.value.slice(0, 40)}")`);
  const budget = (
    tokensFlag: keyof typeof flags,
    tokensVariable: string,
    costFlag: keyof typeof flags,
    costVariable: string,
  ) => {
    const maxTokens = number(tokensFlag, tokensVariable, { integer: true, min: 1 });
    const maxCostUsd = number(costFlag, costVariable, { integer: false, min: Number.MIN_VALUE });
    if (maxTokens === undefined && maxCostUsd === undefined) return undefined;
    return { ...(maxTokens === undefined ? {} : { maxTokens }), ...(maxCostUsd === undefined ? {} : { maxCostUsd }) };
  };
  const sessionBudget = budget(
    'session-max-tokens',
    'MCP_SESSION_MAX_TOKENS',
    'session-max-cost-usd',
    'MCP_SESSION_MAX_COST_USD',
  );
  const callBudget = budget('call-max-tokens', 'MCP_CALL_MAX_TOKENS', 'call-max-cost-usd', 'MCP_CALL_MAX_COST_USD');
  const allowedModels = list(setting('allowed-models', 'MCP_ALLOWED_MODELS').value);
  const include = tools('tools', 'MCP_TOOLS');
  const exclude = tools('exclude-tools', 'MCP_EXCLUDE_TOOLS');
  const authTokens = readAuthTokens(
    present(env['MCP_AUTH_TOKEN']) ?? present(file.values['MCP_AUTH_TOKEN']),
    present(env['MCP_AUTH_TOKENS']) ?? present(file.values['MCP_AUTH_TOKENS']),
    problems,
  );
  const redis = setting('redis', 'REDIS_URL');
  const instances = number('redis-instances', 'REDIS_INSTANCES', { integer: true, min: 1, max: 10_000 });
  if (
    redis.value !== undefined &&
    instances === undefined &&
    setting('redis-instances', 'REDIS_INSTANCES').value === undefined
  )
    problems.push(
      `${redis.source} needs --redis-instances (REDIS_INSTANCES): how many processes share the key, so that each paces on its share of the limits while Redis is unavailable`,
    );
  if (problems.length > 0) return err(problems.join('; '));

  const guards: AgentGuards = {
    maxOutputTokens,
    outputTokenPolicy: (policy.value ?? 'clamp') as OutputTokenPolicy,
    ...(allowedModels === undefined || allowedModels.length === 0 ? {} : { allowedModels }),
    ...(sessionBudget === undefined ? {} : { sessionBudget }),
    ...(callBudget === undefined ? {} : { callBudget }),
  };
  return ok({
    kind: 'serve',
    settings: {
      mode: flags.http === true ? 'http' : 'stdio',
      host,
      port,
      allowedHosts: list(setting('allowed-hosts', 'MCP_ALLOWED_HOSTS').value) ?? [],
      allowedOrigins: list(setting('allowed-origins', 'MCP_ALLOWED_ORIGINS').value) ?? [],
      authTokens,
      envFile,
      envFileNamed: flags['env-file'] !== undefined,
      tools: include,
      exclude,
      guards,
      sessionIdleMs: Math.round(sessionIdleMinutes * 60_000),
      redis:
        redis.value === undefined || instances === undefined
          ? undefined
          : { url: redis.value, source: redis.source, instances },
    },
  });
}

/** Shortest bearer token accepted: shorter ones can be guessed. */
const minTokenLength = 16;
const clientNamePattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The bearer tokens: `MCP_AUTH_TOKEN` (one token, client `default`) and
 * `MCP_AUTH_TOKENS` (`name=token,name=token`, one per client). Problems name the entry
 * by position and client, never by its token.
 */
function readAuthTokens(single: string | undefined, named: string | undefined, problems: string[]): AuthToken[] {
  const tokens: AuthToken[] = [];
  const add = (clientId: string, token: string, where: string): void => {
    if (token.length < minTokenLength || /\s/.test(token)) {
      problems.push(`${where} must be at least ${minTokenLength} characters without spaces (a long random secret)`);
      return;
    }
    if (tokens.some((entry) => entry.clientId === clientId)) {
      problems.push(`${where}: the client name ${clientId} is used twice`);
      return;
    }
    if (tokens.some((entry) => entry.token === token)) {
      problems.push(`${where}: two clients have the same token; give each its own`);
      return;
    }
    tokens.push({ clientId, token });
  };
  if (single !== undefined) add('default', single, 'MCP_AUTH_TOKEN');
  if (named === undefined) return tokens;
  const entries = named.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `MCP_AUTH_TOKENS entry ${index + 1}`;
    const at = entry.indexOf('=');
    const clientId = at < 0 ? '' : entry.slice(0, at).trim();
    if (!clientNamePattern.test(clientId)) {
      problems.push(
        `${where} must be name=token, the name 1 to 64 letters, digits, dots, dashes or underscores (got a name of ${clientId.length} characters)`,
      );
      return;
    }
    add(clientId, entry.slice(at + 1).trim(), `${where} (${clientId})`);
  });
  return tokens;
}
