import { describe, expect, it } from 'vitest';
import { bundleEntries } from '../build-package.ts';

describe('bundleEntries', () => {
  it('bundles every export with a source file, and every binary', () => {
    expect(
      bundleEntries({
        exports: {
          '.': {
            '@openai-integration/source': './src/index.ts',
            types: './dist/index.d.ts',
            default: './dist/index.js',
          },
          './msw': {
            '@openai-integration/source': './src/msw/index.ts',
            types: './dist/msw/index.d.ts',
            default: './dist/msw/index.js',
          },
          './package.json': './package.json',
        },
        bin: { 'openai-simulator': './dist/bin/openai-simulator.js' },
      }),
    ).toEqual({
      index: './src/index.ts',
      'msw/index': './src/msw/index.ts',
      'bin/openai-simulator': './src/bin/openai-simulator.ts',
    });
  });

  it('refuses an entry that is not a .js file under dist', () => {
    expect(() =>
      bundleEntries({
        exports: { '.': { '@openai-integration/source': './src/index.ts', default: './lib/index.mjs' } },
      }),
    ).toThrow('build-package: ./lib/index.mjs is not a file under ./dist ending in .js');
  });

  it('has nothing to bundle without exports or binaries', () => {
    expect(bundleEntries({})).toEqual({});
  });
});
