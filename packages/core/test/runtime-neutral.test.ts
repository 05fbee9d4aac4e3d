import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const source = join(import.meta.dirname, '..', 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test') ? [path] : [];
  });
}

describe('the published source', () => {
  it('has no runtime import of a Node module, so core loads in any JavaScript runtime', () => {
    const offenders = sourceFiles(source).filter(
      (file) =>
        /^\s*(?:import|export)\s+(?!type\b)[^;]*from\s+['"]node:/m.test(readFileSync(file, 'utf8')) ||
        /\bimport\(\s*['"]node:/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('imports only zod and neverthrow from outside the package', () => {
    const packages = new Set(
      sourceFiles(source).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map(
          (match) => match[1]!.split('/')[0]!,
        ),
      ),
    );
    packages.delete('node:fs');
    packages.delete('node:path');
    packages.delete('node:util');
    expect([...packages].sort()).toEqual(['neverthrow', 'zod']);
  });
});
