import { describe, expect, it } from 'vitest';
import { checkPackedPackage } from './pack-release.ts';

const release = new Map([
  ['@openai-integration/core', '0.2.0'],
  ['@openai-integration/transport', '0.1.1'],
]);

const good = {
  name: '@openai-integration/transport',
  version: '0.1.1',
  publishConfig: { access: 'public' },
  bin: { tool: './dist/bin/tool.js' },
  exports: {
    '.': { '@openai-integration/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
    './*': './dist/*.js',
  },
  dependencies: { '@openai-integration/core': '^0.2.0' },
  peerDependencies: { neverthrow: '^8.2.0' },
};
const files = [
  'package.json',
  'LICENSE',
  'README.md',
  'CHANGELOG.md',
  'src/index.ts',
  'dist/index.d.ts',
  'dist/index.js',
  'dist/bin/tool.js',
];

describe('checkPackedPackage', () => {
  it('accepts a manifest with real ranges and every file it points at', () => {
    expect(checkPackedPackage(good, files, release)).toEqual([]);
  });

  it('reports a workspace range left in the packed manifest', () => {
    expect(
      checkPackedPackage({ ...good, dependencies: { '@openai-integration/core': 'workspace:^' } }, files, release),
    ).toEqual([
      '@openai-integration/transport: dependencies["@openai-integration/core"] is "workspace:^" in the packed manifest: it would not install from the registry',
      '@openai-integration/transport: dependencies["@openai-integration/core"] is "workspace:^", not "^0.2.0" (the version being released)',
    ]);
  });

  it('reports a sibling at another version than the one being released', () => {
    expect(
      checkPackedPackage({ ...good, dependencies: { '@openai-integration/core': '^0.1.0' } }, files, release),
    ).toEqual([
      '@openai-integration/transport: dependencies["@openai-integration/core"] is "^0.1.0", not "^0.2.0" (the version being released)',
    ]);
  });

  it('reports missing files, a private manifest and a scoped package without public access', () => {
    const { publishConfig: _publishConfig, ...withoutAccess } = good;
    expect(
      checkPackedPackage(
        { ...withoutAccess, private: true, main: './dist/main.js' },
        ['package.json', 'dist/index.js'],
        release,
      ),
    ).toEqual([
      '@openai-integration/transport: the packed manifest is private',
      '@openai-integration/transport: a scoped package needs publishConfig.access "public"',
      '@openai-integration/transport: the tarball has no LICENSE',
      '@openai-integration/transport: the tarball has no README.md',
      '@openai-integration/transport: the tarball has no CHANGELOG.md',
      '@openai-integration/transport: the tarball has no dist/bin/tool.js',
      '@openai-integration/transport: the tarball has no dist/index.d.ts',
      '@openai-integration/transport: the tarball has no dist/main.js',
      '@openai-integration/transport: the tarball has no src/index.ts',
    ]);
  });

  it('asks for a CHANGELOG of every released version, and none of a package never released', () => {
    const withoutChangelog = files.filter((file) => file !== 'CHANGELOG.md');
    expect(checkPackedPackage(good, withoutChangelog, release)).toEqual([
      '@openai-integration/transport: the tarball has no CHANGELOG.md',
    ]);
    expect(checkPackedPackage({ ...good, version: '0.0.0' }, withoutChangelog, release)).toEqual([]);
  });

  it('names a manifest without a name', () => {
    expect(checkPackedPackage({}, ['package.json', 'LICENSE', 'README.md'], release)).toEqual([]);
    expect(checkPackedPackage({ private: true }, [], release)[0]).toBe('(no name): the packed manifest is private');
  });
});
