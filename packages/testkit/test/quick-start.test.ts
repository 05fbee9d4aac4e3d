import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../examples/quick-start.ts', import.meta.url));

describe('examples/quick-start.ts (the README quick start)', { timeout: 120_000 }, () => {
  it('prints what its comments promise', async () => {
    const { stdout } = await run(process.execPath, ['--conditions=@openai-integration/source', example], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      // Plain output whatever the runner sets (Nx sets FORCE_COLOR for its tasks).
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    expect(stdout.trim().split('\n')).toEqual(['Summary unavailable right now.', 'A short report.', '[ 503, 200 ]']);
    // A real Node process: generous, explicit, for a busy machine.
  }, 120_000);
});
