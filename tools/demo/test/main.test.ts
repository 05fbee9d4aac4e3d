import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const node = (args: readonly string[]) =>
  run(process.execPath, ['--conditions=@openai-integration/source', main, ...args], {
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', FORCE_COLOR: '0' },
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    timeout: 120_000,
  });

// Each test starts a real Node process (a second or more on a busy machine): the timeouts are explicit and generous.
describe('demo command', () => {
  it('prints its help and exits 0', async () => {
    const { stdout } = await node(['--help']);
    expect(stdout).toMatch(/^Usage: npm run demo/);
    expect(stdout).toMatch(/--offline/);
  }, 120_000);

  it('refuses a seed that is not a number with exit code 2', async () => {
    await expect(node(['--seed', 'abc'])).rejects.toMatchObject({ code: 2, stderr: '--seed takes a whole number\n' });
  }, 120_000);

  it('runs to the end as a real process against the simulator and exits 0', async () => {
    const { stdout } = await node(['--offline', '--seed', '7']);
    expect(stdout).toMatch(/Mode: SIMULATOR/);
    expect(stdout).toMatch(/pacing: a call to chat:gpt-4o-mini is held \d+ ms \(paused\)/);
    expect(stdout).toMatch(/7\. Tokens and cost by model/);
    expect(stdout).toMatch(/Done: every step behaved as shown\.\n$/);
  }, 120_000);
});
