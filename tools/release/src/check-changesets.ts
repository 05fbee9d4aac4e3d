// Before a package's first release, its CHANGELOG must describe what the package does,
// not a history nobody received: one pending changeset per unreleased package (edit it
// as the package changes), with no words of history in it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages } from './pack-release.ts';

/** The version of a package that has never been released. */
export const unreleasedVersion = '0.0.0';

/** Words that tell of an earlier state of the package. */
const history = /\b(?:previously|used to|no longer|regression)\b|(?:^|[.:]\s+)fixed\b/im;

/** A pending changeset: its file and the packages its front matter names. */
export interface PendingChangeset {
  readonly file: string;
  readonly packages: readonly string[];
  readonly text: string;
}

/** The pending changesets of `.changeset/` at `root`. */
export function pendingChangesets(root: string): PendingChangeset[] {
  const folder = join(root, '.changeset');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .sort()
    .map((file) => {
      const text = readFileSync(join(folder, file), 'utf8');
      const front = /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1] ?? '';
      const packages = [...front.matchAll(/^\s*['"]?([^'":\s]+)['"]?\s*:/gm)].map((match) => match[1] ?? '');
      return { file, packages, text: text.slice(text.indexOf('---', 3) + 3).trim() };
    });
}

/**
 * What is wrong with the pending changesets of unreleased packages: each such package
 * has exactly one, which says what the package does (no "previously", "fixed", ...).
 * Empty when the first CHANGELOG of every package would be honest.
 */
export function checkChangesets(
  packages: readonly { readonly name: string; readonly version: string }[],
  pending: readonly PendingChangeset[],
): string[] {
  const problems: string[] = [];
  for (const item of packages) {
    if (item.version !== unreleasedVersion) continue;
    const own = pending.filter((changeset) => changeset.packages.includes(item.name));
    if (own.length !== 1)
      problems.push(
        `${item.name} has never been released and has ${own.length} pending changesets (${own.map((changeset) => changeset.file).join(', ') || 'none'}): its first release needs exactly one, describing what the package does; fold them into one`,
      );
    for (const changeset of own) {
      const word = history.exec(changeset.text)?.[0];
      if (word !== undefined)
        problems.push(
          `.changeset/${changeset.file} speaks of history ("${word}") for ${item.name}, which has never been released: describe what the package does`,
        );
    }
  }
  return problems;
}

/** {@link checkChangesets} for the workspace at `root`. */
export function checkWorkspaceChangesets(root: string): string[] {
  return checkChangesets(publishedPackages(root), pendingChangesets(root));
}
