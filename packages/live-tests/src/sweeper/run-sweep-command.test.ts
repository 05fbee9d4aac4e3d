import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSuiteOperations } from '../setup/create-suite-operations.ts';
import { rehearsalApiKey } from '../setup/live-suite-context.ts';
import { runSweepCommand, sweepUsage } from './run-sweep-command.ts';

const start = Date.UTC(2026, 10, 24, 12, 0, 0);
let clock = start;
let simulator: OpenAISimulator;

beforeAll(async () => {
  simulator = await createOpenAISimulator({ seed: 3, apiKey: rehearsalApiKey, now: () => clock });
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.reset();
  clock = start;
});

async function upload(filename: string, createdAt: number): Promise<string> {
  clock = createdAt;
  const operations = createSuiteOperations({
    mode: 'rehearsal',
    baseUrl: simulator.baseURL,
    runId: '20261124120000abcd',
    chatModel: 'gpt-4.1-nano',
    embeddingModel: 'text-embedding-3-small',
    expectRateLimitHeaders: true,
  })._unsafeUnwrap();
  const uploaded = await operations.files.upload({
    file: new TextEncoder().encode('{}\n'),
    purpose: 'batch',
    filename,
  });
  clock = start;
  return uploaded._unsafeUnwrap().value.id;
}

function run(argv: readonly string[], env: Readonly<Record<string, string | undefined>>) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exit = runSweepCommand(
    argv,
    { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) },
    { env, envDir: false, now: () => start },
  );
  return { exit, stdout, stderr };
}

const hour = 3_600_000;

describe('runSweepCommand', () => {
  it('deletes the live files older than an hour from the configured endpoint, and exits 0', async () => {
    const env = { OPENAI_API_KEY: rehearsalApiKey, OPENAI_BASE_URL: simulator.baseURL, LIVE_TESTS_REHEARSAL: '1' };
    const old = await upload('oi-live-20261124100000abcd-old.jsonl', start - 2 * hour);
    await upload('oi-live-20261124115500abcd-new.jsonl', start - 5 * 60_000);
    await upload('mine.jsonl', start - 9 * hour);
    const { exit, stdout, stderr } = run([], env);
    expect(await exit).toBe(0);
    expect(stderr).toEqual([]);
    expect(stdout).toEqual([
      `deleted ${old} oi-live-20261124100000abcd-old.jsonl (created 2026-11-24T10:00:00.000Z)`,
      `${simulator.baseURL}: deleted 1, kept 1 younger than 60 min, failed 0.`,
    ]);
    expect(simulator.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([
      `/v1/files/${old}`,
    ]);
  });

  it('in a dry run only lists, and --run and --max-age-minutes widen what goes', async () => {
    const env = { OPENAI_API_KEY: rehearsalApiKey, OPENAI_BASE_URL: simulator.baseURL };
    const mine = await upload('oi-live-20261124115900wxyz-a.jsonl', start - 60_000);
    const other = await upload('oi-live-20261124115000abcd-b.jsonl', start - 10 * 60_000);
    // pnpm passes the `--` of `pnpm sweep -- --dry-run` through to the command.
    const { exit, stdout } = run(['--', '--dry-run', '--run', '20261124115900wxyz', '--max-age-minutes', '5'], env);
    expect(await exit).toBe(0);
    expect(stdout.slice(0, 2).sort()).toEqual(
      [
        `would delete ${mine} oi-live-20261124115900wxyz-a.jsonl (created 2026-11-24T11:59:00.000Z)`,
        `would delete ${other} oi-live-20261124115000abcd-b.jsonl (created 2026-11-24T11:50:00.000Z)`,
      ].sort(),
    );
    expect(stdout[2]).toBe(`${simulator.baseURL}: would delete 2, kept 0 younger than 5 min, failed 0.`);
    expect(simulator.requests.some((request) => request.method === 'DELETE')).toBe(false);
  });

  it('exits 1 when deletions fail, naming each file', async () => {
    const env = { OPENAI_API_KEY: rehearsalApiKey, OPENAI_BASE_URL: simulator.baseURL, OPENAI_MAX_RETRIES: '0' };
    const old = await upload('oi-live-20261124100000abcd-old.jsonl', start - 2 * hour);
    simulator.enqueue('files.delete', { type: 'status', status: 403 });
    const { exit, stderr } = run([], env);
    expect(await exit).toBe(1);
    expect(stderr).toEqual([
      expect.stringMatching(
        new RegExp(`^failed to delete ${old} oi-live-20261124100000abcd-old.jsonl: PermissionDeniedError: `),
      ),
    ]);
  });

  it('exits 1 when the listing fails', async () => {
    const env = { OPENAI_API_KEY: 'sk-not-the-simulator-ke', OPENAI_BASE_URL: simulator.baseURL };
    const { exit, stderr } = run([], env);
    expect(await exit).toBe(1);
    expect(stderr).toEqual([expect.stringMatching(/^the listing stopped early: AuthenticationError: /)]);
  });

  it('has nothing to do without a key, and says so', async () => {
    const { exit, stdout } = run([], {});
    expect(await exit).toBe(0);
    expect(stdout).toEqual([
      'No OPENAI_API_KEY is configured: nothing to sweep (a rehearsal creates nothing on a real endpoint).',
    ]);
  });

  it('prints its usage for --help, and exits 2 with the usage for bad arguments or configuration', async () => {
    const help = run(['--help'], {});
    expect(await help.exit).toBe(0);
    expect(help.stdout).toEqual([sweepUsage]);
    for (const argv of [
      ['--unknown'],
      ['--max-age-minutes', 'soon'],
      ['--run', 'yesterday'],
      ['stray'],
      ['--dry-run', '--', 'stray'],
    ]) {
      const bad = run(argv, {});
      expect(await bad.exit).toBe(2);
      expect(bad.stderr[0]).toContain('Usage: pnpm --filter @openai-integration/live-tests sweep');
    }
    const config = run([], { OPENAI_API_KEY: rehearsalApiKey, OPENAI_BASE_URL: 'nowhere' });
    expect(await config.exit).toBe(2);
    expect(config.stderr).toEqual([expect.stringMatching(/^configuration: OPENAI_BASE_URL /)]);
  });
});
