import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const source = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(
    (match) => match[1] ?? '',
  );
}

describe('the package entry points', () => {
  const files = sourceFiles(source).map((path) => ({
    path: relative(source, path).replaceAll('\\', '/'),
    imports: importsOf(path),
  }));

  it('keeps msw (an optional peer) out of everything but the ./msw subpath', () => {
    const offenders = files.filter(
      (file) => !file.path.startsWith('msw/') && file.imports.some((name) => name === 'msw' || name.startsWith('msw/')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps Node-only modules out of the simulator core, so that the msw handlers run wherever msw does', () => {
    const nodeOnly = ['node/', 'cli/', 'bin/', 'simulator/create-openai-simulator.ts'];
    const offenders = files.filter(
      (file) =>
        !nodeOnly.some((prefix) => file.path.includes(prefix)) && file.imports.some((name) => name.startsWith('node:')),
    );
    expect(offenders).toEqual([]);
  });

  it('imports no workspace package but core', () => {
    const workspace = files.flatMap((file) => file.imports.filter((name) => name.startsWith('@openai-integration/')));
    expect(new Set(workspace)).toEqual(new Set(['@openai-integration/core']));
  });
});
