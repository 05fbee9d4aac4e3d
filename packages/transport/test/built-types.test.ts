import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(packageRoot, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
const scratch = mkdtempSync(join(tmpdir(), 'transport-types-'));

function declarationFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return declarationFiles(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The declarations of the current source, emitted with the build settings into a
 * scratch folder. Sibling packages resolve to their source, so this works before any
 * of them is built and never races the build target that writes dist/.
 */
function freshDeclarations(): string {
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      join(packageRoot, 'tsconfig.build.json'),
      '--outDir',
      scratch,
      '--rootDir',
      packageRoot,
      '--customConditions',
      '@openai-integration/source',
      '--emitDeclarationOnly',
      '--declarationMap',
      'false',
    ],
    { cwd: packageRoot, stdio: 'pipe' },
  );
  return join(scratch, 'src');
}

const effectReference =
  /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"](?:effect|@effect\/[^'"]+)(?:\/[^'"]*)?['"]|reference\s+types\s*=\s*['"](?:effect|@effect)/;

const offenders = (folder: string): string[] =>
  declarationFiles(folder).filter((file) => effectReference.test(readFileSync(file, 'utf8')));

describe('the built package', () => {
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('has no .d.ts that imports or references effect, in a fresh build of the source', () => {
    const folder = freshDeclarations();
    expect(declarationFiles(folder).length).toBeGreaterThan(10);
    expect(existsSync(join(folder, 'index.d.ts'))).toBe(true);
    expect(offenders(folder)).toEqual([]);
  }, 120_000);

  it('has no .d.ts that imports or references effect in dist/, when it has been built', () => {
    const dist = join(packageRoot, 'dist');
    const files = existsSync(join(dist, 'index.d.ts')) ? offenders(dist) : [];
    expect(files).toEqual([]);
  });

  it('recognises an effect import when there is one', () => {
    expect(effectReference.test("import type { Duration } from 'effect';")).toBe(true);
    expect(effectReference.test('export declare const x: import("effect/Duration").Duration;')).toBe(true);
    expect(effectReference.test("import { Schedule } from '@effect/platform';")).toBe(true);
    expect(effectReference.test('/// <reference types="effect" />')).toBe(true);
    expect(effectReference.test("import { err } from 'neverthrow';")).toBe(false);
  });
});
