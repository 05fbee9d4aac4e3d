import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { packageVersion } from './package-version.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A package folder with its manifest, and a module URL `depth` folders below it. */
function layout(manifest: unknown, path: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'package-version-'));
  folders.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  mkdirSync(join(root, ...path), { recursive: true });
  return pathToFileURL(join(root, ...path, 'module.js')).href;
}

describe('packageVersion', () => {
  const manifest = { name: '@openai-integration/mcp-adapter', version: '9.8.7' };

  it('finds the version from the bundled layout (dist/bin) and from the sources (src/internal/cli)', () => {
    expect(packageVersion(layout(manifest, ['dist', 'bin']))).toBe('9.8.7');
    expect(packageVersion(layout(manifest, ['dist', 'chunks']))).toBe('9.8.7');
    expect(packageVersion(layout(manifest, ['src', 'internal', 'cli']))).toBe('9.8.7');
  });

  it("skips another package's manifest on the way up, and says unknown when there is none", () => {
    const url = layout(manifest, ['dist', 'bin']);
    writeFileSync(new URL('package.json', url), JSON.stringify({ name: 'something-else', version: '1.0.0' }));
    expect(packageVersion(url)).toBe('9.8.7');
    expect(packageVersion(layout({ name: 'other', version: '1.2.3' }, ['a', 'b', 'c', 'd', 'e']))).toBe('unknown');
  });

  it('reads this package’s own version from its sources', () => {
    expect(packageVersion(new URL('./run-cli.ts', import.meta.url).href)).toMatch(/^\d+\.\d+\.\d+/);
  });
});
