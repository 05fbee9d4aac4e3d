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

/** The names an entry point exports, values and types alike, each with the file that declares it. */
function exportedDeclarations(files: readonly string[]): Map<string, string> {
  const program = ts.createProgram([...files], {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ESNext,
    customConditions: ['@openai-integration/source'],
  });
  const checker = program.getTypeChecker();
  const declarations = new Map<string, string>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    for (const exported of symbol === undefined ? [] : checker.getExportsOfModule(symbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declared = target.declarations?.[0]?.getSourceFile().fileName ?? '';
      declarations.set(exported.name, declared.replace(root, '').replace(/^\/+/, ''));
    }
  }
  return declarations;
}

const exportedNames = (files: readonly string[]): string[] => [...exportedDeclarations(files).keys()].sort();

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

describe('exported names across the published packages', () => {
  it('gives one name one meaning: a name two packages export is the same declaration (a re-export)', () => {
    const owners = new Map<string, { readonly folder: string; readonly declared: string }[]>();
    for (const folder of published) {
      for (const [name, declared] of exportedDeclarations(entrySources(folder))) {
        owners.set(name, [...(owners.get(name) ?? []), { folder, declared }]);
      }
    }
    const clashes = [...owners]
      .filter(([, entries]) => new Set(entries.map((entry) => entry.declared)).size > 1)
      .map(([name, entries]) => `${name}: ${entries.map((entry) => `${entry.folder} (${entry.declared})`).join(', ')}`);
    expect(clashes).toEqual([]);
    // The check sees re-exports for what they are: operations re-exports core's error union.
    expect(owners.get('IntegrationError')?.length).toBeGreaterThan(1);
  }, 300_000);
});
