// `pnpm release`: builds, runs the whole check, packs every published package and
// checks the tarballs, then publishes with `changeset publish`.
// `pnpm release --dry-run`: the same without publishing; the tarballs stay in .release/
// (or --out <dir>). Needs no registry.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { packRelease } from './pack-release.ts';

const usage = `Usage: pnpm release [--dry-run] [--out <dir>] [--skip-check] [-- <changeset publish options>]

Builds every package, runs the whole check (pnpm run check), packs every published
package with pnpm and checks each tarball (no workspace: ranges, LICENSE, README, the
files its exports name), then publishes with \`changeset publish\`.

Options:
  --dry-run      stop before publishing; keep the tarballs (no registry needed)
  --out <dir>    where the dry run writes the tarballs (default .release)
  --skip-check   skip \`pnpm run check\` (the build and the tarball checks still run)
  -h, --help     show this help

Options after -- go to \`changeset publish\` (e.g. -- --otp 123456, -- --tag next).`;

const root = fileURLToPath(new URL('../../..', import.meta.url));

function fail(message: string): never {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: {
      'dry-run': { type: 'boolean' },
      out: { type: 'string' },
      'skip-check': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help === true) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const dryRun = values['dry-run'] === true;

function step(command: string, args: readonly string[]): void {
  process.stderr.write(`\nrelease: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error !== undefined) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0)
    fail(
      `${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal ?? 'unknown'}); nothing was published`,
    );
}

const pending = readdirSync(join(root, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
if (pending.length > 0) {
  const message = `${pending.length} changeset(s) not yet applied (.changeset/${pending[0] ?? ''}, ...): run \`pnpm changeset version\` and commit first`;
  if (!dryRun) fail(message);
  applyForTheDryRun(message);
}

/**
 * The dry run shows what the release would publish once the pending changesets are
 * applied: it runs `changeset version` (versions, CHANGELOGs) and puts the files it
 * touched back as they were when the process exits, whatever happens. With changes of
 * its own in those files it keeps the current versions instead, and says so.
 */
function applyForTheDryRun(message: string): void {
  const touched = ['.changeset', 'packages/*/package.json', 'packages/*/CHANGELOG.md'];
  const status = spawnSync('git', ['status', '--porcelain', '--', ...touched], { cwd: root, encoding: 'utf8' });
  if (status.status !== 0 || status.stdout.trim() !== '') {
    process.stderr.write(
      `release: note: ${message}; the manifests or changesets have uncommitted changes, so the dry run packs the current versions without CHANGELOG entries\n`,
    );
    return;
  }
  // Only tracked paths can be checked out: a package's first CHANGELOG is not tracked yet.
  const tracked = spawnSync('git', ['ls-files', '--', ...touched], { cwd: root, encoding: 'utf8' })
    .stdout.split('\n')
    .filter((path) => path !== '');
  process.on('exit', () => {
    spawnSync('git', ['checkout', '--', ...tracked], { cwd: root, stdio: 'inherit' });
    spawnSync('git', ['clean', '-fq', '--', ...touched], { cwd: root, stdio: 'inherit' });
    process.stderr.write('release: the pending changesets, versions and CHANGELOGs are back as they were\n');
  });
  step('pnpm', ['exec', 'changeset', 'version']);
  process.stderr.write(
    'release: the pending changesets are applied for this dry run only (versions and CHANGELOG.md as they would be released)\n',
  );
}

step('pnpm', ['run', 'build']);
if (values['skip-check'] !== true) step('pnpm', ['run', 'check']);

const outDir = dryRun
  ? resolve(root, values.out ?? '.release')
  : mkdtempSync(join(tmpdir(), 'openai-integration-release-'));
const { packages, problems } = await packRelease(root, outDir);
for (const item of packages) {
  process.stdout.write(
    `${`${item.name}@${item.version}`.padEnd(44)} ${(item.bytes / 1024).toFixed(0).padStart(5)} kB ${String(item.files).padStart(4)} files  ${relative(root, item.tarball)}\n`,
  );
}
if (problems.length > 0) fail(`the tarballs cannot be published:\n  ${problems.join('\n  ')}`);
if (dryRun) {
  process.stdout.write(
    `\nDry run: ${packages.length} tarballs in ${relative(root, outDir) || '.'}, every manifest with real version ranges; nothing was published.\n`,
  );
  process.exit(0);
}
step('pnpm', ['exec', 'changeset', 'publish', ...positionals]);
