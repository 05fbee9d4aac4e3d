// Builds the package in the current folder for publishing:
// - tsc writes the type declarations, one .d.ts (and map to src) per source file;
// - rolldown bundles the JavaScript of every entry the manifest names (each `exports`
//   target with the `@openai-integration/source` condition, and each `bin`) into one ES
//   module per entry, with code shared by several entries in dist/chunks, and source maps
//   to the shipped src. Dependencies stay imports.
// Importing a bundled package reads a handful of files instead of one per source file,
// which is most of what loading the package itself costs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { rolldown } from 'rolldown';

const sourceCondition = '@openai-integration/source';

interface Manifest {
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly bin?: Readonly<Record<string, string>>;
}

/** The entries to bundle, by output name under dist (`index`, `msw/index`, `bin/openai-simulator`) and source file. */
export function bundleEntries(manifest: Manifest): Record<string, string> {
  const entries: Record<string, string> = {};
  const add = (output: string, source: string): void => {
    const name = /^\.\/dist\/(.+)\.js$/.exec(output)?.[1];
    if (name === undefined) throw new Error(`build-package: ${output} is not a file under ./dist ending in .js`);
    entries[name] = source;
  };
  for (const target of Object.values(manifest.exports ?? {})) {
    if (typeof target !== 'object' || target === null) continue;
    const conditions = target as Readonly<Record<string, unknown>>;
    const source = conditions[sourceCondition];
    const output = conditions['default'];
    if (typeof source === 'string' && typeof output === 'string') add(output, source);
  }
  for (const output of Object.values(manifest.bin ?? {})) {
    add(output, output.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts'));
  }
  return entries;
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
  const entries = bundleEntries(manifest);
  for (const source of Object.values(entries)) {
    if (!existsSync(source)) throw new Error(`build-package: the entry ${source} does not exist`);
  }
  rmSync('dist', { recursive: true, force: true });
  execFileSync('tsc', ['-p', 'tsconfig.build.json', '--emitDeclarationOnly'], { stdio: 'inherit' });
  const bundle = await rolldown({
    input: entries,
    platform: 'node',
    // Only the package's own files are bundled; every bare specifier stays an import.
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    logLevel: 'warn',
  });
  // The maps point at the shipped src instead of copying it.
  await bundle.write({
    dir: 'dist',
    format: 'esm',
    sourcemap: true,
    sourcemapExcludeSources: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  });
  await bundle.close();
}
