// Only the `./effect` entry point speaks Effect: the main entry's own modules import no
// effect (the transport runs its retries on Effect, behind its own API), and no published
// type outside dist/effect names it, so an application that never uses Effect never
// meets its types.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageRoot, 'dist');

/** A specifier of effect or of an `@effect/*` package. */
const isEffect = (specifier: string): boolean => /^(?:effect|@effect\/[^/]+)(?:\/|$)/.test(specifier);

/** Every module specifier of a JavaScript or TypeScript text (static, dynamic, re-exports, type imports). */
function specifiersOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g))
    found.push(match[1] ?? '');
  for (const match of text.matchAll(/reference\s+types\s*=\s*['"]([^'"]+)['"]/g)) found.push(match[1] ?? '');
  return found;
}

/**
 * The files a module loads, following relative imports from `entry`, and the bare
 * specifiers they import.
 */
function importGraph(entry: string): { readonly files: string[]; readonly packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.includes(file)) continue;
    files.push(file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

function filesUnder(folder: string, suffix: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path, suffix);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

describe('the main entry point speaks no Effect', () => {
  it('reaches no effect import and no file of src/effect from src/index.ts', () => {
    const main = importGraph(join(packageRoot, 'src/index.ts'));
    expect(main.files.length).toBeGreaterThan(20);
    expect([...main.packages].filter(isEffect)).toEqual([]);
    expect(
      main.files.map((file) => relative(packageRoot, file)).filter((file) => file.startsWith('src/effect')),
    ).toEqual([]);
    const effectEntry = importGraph(join(packageRoot, 'src/effect/index.ts'));
    expect([...effectEntry.packages].filter(isEffect)).not.toEqual([]);
  });

  it('has a built dist/index.js whose bundle and chunks import no effect, when it has been built', () => {
    if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'effect/index.js'))) return;
    const main = importGraph(join(dist, 'index.js'));
    expect([...main.packages].filter(isEffect)).toEqual([]);
    expect(main.files.some((file) => relative(dist, file).startsWith('effect'))).toBe(false);
    expect([...importGraph(join(dist, 'effect/index.js')).packages].filter(isEffect)).not.toEqual([]);
  });

  it('has no published .d.ts outside dist/effect that names effect, when it has been built', () => {
    if (!existsSync(join(dist, 'index.d.ts'))) return;
    const offenders = filesUnder(dist, '.d.ts')
      .filter((file) => !relative(dist, file).startsWith('effect'))
      .filter((file) => specifiersOf(readFileSync(file, 'utf8')).some(isEffect));
    expect(offenders).toEqual([]);
  });

  it('recognises effect imports in every form the emitted files use', () => {
    const specifiers = specifiersOf(
      [
        "import * as Effect from 'effect/Effect';",
        'import{Stream as e}from"effect";',
        "export { x } from '@effect/vitest';",
        'type T = import("effect/Layer").Layer<never>;',
        "import 'effect/Context';",
        '/// <reference types="effect" />',
        "import { ok } from 'neverthrow';",
      ].join('\n'),
    );
    expect(specifiers.filter(isEffect)).toEqual([
      'effect/Effect',
      'effect',
      '@effect/vitest',
      'effect/Layer',
      'effect/Context',
      'effect',
    ]);
    expect(isEffect('effect-ts-like')).toBe(false);
  });
});
