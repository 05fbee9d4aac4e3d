import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every package: sibling workspace packages resolve to
 * their `src` through the `@openai-integration/source` export condition, and v8
 * coverage must reach 90% on lines, branches, functions and statements.
 */
export function createVitestConfig(options: { readonly coverageExclude?: readonly string[] } = {}) {
  const conditions = ['@openai-integration/source', 'module', 'node', 'development|production'];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      restoreMocks: true,
      // Hooks start and stop real servers and processes and remove scratch folders: on a
      // busy 2-core machine that can take longer than the 10 s default. Tests keep vitest's
      // 5 s unless they start a process themselves and say so.
      hookTimeout: 60_000,
      coverage: {
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/**/*.test-d.ts', 'src/index.ts', ...(options.coverageExclude ?? [])],
        reporter: ['text-summary', 'json-summary'],
        thresholds: { lines: 90, branches: 90, functions: 90, statements: 90 },
      },
    },
  });
}
