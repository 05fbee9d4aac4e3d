import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configVariables } from './config-variables.ts';
import { integrationConfigSchema, loadConfig, type LoadConfigOptions } from './load-config.ts';
import { createSecret } from './secret.ts';

const key = 'sk-proj-AbCdEfGhIjKlMnO';
const envKey = 'sk-env-0123456789abcdef';
const fileKey = 'sk-file-0123456789abcde';

function folderWith(envText?: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'core-config-'));
  if (envText !== undefined) writeFileSync(join(folder, '.env'), envText);
  return folder;
}

const load = (options: LoadConfigOptions) => loadConfig({ envFile: false, ...options });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('loadConfig', () => {
  it('fills every default when only the key is set', async () => {
    const config = load({ env: { OPENAI_API_KEY: key } })._unsafeUnwrap();
    expect(config).toMatchObject({
      organization: null,
      project: null,
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4.1-mini',
      timeoutMs: 60_000,
      maxRetries: 6,
      streamIdleTimeoutMs: 30_000,
      logLevel: 'warn',
      logBodies: false,
    });
    expect(config.sources).toMatchObject({ apiKey: 'env', baseUrl: 'default', model: 'default' });
    await expect(config.apiKey.reveal()).resolves.toBe(key);
    expect(Object.isFrozen(config)).toBe(true);
    expect(integrationConfigSchema.safeParse(config).success).toBe(true);
  });

  it('reads every variable from the environment', () => {
    const config = load({
      env: {
        OPENAI_API_KEY: key,
        OPENAI_ORG_ID: 'org-abc',
        OPENAI_PROJECT_ID: 'proj_abc',
        OPENAI_BASE_URL: 'http://127.0.0.1:4010/v1/',
        OPENAI_MODEL: 'gpt-5-mini',
        OPENAI_TIMEOUT_MS: '5000',
        OPENAI_MAX_RETRIES: '0',
        OPENAI_STREAM_IDLE_TIMEOUT_MS: '1500',
        OPENAI_LOG: 'DEBUG',
        OPENAI_LOG_BODIES: 'yes',
      },
    })._unsafeUnwrap();
    expect(config).toMatchObject({
      organization: 'org-abc',
      project: 'proj_abc',
      baseUrl: 'http://127.0.0.1:4010/v1',
      model: 'gpt-5-mini',
      timeoutMs: 5_000,
      maxRetries: 0,
      streamIdleTimeoutMs: 1_500,
      logLevel: 'debug',
      logBodies: true,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['ON', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
  ])('reads OPENAI_LOG_BODIES=%s as %s', (text, expected) => {
    expect(load({ env: { OPENAI_API_KEY: key, OPENAI_LOG_BODIES: text } })._unsafeUnwrap().logBodies).toBe(expected);
  });

  describe('precedence', () => {
    it('takes options over the environment over the .env file', async () => {
      const cwd = folderWith(
        `OPENAI_API_KEY=${fileKey}\nOPENAI_MODEL=file-model\nOPENAI_ORG_ID=org-file\nOPENAI_MAX_RETRIES=7\n`,
      );
      const env = { OPENAI_API_KEY: envKey, OPENAI_MODEL: 'env-model' };

      const fromFile = loadConfig({ cwd, env: {} })._unsafeUnwrap();
      await expect(fromFile.apiKey.reveal()).resolves.toBe(fileKey);
      expect(fromFile).toMatchObject({ model: 'file-model', organization: 'org-file', maxRetries: 7 });
      expect(fromFile.sources).toMatchObject({ apiKey: 'env-file', model: 'env-file', timeoutMs: 'default' });

      const fromEnv = loadConfig({ cwd, env })._unsafeUnwrap();
      await expect(fromEnv.apiKey.reveal()).resolves.toBe(envKey);
      expect(fromEnv).toMatchObject({ model: 'env-model', organization: 'org-file' });
      expect(fromEnv.sources).toMatchObject({ apiKey: 'env', model: 'env', organization: 'env-file' });

      const fromOptions = loadConfig({ cwd, env, apiKey: key, model: 'option-model', maxRetries: 1 })._unsafeUnwrap();
      await expect(fromOptions.apiKey.reveal()).resolves.toBe(key);
      expect(fromOptions).toMatchObject({ model: 'option-model', maxRetries: 1, organization: 'org-file' });
      expect(fromOptions.sources).toMatchObject({ apiKey: 'options', model: 'options', maxRetries: 'options' });
    });

    it('treats empty environment values as unset', async () => {
      const cwd = folderWith(`OPENAI_API_KEY=${fileKey}\n`);
      const config = loadConfig({ cwd, env: { OPENAI_API_KEY: '  ', OPENAI_MODEL: '' } })._unsafeUnwrap();
      await expect(config.apiKey.reveal()).resolves.toBe(fileKey);
      expect(config.model).toBe('gpt-4.1-mini');
    });

    it('reads quoted values and comments in .env the way Node does', async () => {
      const cwd = folderWith(`# comment\nOPENAI_API_KEY="${fileKey}"\nexport OPENAI_LOG='info'\n`);
      const config = loadConfig({ cwd, env: {} })._unsafeUnwrap();
      await expect(config.apiKey.reveal()).resolves.toBe(fileKey);
      expect(config.logLevel).toBe('info');
    });

    it('reads a named env file relative to cwd, or by absolute path', () => {
      const cwd = folderWith();
      writeFileSync(join(cwd, 'staging.env'), `OPENAI_API_KEY=${fileKey}\nOPENAI_MODEL=staging\n`);
      expect(loadConfig({ cwd, env: {}, envFile: 'staging.env' })._unsafeUnwrap().model).toBe('staging');
      expect(loadConfig({ env: {}, envFile: join(cwd, 'staging.env') })._unsafeUnwrap().model).toBe('staging');
    });

    it('uses the process environment and working directory by default', () => {
      vi.stubEnv('OPENAI_API_KEY', envKey);
      vi.stubEnv('OPENAI_TIMEOUT_MS', '1234');
      const config = loadConfig()._unsafeUnwrap();
      expect(config.timeoutMs).toBe(1_234);
      expect(config.sources.apiKey).toBe('env');
    });

    it('reads no file when envFile is false', () => {
      const cwd = folderWith(`OPENAI_API_KEY=${fileKey}\n`);
      expect(loadConfig({ cwd, env: {}, envFile: false })._unsafeUnwrapErr().variable).toBe('OPENAI_API_KEY');
    });
  });

  describe('options', () => {
    it('accepts typed option values, a URL object and null ids', () => {
      const config = load({
        env: { OPENAI_ORG_ID: 'org-env' },
        apiKey: key,
        organization: null,
        project: 'proj_1',
        baseUrl: new URL('https://proxy.example.com/openai/v1'),
        timeoutMs: 10,
        streamIdleTimeoutMs: 20,
        logLevel: 'off',
        logBodies: true,
      })._unsafeUnwrap();
      expect(config).toMatchObject({
        organization: null,
        project: 'proj_1',
        baseUrl: 'https://proxy.example.com/openai/v1',
        timeoutMs: 10,
        streamIdleTimeoutMs: 20,
        logLevel: 'off',
        logBodies: true,
      });
    });

    it('keeps a Secret as it is and wraps a key function for rotation', async () => {
      const secret = createSecret(key);
      expect(load({ env: {}, apiKey: secret })._unsafeUnwrap().apiKey).toBe(secret);
      let current = 'sk-one-0123456789abc';
      const rotating = load({ env: {}, apiKey: () => current })._unsafeUnwrap().apiKey;
      current = 'sk-two-0123456789abc';
      await expect(rotating.reveal()).resolves.toBe('sk-two-0123456789abc');
    });
  });

  describe('errors', () => {
    it('refuses to run on a Node too old to read .env, saying which Node is needed, unless envFile is false', () => {
      const dir = mkdtempSync(join(tmpdir(), 'core-config-'));
      writeFileSync(
        join(dir, '.env'),
        'OPENAI_API_KEY=sk-from-env-file-0123456789\nOPENAI_BASE_URL=http://127.0.0.1:4010/v1\n',
      );
      // A Node older than 22.12 has no process.getBuiltinModule (or no util.parseEnv).
      vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined);
      const missingKey = loadConfig({ cwd: dir, env: {} })._unsafeUnwrapErr();
      expect(missingKey.message).toBe(
        `.env is not read on Node ${process.version}: reading a .env file needs Node 22.12 or later; fix: upgrade to Node 22.12 or later, or set the variables in the environment and pass envFile: false (and 1 more: OPENAI_API_KEY)`,
      );
      expect(missingKey.problems[1]).toMatchObject({
        variable: 'OPENAI_API_KEY',
        problem: `is not set in the environment, and a .env file is not read on Node ${process.version}: that needs Node 22.12 or later`,
      });
      // The key in the environment does not hide that OPENAI_BASE_URL in .env would be ignored.
      const keyInEnvironment = loadConfig({
        cwd: dir,
        env: { OPENAI_API_KEY: 'sk-env-0123456789abcdef' },
      })._unsafeUnwrapErr();
      expect(keyInEnvironment).toMatchObject({ _tag: 'ConfigError', variable: '.env' });
      expect(loadConfig({ cwd: dir, env: { OPENAI_API_KEY: 'sk-env-0123456789abcdef' }, envFile: false }).isOk()).toBe(
        true,
      );
    });

    it('reports a missing key with the variable and the fix', () => {
      const error = load({ env: {} })._unsafeUnwrapErr();
      expect(error).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_API_KEY', retryable: false });
      expect(error.fix).toContain('set OPENAI_API_KEY');
      expect(error.message).toBe(
        'OPENAI_API_KEY is not set; fix: set OPENAI_API_KEY in the environment or in .env, or pass apiKey to loadConfig',
      );
    });

    it('reports an empty key option', () => {
      expect(load({ env: { OPENAI_API_KEY: key }, apiKey: ' ' })._unsafeUnwrapErr().problems[0]).toMatchObject({
        variable: 'OPENAI_API_KEY',
        problem: 'from the loadConfig option is empty',
      });
    });

    it('reports a key with spaces or quotes without printing it', () => {
      for (const [env, label] of [
        [{ OPENAI_API_KEY: `"${key}` }, 'the environment'],
        [{ OPENAI_API_KEY: `${key} extra` }, 'the environment'],
      ] as const) {
        const error = load({ env })._unsafeUnwrapErr();
        expect(error.problems[0]?.problem).toBe(`from ${label} contains spaces or quotes`);
        expect(JSON.stringify(error)).not.toContain('AbCdEf');
      }
      const fromFile = loadConfig({ cwd: folderWith(`OPENAI_API_KEY='${key} x'\n`), env: {} })._unsafeUnwrapErr();
      expect(fromFile.problems[0]).toMatchObject({
        problem: 'from the .env file contains spaces or quotes',
        fix: 'correct OPENAI_API_KEY in the .env file, or set it in the environment',
      });
      expect(load({ env: {}, apiKey: 'a b' })._unsafeUnwrapErr().fix).toBe('pass a valid apiKey to loadConfig');
    });

    it.each([
      ['OPENAI_BASE_URL', 'not a url', 'must be an http(s) URL'],
      ['OPENAI_BASE_URL', 'ftp://example.com', 'must be an http(s) URL'],
      ['OPENAI_TIMEOUT_MS', 'abc', 'must be a whole number of milliseconds'],
      ['OPENAI_TIMEOUT_MS', '0', 'must be a whole number of milliseconds'],
      ['OPENAI_TIMEOUT_MS', '1.5', 'must be a whole number of milliseconds'],
      ['OPENAI_MAX_RETRIES', '11', 'must be a whole number from 0 to 10'],
      ['OPENAI_MAX_RETRIES', '-1', 'must be a whole number from 0 to 10'],
      ['OPENAI_STREAM_IDLE_TIMEOUT_MS', '99999999999', 'must be a whole number of milliseconds'],
      ['OPENAI_LOG', 'verbose', 'must be one of off, error, warn, info, debug'],
      ['OPENAI_LOG_BODIES', 'maybe', 'must be true or false'],
      ['OPENAI_MODEL', 'gpt 4', 'must be a model id'],
      ['OPENAI_ORG_ID', 'org abc', 'must be an organization id'],
      ['OPENAI_PROJECT_ID', '"proj_1"', 'must be a project id'],
    ])('reports a malformed %s=%j', (variable, value, expected) => {
      const error = load({ env: { OPENAI_API_KEY: key, [variable]: value } })._unsafeUnwrapErr();
      expect(error.variable).toBe(variable);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]?.problem).toContain(`from the environment ${expected}`);
      expect(error.problems[0]?.problem).toContain(`(got "${value}")`);
      expect(error.fix).toBe(`correct ${variable} in the environment (it overrides the .env file)`);
      expect(error.message).toContain(variable);
      expect(error.message).toContain(error.fix);
    });

    it('reports malformed option values', () => {
      const error = load({
        env: {},
        apiKey: key,
        maxRetries: 2.5,
        timeoutMs: -1,
        baseUrl: 'nope',
        logLevel: 'loud' as 'warn',
      })._unsafeUnwrapErr();
      expect(error.problems.map((problem) => problem.variable)).toEqual([
        'OPENAI_BASE_URL',
        'OPENAI_TIMEOUT_MS',
        'OPENAI_MAX_RETRIES',
        'OPENAI_LOG',
      ]);
      expect(error.problems[2]).toEqual({
        variable: 'OPENAI_MAX_RETRIES',
        problem: 'from the loadConfig option must be a whole number from 0 to 10',
        fix: 'pass a valid maxRetries to loadConfig',
      });
    });

    it('lists every bad variable at once, without credentials', () => {
      const error = load({
        env: { OPENAI_TIMEOUT_MS: 'soon', OPENAI_LOG: 'loud', OPENAI_BASE_URL: 'ftp://user:sk-secretsecret@host/v1' },
      })._unsafeUnwrapErr();
      expect(error.problems.map((problem) => problem.variable)).toEqual([
        'OPENAI_API_KEY',
        'OPENAI_BASE_URL',
        'OPENAI_TIMEOUT_MS',
        'OPENAI_LOG',
      ]);
      expect(error.message).toContain('(and 3 more: OPENAI_BASE_URL, OPENAI_TIMEOUT_MS, OPENAI_LOG)');
      expect(JSON.stringify(error)).not.toContain('sk-secretsecret');
    });

    it('reports a malformed value from the .env file with a fix for the file', () => {
      const error = loadConfig({
        cwd: folderWith(`OPENAI_API_KEY=${fileKey}\nOPENAI_MAX_RETRIES=lots\n`),
        env: {},
      })._unsafeUnwrapErr();
      expect(error.problems[0]).toEqual({
        variable: 'OPENAI_MAX_RETRIES',
        problem: 'from the .env file must be a whole number from 0 to 10 (got "lots")',
        fix: 'correct OPENAI_MAX_RETRIES in the .env file, or set it in the environment',
      });
    });

    it('accepts a missing default .env but not a missing named one', () => {
      const cwd = folderWith();
      expect(loadConfig({ cwd, env: { OPENAI_API_KEY: key } }).isOk()).toBe(true);
      const error = loadConfig({ cwd, env: { OPENAI_API_KEY: key }, envFile: 'missing.env' })._unsafeUnwrapErr();
      expect(error.variable).toBe('.env');
      expect(error.problems[0]?.problem).toMatch(/^the envFile option names .*missing\.env, which does not exist$/);
      expect(error.fix).toBe('create the file, fix the envFile path, or pass envFile: false');
    });

    it('reports an env file that cannot be read', () => {
      const cwd = folderWith();
      mkdirSync(join(cwd, 'folder.env'));
      const error = loadConfig({ cwd, env: { OPENAI_API_KEY: key }, envFile: 'folder.env' })._unsafeUnwrapErr();
      expect(error.problems[0]?.problem).toMatch(/folder\.env, but it could not be read \(EISDIR\)$/);
    });

    it('reports a named env file where the runtime has no file system, and skips the default one', () => {
      vi.stubGlobal('process', undefined);
      const named = loadConfig({ env: { OPENAI_API_KEY: key }, envFile: '.env' });
      const unnamed = loadConfig({ env: { OPENAI_API_KEY: key } });
      const withoutEnv = loadConfig({ envFile: false });
      vi.unstubAllGlobals();
      expect(named._unsafeUnwrapErr().problems[0]?.problem).toBe(
        'the envFile option cannot be read: this runtime has no Node file system',
      );
      expect(unnamed.isOk()).toBe(true);
      expect(withoutEnv._unsafeUnwrapErr().variable).toBe('OPENAI_API_KEY');
    });
  });
});

describe('configVariables', () => {
  it('documents defaults that loadConfig really applies', () => {
    const config = load({ env: { OPENAI_API_KEY: key } })._unsafeUnwrap();
    for (const variable of configVariables) {
      if (variable.defaultValue === null) continue;
      expect(String(config[variable.setting])).toBe(variable.defaultValue);
    }
    expect(configVariables.filter((variable) => variable.secret).map((variable) => variable.variable)).toEqual([
      'OPENAI_API_KEY',
    ]);
  });
});
