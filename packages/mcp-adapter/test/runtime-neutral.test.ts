import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const entry = join(import.meta.dirname, '..', 'src', 'index.ts');

/** Every source file the main entry loads, following relative imports (type-only imports included). */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const match of readFileSync(file, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g))
    reachable(resolve(dirname(file), match[1]!), seen);
  return seen;
}

const specifiers = (file: string): string[] =>
  [
    ...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'".][^'"]*)['"]/gm),
  ].map((match) => match[1]!);

describe('the main entry', () => {
  it('loads no Node-only module, so the tools can be served from any JavaScript runtime (only the binary needs Node)', () => {
    const files = [...reachable(entry)];
    expect(
      files.some(
        (file) => file.includes('/internal/cli/') || file.includes('/internal/http/') || file.includes('/bin/'),
      ),
    ).toBe(false);
    const imported = new Set(files.flatMap(specifiers));
    expect(
      [...imported].filter(
        (name) => name.startsWith('node:') || name === '@modelcontextprotocol/node' || name.endsWith('/stdio'),
      ),
    ).toEqual([]);
    expect([...imported].sort()).toEqual([
      '@modelcontextprotocol/server',
      '@openai-integration/core',
      '@openai-integration/operations',
      // Runtime-neutral: a no-op until an SDK is registered.
      '@opentelemetry/api',
      'neverthrow',
      'zod',
    ]);
  });
});
