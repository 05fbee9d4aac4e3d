// The public surface of each published package is what its README documents: every
// name its entry points export appears in the README. (Unused code inside a package is
// found by TypeScript's noUnusedLocals and by ESLint; this finds exports nobody was told of.)
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Manifest {
  readonly private?: boolean;
  readonly exports?: Readonly<Record<string, unknown>>;
}

/** The source file of each entry point of a package (the `@openai-integration/source` condition). */
function entrySources(folder: string): string[] {
  const manifest = JSON.parse(readFileSync(`${root}/${folder}/package.json`, 'utf8')) as Manifest;
  return Object.values(manifest.exports ?? {})
    .map((target) =>
      typeof target === 'object' && target !== null
        ? (target as Record<string, unknown>)['@openai-integration/source']
        : undefined,
    )
    .filter((source): source is string => typeof source === 'string')
    .map((source) => `${root}/${folder}/${source.replace(/^\.\//, '')}`);
}

/** The names an entry point exports, values and types alike. */
function exportedNames(files: readonly string[]): string[] {
  const program = ts.createProgram([...files], {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ESNext,
    customConditions: ['@openai-integration/source'],
  });
  const checker = program.getTypeChecker();
  const names = new Set<string>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    for (const exported of symbol === undefined ? [] : checker.getExportsOfModule(symbol)) names.add(exported.name);
  }
  return [...names].sort();
}

const published = readdirSync(`${root}/packages`)
  .map((folder) => `packages/${folder}`)
  .filter((folder) => {
    const manifest = JSON.parse(readFileSync(`${root}/${folder}/package.json`, 'utf8')) as Manifest;
    return manifest.private !== true;
  })
  .sort();

describe('the public surface of each published package', () => {
  it.each(published)(
    '%s documents in its README every name it exports',
    (folder) => {
      const readme = readFileSync(`${root}/${folder}/README.md`, 'utf8');
      const names = exportedNames(entrySources(folder));
      expect(names.length).toBeGreaterThan(0);
      const undocumented = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(readme));
      expect(undocumented).toEqual([]);
    },
    120_000,
  );
});
