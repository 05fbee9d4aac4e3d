import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecret } from './secret.ts';
import { loadAzureConfig } from './load-azure-config.ts';

const key = 'azure0123456789abcdef0123456789ab';
const load = (env: Record<string, string>, tokenProvider = false) =>
  loadAzureConfig({ env, envFile: false }, { tokenProvider });

describe('loadAzureConfig', () => {
  it('is null without AZURE_OPENAI_ENDPOINT: Azure is off', () => {
    expect(load({ AZURE_OPENAI_API_KEY: key })._unsafeUnwrap()).toBeNull();
  });

  it('reads the v1 API: the endpoint as given, as /openai or as /openai/v1, the key as a Secret', () => {
    for (const endpoint of [
      'https://my.openai.azure.com',
      'https://my.openai.azure.com/',
      'https://my.openai.azure.com/openai',
      'https://my.openai.azure.com/openai/v1/',
    ]) {
      const config = load({ AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: key })._unsafeUnwrap();
      expect(config).toMatchObject({
        endpoint: 'https://my.openai.azure.com',
        api: 'v1',
        baseUrl: 'https://my.openai.azure.com/openai/v1',
        apiVersion: null,
        deployments: {},
      });
      expect(config?.apiKey?.revealFixed()).toBe(key);
      expect(JSON.stringify(config)).not.toContain(key);
    }
  });

  it('reads the classic API with its api-version and deployments, options over the environment over .env', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'azure-config-'));
    writeFileSync(
      join(cwd, '.env'),
      `AZURE_OPENAI_ENDPOINT=https://file.openai.azure.com\nAZURE_OPENAI_API_KEY=${key}\nAZURE_OPENAI_DEPLOYMENTS=gpt-4o-mini=mini-prod, gpt-4.1=big\n`,
    );
    const fromFile = loadAzureConfig({ env: { AZURE_OPENAI_API_VERSION: '2024-10-21' }, cwd })._unsafeUnwrap();
    expect(fromFile).toMatchObject({
      endpoint: 'https://file.openai.azure.com',
      api: 'classic',
      apiVersion: '2024-10-21',
      deployments: { 'gpt-4o-mini': 'mini-prod', 'gpt-4.1': 'big' },
    });
    const fromOptions = loadAzureConfig({
      endpoint: 'http://127.0.0.1:4010',
      apiKey: createSecret(key),
      apiVersion: '2025-04-01-preview',
      deployments: { a: 'b' },
      env: { AZURE_OPENAI_ENDPOINT: 'https://env.openai.azure.com' },
      cwd,
    })._unsafeUnwrap();
    expect(fromOptions).toMatchObject({
      endpoint: 'http://127.0.0.1:4010',
      apiVersion: '2025-04-01-preview',
      deployments: { a: 'b' },
    });
  });

  it('needs a key or a token provider, not both', () => {
    const endpoint = { AZURE_OPENAI_ENDPOINT: 'https://my.openai.azure.com' };
    expect(load(endpoint)._unsafeUnwrapErr()).toMatchObject({
      _tag: 'ConfigError',
      variable: 'AZURE_OPENAI_API_KEY',
      fix: 'set AZURE_OPENAI_API_KEY to the resource key, or pass azure.tokenProvider to createOperations',
    });
    expect(load(endpoint, true)._unsafeUnwrap()?.apiKey).toBeNull();
    const both = load({ ...endpoint, AZURE_OPENAI_API_KEY: key }, true)._unsafeUnwrapErr();
    expect(both.message).toMatch(/beside a Microsoft Entra ID token provider/);
    expect(load({ ...endpoint, AZURE_OPENAI_API_KEY: 'has space' })._unsafeUnwrapErr().message).toMatch(
      /spaces or quotes/,
    );
  });

  it('reports every bad value at once, naming the variable and the fix, never the key', () => {
    const error = load({
      AZURE_OPENAI_ENDPOINT: `ftp://user:${key}@host`,
      AZURE_OPENAI_API_KEY: key,
      AZURE_OPENAI_API_VERSION: 'yesterday',
      AZURE_OPENAI_DEPLOYMENTS: 'gpt-4o-mini=ok,broken',
    })._unsafeUnwrapErr();
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'AZURE_OPENAI_ENDPOINT',
      'AZURE_OPENAI_API_VERSION',
      'AZURE_OPENAI_DEPLOYMENTS',
    ]);
    expect(error.message).toMatch(/^AZURE_OPENAI_ENDPOINT must be the resource's https URL/);
    expect(error.problems[1]?.fix).toMatch(/leave it unset for the v1 API/);
    expect(error.problems[2]?.problem).toMatch(/^entry 2 must be model=deployment/);
    expect(JSON.stringify(error)).not.toContain(key);
    const many = Array.from({ length: 300 }, (_, index) => `m${index}=d${index}`).join(',');
    expect(
      load({
        AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
        AZURE_OPENAI_API_KEY: key,
        AZURE_OPENAI_DEPLOYMENTS: many,
      })._unsafeUnwrapErr().message,
    ).toMatch(/300 deployments, more than 256/);
  });
});
