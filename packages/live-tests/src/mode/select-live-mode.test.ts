import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { repositoryRoot } from './repository-root.ts';
import { defaultLiveChatModel, defaultLiveEmbeddingModel, selectLiveMode } from './select-live-mode.ts';

const key = 'sk-proj-liveTESTkey0123';
const folders: string[] = [];

function folderWithEnvFile(text: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'live-tests-mode-'));
  folders.push(folder);
  writeFileSync(join(folder, '.env'), text);
  return folder;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('selectLiveMode', () => {
  it('rehearses when no key is set, with the cheapest models', () => {
    const mode = selectLiveMode({ env: {}, envDir: false });
    expect(mode._unsafeUnwrap()).toEqual({
      kind: 'rehearsal',
      forced: false,
      notes: [],
      chatModel: defaultLiveChatModel,
      embeddingModel: defaultLiveEmbeddingModel,
    });
    expect(defaultLiveChatModel).toBe('gpt-4.1-nano');
    expect(defaultLiveEmbeddingModel).toBe('text-embedding-3-small');
  });

  it('rehearses without a key even when other settings are wrong, and lists them as notes', () => {
    const mode = selectLiveMode({
      env: { OPENAI_BASE_URL: 'not a url', OPENAI_API_KEY: '  ' },
      envDir: false,
    })._unsafeUnwrap();
    expect(mode.kind).toBe('rehearsal');
    expect(mode.kind === 'rehearsal' && mode.notes).toEqual([
      expect.stringMatching(/^OPENAI_BASE_URL from the environment must be an http\(s\) URL/),
    ]);
  });

  it('goes live with a key from the environment, filling in the suite defaults for unset settings', () => {
    const mode = selectLiveMode({
      env: { OPENAI_API_KEY: key, OPENAI_ORG_ID: 'org-live' },
      envDir: false,
    })._unsafeUnwrap();
    if (mode.kind !== 'live') throw new Error('expected live');
    expect(mode.config).toMatchObject({
      baseUrl: 'https://api.openai.com/v1',
      organization: 'org-live',
      maxRetries: 2,
      timeoutMs: 30_000,
      logLevel: 'off',
    });
    expect(mode.config.sources).toMatchObject({
      apiKey: 'env',
      maxRetries: 'options',
      logLevel: 'options',
      baseUrl: 'default',
    });
    expect(String(mode.config.apiKey)).toBe('[redacted]');
  });

  it('keeps the settings the environment or .env sets, and reads the key from .env at the given folder', async () => {
    const folder = folderWithEnvFile(
      `OPENAI_API_KEY=${key}\nOPENAI_MAX_RETRIES=5\nOPENAI_TIMEOUT_MS=1000\nOPENAI_LOG=error\n`,
    );
    const mode = selectLiveMode({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }, envDir: folder })._unsafeUnwrap();
    if (mode.kind !== 'live') throw new Error('expected live');
    expect(mode.config).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/v1',
      maxRetries: 5,
      timeoutMs: 1_000,
      logLevel: 'error',
    });
    expect(await mode.config.apiKey.reveal()).toBe(key);
  });

  it('fails with a ConfigError when a key is set but another setting is malformed, rather than rehearsing', () => {
    const mode = selectLiveMode({ env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: 'ftp://example.com' }, envDir: false });
    expect(mode.isErr() && mode.error).toMatchObject({ _tag: 'ConfigError', variable: 'OPENAI_BASE_URL' });
  });

  it('rehearses when LIVE_TESTS_REHEARSAL says so, even with a key, and says it was forced', () => {
    const withKey = selectLiveMode({
      env: { OPENAI_API_KEY: key, LIVE_TESTS_REHEARSAL: 'YES' },
      envDir: false,
    })._unsafeUnwrap();
    expect(withKey).toMatchObject({ kind: 'rehearsal', forced: true, notes: [] });
    const brokenConfig = selectLiveMode({
      env: { OPENAI_API_KEY: key, OPENAI_BASE_URL: 'nope', LIVE_TESTS_REHEARSAL: '1' },
      envDir: false,
    })._unsafeUnwrap();
    expect(brokenConfig).toMatchObject({ kind: 'rehearsal', forced: true });
    const off = selectLiveMode({
      env: { OPENAI_API_KEY: key, LIVE_TESTS_REHEARSAL: 'off' },
      envDir: false,
    })._unsafeUnwrap();
    expect(off.kind).toBe('live');
  });

  it('fails with a ConfigError naming LIVE_TESTS_REHEARSAL when it is neither true nor false', () => {
    const mode = selectLiveMode({ env: { LIVE_TESTS_REHEARSAL: 'maybe' }, envDir: false });
    expect(mode.isErr() && mode.error).toMatchObject({ _tag: 'ConfigError', variable: 'LIVE_TESTS_REHEARSAL' });
  });

  it('takes the models from LIVE_TESTS_CHAT_MODEL and LIVE_TESTS_EMBEDDING_MODEL', () => {
    const mode = selectLiveMode({
      env: { LIVE_TESTS_CHAT_MODEL: ' gpt-4o-mini ', LIVE_TESTS_EMBEDDING_MODEL: 'text-embedding-3-large' },
      envDir: false,
    })._unsafeUnwrap();
    expect(mode).toMatchObject({ chatModel: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-large' });
  });

  it('reads process.env by default, and .env at the repository root', async () => {
    vi.stubEnv('OPENAI_API_KEY', key);
    vi.stubEnv('LIVE_TESTS_REHEARSAL', '');
    const mode = selectLiveMode()._unsafeUnwrap();
    expect(mode.kind === 'live' && (await mode.config.apiKey.reveal())).toBe(key);
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { name: string };
    expect(manifest.name).toBe('@openai-integration/workspace');
  });
});
