import { ESLint, Linter } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });
const linter = new Linter({ configType: 'flat' });

/** Lints one import statement as if it stood in `file`, with the workspace's real layer rules. */
async function importErrors(file: string, specifier: string): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(`${root}/${file}`)) as Linter.Config;
  const rule = config.rules?.['no-restricted-imports'];
  const messages = linter.verify(
    `import { x } from '${specifier}';\nexport const y = x;\n`,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { sourceType: 'module' },
        rules: rule === undefined ? {} : { 'no-restricted-imports': rule },
      },
    ],
    file,
  );
  return messages.map((message) => message.message);
}

const cases: readonly (readonly [file: string, specifier: string, allowed: boolean])[] = [
  ['packages/core/src/a.ts', '@openai-integration/transport', false],
  ['packages/core/src/a.ts', '@openai-integration/operations', false],
  ['packages/core/src/a.ts', 'openai', false],
  ['packages/core/src/a.ts', 'zod', true],
  ['packages/core/examples/a.ts', '@openai-integration/core', true],
  ['packages/transport/examples/a.ts', '@openai-integration/transport', true],
  ['packages/transport/src/a.ts', '@openai-integration/core', true],
  ['packages/transport/src/a.ts', '@openai-integration/operations', false],
  ['packages/transport/src/a.ts', 'effect', false],
  ['packages/transport/src/internal/a.ts', 'effect', true],
  ['packages/transport/src/a.ts', 'openai', false],
  ['packages/testkit/src/a.ts', '@openai-integration/core', true],
  ['packages/testkit/src/a.ts', '@openai-integration/transport', false],
  ['packages/testkit/src/a.ts', 'msw', true],
  ['packages/testkit/src/a.ts', 'openai', false],
  ['packages/operations/src/a.ts', '@openai-integration/transport', true],
  ['packages/operations/src/a.ts', 'openai', true],
  ['packages/operations/src/a.ts', '@openai-integration/mcp-adapter', false],
  ['packages/operations/src/a.ts', '@openai-integration/testkit', false],
  ['packages/operations/src/a.ts', 'effect', false],
  ['packages/operations/src/internal/a.ts', 'effect/Effect', false],
  ['packages/operations/src/effect/a.ts', 'effect', true],
  ['packages/operations/src/effect/a.ts', 'effect/Stream', true],
  ['packages/operations/src/effect/a.ts', '@openai-integration/testkit', false],
  ['packages/operations/src/effect/a.test.ts', 'effect/Effect', true],
  ['packages/operations/src/effect/a.test.ts', '@openai-integration/testkit', true],
  ['packages/operations/test/effect-layer.test.ts', 'effect/Layer', true],
  ['packages/operations/test/chat.test.ts', 'effect', false],
  ['packages/operations/src/a.test.ts', '@openai-integration/testkit', true],
  ['packages/mcp-adapter/src/a.ts', '@openai-integration/operations', true],
  ['packages/mcp-adapter/src/a.ts', '@modelcontextprotocol/server', true],
  ['packages/mcp-adapter/src/a.ts', 'msw', false],
  ['packages/operations/src/a.ts', '@modelcontextprotocol/server', false],
  ['packages/redis-store/src/a.ts', '@openai-integration/transport', true],
  ['packages/redis-store/src/a.ts', 'ioredis', true],
  ['packages/redis-store/src/a.ts', '@openai-integration/operations', false],
  ['packages/redis-store/src/a.ts', 'openai', false],
  ['packages/operations/src/a.ts', 'ioredis', false],
  ['packages/transport/src/a.ts', '@openai-integration/redis-store', false],
];

describe('layer boundaries (eslint.config.js)', { timeout: 120_000 }, () => {
  // Loading the workspace's ESLint config (typescript-eslint and its plugins) takes half a second alone and several on a busy machine: once, with its own timeout.
  beforeAll(async () => {
    await eslint.calculateConfigForFile(`${root}/packages/core/src/a.ts`);
  }, 120_000);

  it.each(cases)('in %s, importing %s is allowed: %s', async (file, specifier, allowed) => {
    const errors = await importErrors(file, specifier);
    if (allowed) expect(errors).toEqual([]);
    else
      expect(errors.join('\n')).toMatch(/dependency of this layer|belongs to another layer|stays inside src\/internal/);
  });
});
