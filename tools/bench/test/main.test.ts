import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const benchmarksPage = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));
const node = (args: readonly string[]) =>
  run(process.execPath, ['--conditions=@openai-integration/source', main, ...args], {
    env: { PATH: process.env['PATH'] ?? '' },
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
const modifiedAt = (path: string) =>
  stat(path).then(
    (info) => info.mtimeMs,
    () => null,
  );

// Each test starts a real Node process; the quick run takes 10 s alone and much longer on a busy machine: the timeouts are explicit and generous.
describe('bench command', () => {
  it('prints its help and exits 0', async () => {
    const { stdout } = await node(['--help']);
    expect(stdout).toMatch(/^Usage: pnpm bench/);
    expect(stdout).toMatch(/--quick/);
  }, 120_000);

  it('refuses to let a quick run overwrite BENCHMARKS.md, with exit code 2', async () => {
    await expect(node(['--quick', '--out', benchmarksPage])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^--quick never writes/) as unknown,
    });
  }, 120_000);

  it('runs every case in quick mode as a real process and produces the tables, without touching BENCHMARKS.md', async () => {
    const before = await modifiedAt(benchmarksPage);
    const folder = await mkdtemp(join(os.tmpdir(), 'bench-smoke-'));
    const out = join(folder, 'quick.md');
    const json = join(folder, 'quick.json');
    const { stdout, stderr } = await node(['--quick', '--out', out, '--json', json]);

    expect(stdout).toMatch(/^# Benchmarks\n/);
    expect(stdout).toMatch(/This is a `--quick` run/);
    for (const heading of [
      '## Targets',
      '## Chat throughput',
      '## Latency per call',
      '## A 1,000-chunk stream',
      '## Circuit open: failing fast',
      '## Memory over',
      '## Cold import time',
      '## Pacing under a rate limit',
      '## Machine',
      '## Reproduce',
    ]) {
      expect(stdout).toContain(heading);
    }
    for (const client of [
      'bare fetch',
      'openai SDK',
      '@openai-integration/operations',
      'Vercel AI SDK',
      'LangChain.js',
    ]) {
      expect(stdout).toMatch(new RegExp(`^\\| (\\*\\*)?${client.replace(/[.@/]/g, '\\$&')}(\\*\\*)? \\| \\d`, 'm'));
    }
    // Every client read every chunk of the long stream from both servers.
    expect(stdout.match(/\| 1000 \|$/gm)).toHaveLength(10);
    expect(stdout).toMatch(
      /\| heap after GC over 1,000 calls \| flat: slope under 10 bytes per call \| -?[\d.]+ bytes per call \| (yes|\*\*no\*\*) \|/,
    );
    expect(stdout).toMatch(/\(0 requests reached the server while the circuit was open\)/);
    // Both clients under both limits, and the integration's targets checked.
    expect(
      stdout.match(
        /^\| (\*\*@openai-integration\/operations\*\* \(defaults\)|openai SDK \(its default 2 retries\)) \| \d/gm,
      ),
    ).toHaveLength(4);
    expect(stdout).toMatch(
      /^\| successes under a tokens-per-minute limit \| at least 0\.95 of what the limit allowed \| /m,
    );
    expect(stderr).toMatch(/\[bench\] done in \d+ s\n$/);

    expect(await readFile(out, 'utf8')).toBe(stdout);
    const written = JSON.parse(await readFile(json, 'utf8')) as {
      results: { plan: { mode: string } };
      analysis: { targets: unknown[] };
    };
    expect(written.results.plan.mode).toBe('quick');
    expect(written.analysis.targets.length).toBeGreaterThanOrEqual(5);
    expect(await modifiedAt(benchmarksPage)).toBe(before);
  }, 300_000);

  it('runs only the cases named, and puts their sections into an existing page in place of the same sections', async () => {
    const folder = await mkdtemp(join(os.tmpdir(), 'bench-cases-'));
    const out = join(folder, 'page.md');
    await writeFile(
      out,
      '# Benchmarks\n\nIntro.\n\n## Circuit open: failing fast\n\nold numbers\n\n## Machine\n\ncores\n',
    );
    const { stdout } = await node(['--quick', '--cases', 'circuit', '--out', out]);
    expect(stdout).toMatch(/^## Circuit open: failing fast\n/);
    expect(stdout).not.toContain('## Chat throughput');
    const page = await readFile(out, 'utf8');
    expect(page).toMatch(/^# Benchmarks\n\nIntro\.\n\n## Circuit open: failing fast\n[\s\S]*\n## Machine\n\ncores\n$/);
    expect(page).not.toContain('old numbers');
  }, 120_000);
});
