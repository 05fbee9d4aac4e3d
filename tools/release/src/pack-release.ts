import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findLocalRanges } from './publish-refusal.js';

const run = promisify(execFile);

/** A workspace package that is published (not `private`). */
export interface PublishedPackage {
  readonly folder: string;
  readonly name: string;
  readonly version: string;
}

/** One tarball as it would be published. */
export interface PackedPackage extends PublishedPackage {
  readonly tarball: string;
  readonly bytes: number;
  readonly files: number;
}

/** What {@link packRelease} made, and what is wrong with it (empty when it can be published). */
export interface PackedRelease {
  readonly packages: readonly PackedPackage[];
  readonly problems: readonly string[];
}

/** The published packages of the workspace at `root` (every folder of `packages/` whose manifest is not private), by name. */
export function publishedPackages(root: string): PublishedPackage[] {
  const packages: PublishedPackage[] = [];
  for (const folder of readdirSync(join(root, 'packages')).sort()) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      private?: boolean;
    };
    if (manifest.private !== true)
      packages.push({ folder: `packages/${folder}`, name: manifest.name, version: manifest.version });
  }
  return packages;
}

/** Every file a manifest points at (`exports` targets, `bin`, `main`, `types`), as tarball paths. */
function pointedFiles(manifest: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith('./') && !value.includes('*')) found.add(value.slice(2));
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) walk(item);
    }
  };
  walk(manifest['exports']);
  walk(manifest['bin']);
  for (const key of ['main', 'types', 'module']) {
    const value = manifest[key];
    if (typeof value === 'string') found.add(value.replace(/^\.\//, ''));
  }
  return [...found].sort();
}

/**
 * Checks a packed manifest and its file list (paths inside the tarball without the
 * `package/` prefix) against what a registry user needs: no local ranges, sibling
 * packages at the versions being released, not private, public access, a LICENSE and
 * README, a CHANGELOG for any version but 0.0.0, and every file that `exports` and
 * `bin` point at. Returns the problems.
 */
export function checkPackedPackage(
  manifest: Record<string, unknown>,
  files: readonly string[],
  release: ReadonlyMap<string, string>,
): string[] {
  const name = typeof manifest['name'] === 'string' ? manifest['name'] : '(no name)';
  const problems: string[] = [];
  for (const { field, name: dependency, range } of findLocalRanges(manifest)) {
    problems.push(
      `${name}: ${field}["${dependency}"] is "${range}" in the packed manifest: it would not install from the registry`,
    );
  }
  if (manifest['private'] === true) problems.push(`${name}: the packed manifest is private`);
  const publishConfig = manifest['publishConfig'] as { readonly access?: unknown } | undefined;
  if (name.startsWith('@') && publishConfig?.access !== 'public')
    problems.push(`${name}: a scoped package needs publishConfig.access "public"`);
  for (const field of ['dependencies', 'peerDependencies'] as const) {
    const ranges = (manifest[field] ?? {}) as Record<string, string>;
    for (const [dependency, range] of Object.entries(ranges)) {
      const version = release.get(dependency);
      if (version !== undefined && range !== `^${version}`)
        problems.push(
          `${name}: ${field}["${dependency}"] is "${range}", not "^${version}" (the version being released)`,
        );
    }
  }
  const have = new Set(files);
  // A released version has its CHANGELOG entry (written by `changeset version`).
  const version = manifest['version'];
  const changelog = typeof version === 'string' && version !== '0.0.0' ? ['CHANGELOG.md'] : [];
  for (const required of ['package.json', 'LICENSE', 'README.md', ...changelog, ...pointedFiles(manifest)]) {
    if (!have.has(required)) problems.push(`${name}: the tarball has no ${required}`);
  }
  return problems;
}

/**
 * Packs every published package with pnpm exactly as `pnpm publish` does (workspace
 * ranges replaced by versions), into `outDir` (emptied first), then reads each tarball
 * back and checks it with {@link checkPackedPackage}. Packages must be built first.
 * Needs no registry.
 */
export async function packRelease(root: string, outDir: string): Promise<PackedRelease> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const published = publishedPackages(root);
  const release = new Map(published.map((item) => [item.name, item.version]));
  const packages: PackedPackage[] = [];
  const problems: string[] = [];
  for (const item of published) {
    const tarball = join(outDir, `${item.name.replace(/^@/, '').replace('/', '-')}-${item.version}.tgz`);
    await run('pnpm', ['pack', '--out', tarball], { cwd: join(root, item.folder), maxBuffer: 16 * 1024 * 1024 });
    const listing = await run('tar', ['-tzf', tarball], { maxBuffer: 16 * 1024 * 1024 });
    const files = listing.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^package\//, ''));
    const manifestText = await run('tar', ['-xzOf', tarball, 'package/package.json'], { maxBuffer: 16 * 1024 * 1024 });
    problems.push(...checkPackedPackage(JSON.parse(manifestText.stdout) as Record<string, unknown>, files, release));
    packages.push({ ...item, tarball, bytes: statSync(tarball).size, files: files.length });
  }
  return { packages, problems };
}
