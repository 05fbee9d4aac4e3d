import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const guard = fileURLToPath(new URL('../src/guard-publish.js', import.meta.url));
// The package manager's own variables must not leak from the runner into the tools under test.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));

async function failure(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: unknown; stderr: string }> {
  try {
    await run(command, args, { cwd, env });
  } catch (error) {
    const { code, stderr } = error as { code: unknown; stderr: string };
    return { code, stderr };
  }
  throw new Error(`${command} ${args.join(' ')} succeeded in ${cwd}`);
}

describe('the prepack guard of the published packages', () => {
  it('makes npm refuse to pack a real package that depends on a sibling by workspace range', async () => {
    const { code, stderr } = await failure('npm', ['pack', '--dry-run'], join(root, 'packages/transport'));
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      '@openai-integration/transport cannot be packed or published by npm: dependencies["@openai-integration/core"] is "workspace:^"',
    );
  }, 60_000);

  it('makes npm publish refuse before anything is sent', async () => {
    const { stderr } = await failure('npm', ['publish', '--dry-run'], join(root, 'packages/operations'));
    expect(stderr).toContain('@openai-integration/operations cannot be packed or published by npm');
  }, 60_000);

  describe('in a pnpm workspace', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'guard-publish-'));
    afterAll(() => {
      rmSync(scratch, { recursive: true, force: true });
    });
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    writeFileSync(join(scratch, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
    for (const [name, manifest] of Object.entries({
      a: { name: '@scratch/a', version: '1.2.3' },
      b: {
        name: '@scratch/b',
        version: '1.0.0',
        dependencies: { '@scratch/a': 'workspace:^' },
        scripts: { prepack: `node ${JSON.stringify(guard)}` },
      },
    })) {
      mkdirSync(join(scratch, 'packages', name), { recursive: true });
      writeFileSync(join(scratch, 'packages', name, 'package.json'), JSON.stringify(manifest));
    }

    it('lets pnpm pack, which ships the range as a version', async () => {
      await run('pnpm', ['install', '--offline'], { cwd: scratch, env: { ...env, CI: 'true' } });
      await run('pnpm', ['pack', '--out', join(scratch, 'b.tgz')], { cwd: join(scratch, 'packages/b'), env });
      const { stdout } = await run('tar', ['-xzOf', join(scratch, 'b.tgz'), 'package/package.json']);
      expect((JSON.parse(stdout) as { dependencies: unknown }).dependencies).toEqual({ '@scratch/a': '^1.2.3' });
    }, 60_000);

    it('still stops npm there', async () => {
      const { stderr } = await failure('npm', ['pack', '--dry-run'], join(scratch, 'packages/b'));
      expect(stderr).toContain('@scratch/b cannot be packed or published by npm');
    }, 60_000);
  });
});
