import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkChangesets, checkWorkspaceChangesets, type PendingChangeset } from './check-changesets.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const unreleased = { name: '@scope/a', version: '0.0.0' };
const released = { name: '@scope/b', version: '0.3.0' };
const changeset = (file: string, packages: readonly string[], text: string): PendingChangeset => ({
  file,
  packages,
  text,
});

describe('checkChangesets', () => {
  it('accepts one changeset per unreleased package that says what it does, and anything for released ones', () => {
    expect(
      checkChangesets(
        [unreleased, released],
        [
          changeset('a.md', ['@scope/a'], 'The package parses things and gives a fixed key at once.'),
          changeset('b1.md', ['@scope/b'], 'Previously it crashed; fixed.'),
          changeset('b2.md', ['@scope/b'], 'Adds a flag.'),
        ],
      ),
    ).toEqual([]);
  });

  it('asks to fold several first changesets into one, and to write one when there is none', () => {
    expect(
      checkChangesets(
        [unreleased],
        [changeset('a1.md', ['@scope/a'], 'Parses.'), changeset('a2.md', ['@scope/a', '@scope/b'], 'Prints.')],
      ),
    ).toEqual([
      '@scope/a has never been released and has 2 pending changesets (a1.md, a2.md): its first release needs exactly one, describing what the package does; fold them into one',
    ]);
    expect(checkChangesets([unreleased], [])[0]).toContain('has 0 pending changesets (none)');
  });

  it('refuses history in the first entry', () => {
    for (const text of [
      'Previously it crashed.',
      'It used to hang.',
      'Fixed: the parser.',
      'It parses. Fixed the reader too.',
      'It no longer hangs.',
    ])
      expect(checkChangesets([unreleased], [changeset('a.md', ['@scope/a'], text)])).toEqual([
        expect.stringMatching(/^\.changeset\/a\.md speaks of history \("[^"]+"\) for @scope\/a/) as unknown,
      ]);
  });
});

describe('the workspace', () => {
  it('has honest first changelogs pending for every package never released', () => {
    expect(checkWorkspaceChangesets(root)).toEqual([]);
  });
});
