// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layer boundaries from the architecture: which workspace packages and which
 * third-party libraries each package may import. An import from a higher layer, or
 * of a library owned by another layer, fails lint.
 */
const workspace = (name) => `@openai-integration/${name}`;
const allWorkspace = ['core', 'transport', 'operations', 'mcp-adapter', 'testkit', 'redis-store'];
const ownedLibraries = {
  effect: ['effect', 'effect/*', '@effect/*'],
  openai: ['openai', 'openai/*'],
  msw: ['msw', 'msw/*'],
  mcp: ['@modelcontextprotocol/*'],
  redis: ['ioredis', 'ioredis/*', 'redis', '@redis/*'],
};

/**
 * A package may always import itself by its published name (its examples do, as an app would).
 * @param {string} self @param {string[]} allowedWorkspace @param {string[]} forbiddenLibraries
 */
function layer(self, allowedWorkspace, forbiddenLibraries, message) {
  const forbiddenWorkspace = allWorkspace.filter((name) => name !== self && !allowedWorkspace.includes(name));
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbiddenWorkspace.map((name) => ({
            group: [workspace(name), `${workspace(name)}/*`],
            message: `${message}: ${workspace(name)} is not a dependency of this layer (see ARCHITECTURE: dependency direction).`,
          })),
          ...forbiddenLibraries.map((group) => ({
            group: [group],
            message: `${message}: this library belongs to another layer (see ARCHITECTURE: dependency direction).`,
          })),
        ],
      },
    ],
  };
}

const all = Object.values(ownedLibraries).flat();
const except = (...names) => all.filter((pattern) => !names.flatMap((n) => ownedLibraries[n]).includes(pattern));

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/coverage/**',
      '**/node_modules/**',
      '.toolchain/**',
      '.nx/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description', minimumDescriptionLength: 10 },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a string literal union instead of an enum.' },
        { selector: 'ExportAllDeclaration', message: 'index.ts lists its exports by name.' },
      ],
    },
  },
  { files: ['packages/core/**/*.ts'], rules: layer('core', [], all, 'core is the bottom layer') },
  { files: ['packages/transport/**/*.ts'], rules: layer('transport', ['core'], except('effect'), 'transport') },
  {
    files: ['packages/transport/src/**/*.ts'],
    ignores: ['packages/transport/src/internal/**'],
    rules: layer('transport', ['core'], all, 'transport: effect stays inside src/internal'),
  },
  { files: ['packages/testkit/**/*.ts'], rules: layer('testkit', ['core'], except('msw'), 'testkit') },
  {
    files: ['packages/redis-store/**/*.ts'],
    rules: layer('redis-store', ['core', 'transport'], except('redis'), 'redis-store'),
  },
  {
    files: ['packages/testkit/**/*.test.ts', 'packages/testkit/test/**/*.ts'],
    rules: layer('testkit', ['core'], except('msw', 'openai'), 'testkit tests'),
  },
  {
    files: ['packages/operations/src/**/*.ts'],
    rules: layer('operations', ['core', 'transport'], except('openai'), 'operations'),
  },
  {
    files: ['packages/operations/**/*.test.ts', 'packages/operations/test/**/*.ts'],
    rules: layer('operations', ['core', 'transport', 'testkit'], except('openai', 'msw'), 'operations tests'),
  },
  {
    // The `./effect` entry point (effect an optional peer): only its own folder and its tests import effect.
    files: ['packages/operations/src/effect/**/*.ts'],
    rules: layer('operations', ['core', 'transport'], except('openai', 'effect'), 'operations/effect'),
  },
  {
    files: ['packages/operations/src/effect/**/*.test.ts', 'packages/operations/test/effect*.test.ts'],
    rules: layer(
      'operations',
      ['core', 'transport', 'testkit'],
      except('openai', 'msw', 'effect'),
      'operations/effect tests',
    ),
  },
  {
    files: ['packages/mcp-adapter/src/**/*.ts'],
    rules: layer('mcp-adapter', ['core', 'operations', 'transport', 'redis-store'], except('mcp'), 'mcp-adapter'),
  },
  {
    files: ['packages/mcp-adapter/**/*.test.ts', 'packages/mcp-adapter/test/**/*.ts'],
    rules: layer(
      'mcp-adapter',
      ['core', 'operations', 'transport', 'testkit'],
      except('mcp', 'openai', 'redis'),
      'mcp-adapter tests',
    ),
  },
  {
    files: ['packages/transport/**/*.test.ts', 'packages/transport/test/**/*.ts'],
    rules: layer('transport', ['core'], except('effect'), 'transport tests'),
  },
  {
    // Examples are an app's code using the published packages (and the SDK), as a user
    // writes it; they belong to no layer. They are still linted and type-checked.
    files: ['packages/*/examples/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off', // tests assert shapes they just built
    },
  },
);
